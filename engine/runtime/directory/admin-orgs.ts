// admin-orgs.ts: 组织机构 in 通讯录管理: the tree (depth-first, with people counted), one org with its
// history, add, edit (a new parent moves it with everything under it; a cycle is refused by
// rules.ts), 停用/启用 (refused while active people are in it). A district's admin sees and changes
// their district's subtree only.

import { LvzError } from '../../errors.ts';
import { listChanges, type OrgFields } from '../../store/directory-data.ts';
import { countPeopleByOrg } from '../../store/directory-admin.ts';
import type { OrgKind } from '../../store/types.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { applyDirectoryChanges } from './changes.ts';
import { ORG_ID, ORG_KINDS } from './rules.ts';
import type { DirectorySnapshot } from './snapshot.ts';
import { directoryReach, ensureReaches, type DirectoryReach, changeActor } from './admin-scope.ts';
import { formInvalid } from './admin-people-write.ts';
import { changeViews } from './admin-history.ts';
import { orgChoices } from './admin-people.ts';
import type { ChangeView, Choice, OrgInput, OrgTreeNode } from './admin-types.ts';

/** Depth-first from the roots the actor reaches (a district's admin: their district), siblings by sort then name. */
function treeNodes(snap: DirectorySnapshot, reach: DirectoryReach, people: Map<string, number>): OrgTreeNode[] {
  const children = new Map<string | null, string[]>();
  for (const o of snap.orgs.values()) {
    const parent = o.parentId && snap.orgs.has(o.parentId) ? o.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), o.id]);
  }
  const sortOf = reach.tree.byId;
  for (const list of children.values()) {
    list.sort((a, b) => (sortOf.get(a)?.sort ?? 0) - (sortOf.get(b)?.sort ?? 0) || snap.orgs.get(a)!.name.localeCompare(snap.orgs.get(b)!.name, 'zh-CN'));
  }
  const out: OrgTreeNode[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const o = snap.orgs.get(id)!;
    out.push({
      id, name: o.name, kind: o.kind, kindLabel: ORG_KINDS[o.kind] ?? o.kind, parentId: o.parentId, disabled: o.disabled, depth,
      people: people.get(id) ?? 0, canEdit: true,
    });
    for (const c of children.get(id) ?? []) visit(c, depth + 1);
  };
  for (const root of reach.district ? [reach.district.id] : children.get(null) ?? []) visit(root, 0);
  return out;
}

export function kindChoices(): Choice[] {
  return Object.entries(ORG_KINDS).map(([value, label]) => ({ value, label }));
}

export async function orgTreeView(rc: RuntimeContext, actor: Actor): Promise<{ nodes: OrgTreeNode[]; kinds: Choice[]; parents: Choice[] }> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  return { nodes: treeNodes(snap, reach, await countPeopleByOrg(rc.reads)), kinds: kindChoices(), parents: orgChoices(snap, reach) };
}

function orgNotFound(id: string): LvzError {
  return new LvzError('LVZ_RUN_NOT_FOUND', `没有编码为“${id}”的组织：请从组织机构列表重新打开`, { params: { org: id } });
}

export async function orgView(rc: RuntimeContext, actor: Actor, id: string): Promise<OrgTreeNode & { history: ChangeView[] }> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  const o = snap.orgs.get(id);
  if (!o) throw orgNotFound(id);
  ensureReaches(reach, [id], `组织“${o.name}”`);
  const people = await countPeopleByOrg(rc.reads);
  const history = changeViews(snap, rc, await listChanges(rc.reads, { entity: 'org', entityId: id, limit: 50 }));
  return { id, name: o.name, kind: o.kind, kindLabel: ORG_KINDS[o.kind] ?? o.kind, parentId: o.parentId, disabled: o.disabled, depth: 0, people: people.get(id) ?? 0, canEdit: true, history };
}

const err = (name: string, message: string) => ({ id: `f-${name}`, name, message });

function checkOrgInput(input: OrgInput, isNew: boolean, exists: (id: string) => boolean) {
  const errors = [];
  const id = input.id?.trim() ?? '';
  if (isNew && !id) errors.push(err('id', '请填写组织编码（例如 city-jyj；保存后不能再改）'));
  else if (isNew && !ORG_ID.test(id)) errors.push(err('id', `组织编码“${id}”不可用：请用英文字母、数字、点、下划线或连字符（例如 city-jyj）`));
  else if (isNew && exists(id)) errors.push(err('id', `组织编码“${id}”已被使用：请换一个`));
  if (!input.name.trim()) errors.push(err('name', '请填写组织名称'));
  else if ([...input.name.trim()].length > 100) errors.push(err('name', '组织名称不能超过 100 个字'));
  if (!(input.kind in ORG_KINDS)) errors.push(err('kind', '请选择组织类型'));
  return errors;
}


export async function createOrg(rc: RuntimeContext, actor: Actor, input: OrgInput): Promise<{ id: string }> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot(rc.db);
  const errors = checkOrgInput(input, true, (id) => reach.tree.byId.has(id));
  // A district's admin adds under their district; only the city's admin may add a top-level org.
  if (!input.parentId && reach.district) errors.push(err('parentId', `请选择上级组织（${reach.district.name}或其下属组织）`));
  if (errors.length) throw formInvalid('组织', errors);
  const id = input.id!.trim();
  ensureReaches(reach, [input.parentId || null], `新组织“${input.name.trim()}”的上级`);
  const sort = [...snap.orgs.values()].filter((o) => o.parentId === (input.parentId || null)).length;
  const fields: OrgFields = { name: input.name.trim(), kind: input.kind as OrgKind, parentId: input.parentId || null, sort, disabled: false };
  await applyDirectoryChanges(rc, changeActor(actor), { orgs: [{ id, ...fields }] }, { source: 'admin' });
  return { id };
}

async function storedOrg(rc: RuntimeContext, actor: Actor, id: string) {
  const reach = await directoryReach(rc.reads, actor);
  const o = reach.tree.byId.get(id);
  if (!o) throw orgNotFound(id);
  ensureReaches(reach, [id], `组织“${o.name}”`);
  return { reach, o };
}

export async function updateOrg(rc: RuntimeContext, actor: Actor, id: string, input: OrgInput): Promise<{ changed: boolean }> {
  const { reach, o } = await storedOrg(rc, actor, id);
  const errors = checkOrgInput(input, false, () => false);
  if (input.parentId === id) errors.push(err('parentId', '组织不能做自己的上级：请选择另一个上级组织'));
  // The district itself stays where the city put it: its admin may not move or retype it.
  if (reach.district?.id === id && ((input.parentId || null) !== o.parentId || input.kind !== o.kind)) {
    errors.push(err('parentId', `${o.name}的上级和类型由市人大常委会的管理员设定：这里只能改名称`));
  }
  if (errors.length) throw formInvalid('组织', errors);
  if (reach.district?.id !== id) ensureReaches(reach, [input.parentId || null], `组织“${o.name}”要移入的上级`);
  const fields: OrgFields = { name: input.name.trim(), kind: input.kind as OrgKind, parentId: input.parentId || null, sort: o.sort, disabled: o.disabled };
  const r = await applyDirectoryChanges(rc, changeActor(actor), { orgs: [{ id, ...fields }] }, { source: 'admin' });
  return { changed: r.orgs.updated > 0 };
}

export async function setOrgDisabled(rc: RuntimeContext, actor: Actor, id: string, disabled: boolean): Promise<{ changed: boolean }> {
  const { reach, o } = await storedOrg(rc, actor, id);
  if (reach.district?.id === id) {
    throw new LvzError('LVZ_AUTH_FORBIDDEN', `${o.name}由市人大常委会的管理员停用或启用，未做任何修改：请联系市人大常委会的管理员`, { params: { district: id } });
  }
  if (o.disabled === disabled) return { changed: false };
  await applyDirectoryChanges(rc, changeActor(actor), { orgs: [{ id, name: o.name, kind: o.kind, parentId: o.parentId, sort: o.sort, disabled }] }, { source: 'admin' });
  return { changed: true };
}



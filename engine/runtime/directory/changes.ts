// changes.ts: the one way the directory is written. An import and every 通讯录 form describe what
// they want stored as a change set (records by stable key: org 编码, 用户名, 分组编码, role id);
// applyDirectoryChanges merges it with what is stored, checks the merged state (rules.ts) and the
// actor's reach, and only then writes what differs, with an audit row each, in one transaction.
// A second apply of the same set finds nothing to change.

import type { Knex } from 'knex';
import { LvzError } from '../../errors.ts';
import { ADMIN_ROLE, type RoleDef } from '../../dsl/roles.ts';
import { listOrgs } from '../../store/directory.ts';
import {
  deleteRole, insertMemberGroup, insertOrgRows, insertRole, insertUserRows, listDeclaredRoles, listGroupMembers, listMemberGroups,
  listUserRecords, recordChanges, revokeAccess, updateMemberGroup, updateOrg, updateRole, updateUser, writeGroupMembers,
  type NewChange, type OrgFields, type UserFields,
} from '../../store/directory-data.ts';
import { writeTx } from '../../store/process/tx.ts';
import { NO_PASSWORD, type ChangeSource, type GroupMemberRow, type MemberGroupRow } from '../../store/types.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { effectiveRoles } from './roles.ts';
import { districtsOf } from './snapshot.ts';
import { checkOrgTree, checkPerson, cityAdmins, GROUP_ID, where, type Problem, type RowAt } from './rules.ts';
import { describeOrg, describeUser } from './summaries.ts';

export interface ChangeSet {
  /** Roles to declare (or relabel): never one roles.yaml ships. */
  roles?: (RoleDef & { at?: RowAt })[];
  removeRoles?: string[];
  orgs?: ({ id: string; at?: RowAt } & OrgFields)[];
  /** People by username; `passwordHash` only for a new person or a reset (then `mustChangePassword`). */
  people?: ({ id: string; at?: RowAt; passwordHash?: string; mustChangePassword?: boolean; isDemo?: boolean } & UserFields)[];
  groups?: (MemberGroupRow & { at?: RowAt })[];
  members?: (GroupMemberRow & { at?: RowAt })[];
  removeMembers?: { groupId: string; userId: string }[];
}

export interface ChangeOptions {
  source: ChangeSource;
  /** The import's id, on every audit row it writes. */
  batchId?: string;
  /** Check and count only: nothing is written (the import's 预检). */
  dryRun?: boolean;
  /** Called while writing, for a progress bar: rows written of rows to write. */
  onProgress?: (done: number, total: number) => void;
}

export interface Counts { created: number; updated: number; unchanged: number }
export type ChangeResult = Record<'roles' | 'orgs' | 'people' | 'groups' | 'members', Counts>;

/** The one the audit history names: a person, or the command line / the demo seed. */
type Who = Pick<Actor, 'userId' | 'name' | 'orgId' | 'roles'> | null;

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

/** LVZ_DIR_INVALID with every problem; the message lists the first few. */
export function invalid(problems: Problem[]): LvzError {
  const shown = problems.slice(0, 5).map((p) => p.message).join('；');
  const more = problems.length > 5 ? `；另有 ${problems.length - 5} 处，见列表` : '';
  return new LvzError('LVZ_DIR_INVALID', `通讯录有 ${problems.length} 处问题，未做任何修改：${shown}${more}`, {
    params: { problems: problems.map((p) => ({ ...(p.at && { sheet: p.at.sheet, line: p.at.line }), message: p.message })) },
  });
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function orgFields(o: OrgFields): OrgFields {
  return { name: o.name, kind: o.kind, parentId: o.parentId, sort: o.sort, disabled: o.disabled };
}

function userFields(u: UserFields): UserFields {
  return { name: u.name, orgId: u.orgId, roles: [...u.roles], phone: u.phone, deputyLevel: u.deputyLevel, constituency: u.constituency, disabled: u.disabled };
}

/** Parents before children, so each insert finds its parent (the foreign key). */
function parentsFirst<T extends { id: string; parentId: string | null }>(rows: T[]): T[] {
  const ids = new Set(rows.map((r) => r.id));
  const out: T[] = [];
  const placed = new Set<string>();
  let pending = rows;
  while (pending.length > 0) {
    const next = pending.filter((r) => r.parentId !== null && ids.has(r.parentId) && !placed.has(r.parentId));
    const ready = pending.filter((r) => !next.includes(r));
    if (ready.length === 0) return [...out, ...pending]; // a cycle: checkOrgTree has refused it already
    for (const r of ready) { out.push(r); placed.add(r.id); }
    pending = next;
  }
  return out;
}

/** Below this many records a change reads only the people its checks need (the whole directory costs ~0.5 s at 6,007). */
const FEW = 200;

/**
 * The people a change set's checks read: those it names (as people, members or deputies served),
 * every administrator (the last-admin rule), the people of orgs it changes (停用 with people in it)
 * and the holders of roles it removes. Undefined: everyone (a large set, where one scan is cheaper).
 */
function usersToRead(set: ChangeSet): { ids: string[]; orgIds: string[]; roles: string[] } | undefined {
  const size = (set.people?.length ?? 0) + (set.members?.length ?? 0) + (set.orgs?.length ?? 0);
  if (size > FEW) return undefined;
  const ids = new Set<string>();
  for (const p of set.people ?? []) ids.add(p.id);
  for (const m of set.members ?? []) {
    ids.add(m.userId);
    if (m.worksFor) ids.add(m.worksFor);
  }
  for (const m of set.removeMembers ?? []) ids.add(m.userId);
  return { ids: [...ids], orgIds: (set.orgs ?? []).map((o) => o.id), roles: [ADMIN_ROLE, ...(set.removeRoles ?? [])] };
}

/**
 * Checks the change set against the stored directory and writes it in one transaction, or throws
 * (LVZ_DIR_INVALID with every bad row, LVZ_DIR_CONFLICT, LVZ_AUTH_FORBIDDEN) having written nothing.
 */
export async function applyDirectoryChanges(rc: RuntimeContext, who: Who, set: ChangeSet, opts: ChangeOptions): Promise<ChangeResult> {
  const now = rc.now();
  const run = async (trx: Knex): Promise<ChangeResult> => {
    const result: ChangeResult = { roles: zero(), orgs: zero(), people: zero(), groups: zero(), members: zero() };
    const problems: Problem[] = [];

    // ---- roles ---------------------------------------------------------------------------------
    const declared = new Map((await listDeclaredRoles(trx)).map((r) => [r.id, r]));
    const shipped = new Set(rc.registry.shippedRoles.list.map((r) => r.id));
    const roleWrites: { def: RoleDef; isNew: boolean }[] = [];
    for (const r of set.roles ?? []) {
      if (shipped.has(r.id)) {
        const s = rc.registry.shippedRoles.list.find((x) => x.id === r.id)!;
        if (s.label !== r.label || s.description !== r.description) {
          problems.push({ at: r.at, message: `${where(r.at)}角色“${r.id}”由 directory/roles.yaml 随产品提供（${s.label}），不能在此修改：请删去这一行，或改用另一个编码` });
        } else result.roles.unchanged++;
        continue;
      }
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(r.id)) problems.push({ at: r.at, message: `${where(r.at)}角色编码“${r.id}”不可用：请用小写英文字母开头，只含小写字母、数字和下划线（例如 liaison）` });
      if (!r.label.trim() || r.label.length > 40) problems.push({ at: r.at, message: `${where(r.at)}角色“${r.id}”的名称应为 1–40 个字` });
      const old = declared.get(r.id);
      if (!old) { roleWrites.push({ def: r, isNew: true }); result.roles.created++; }
      else if (old.label !== r.label || old.description !== r.description) { roleWrites.push({ def: r, isNew: false }); result.roles.updated++; }
      else result.roles.unchanged++;
    }
    const roleDefs = new Map([...declared.values()].map((r) => [r.id, { id: r.id, label: r.label, description: r.description }]));
    for (const w of roleWrites) roleDefs.set(w.def.id, { id: w.def.id, label: w.def.label, description: w.def.description });
    for (const id of set.removeRoles ?? []) roleDefs.delete(id);
    const roles = effectiveRoles(rc.registry, [...roleDefs.values()]);

    // ---- orgs ----------------------------------------------------------------------------------
    const storedOrgs = await listOrgs(trx);
    const orgs = new Map<string, OrgFields & { at?: RowAt }>(storedOrgs.map((o) => [o.id, orgFields(o)]));
    const orgBefore = new Map(storedOrgs.map((o) => [o.id, orgFields(o)]));
    const seenOrg = new Map<string, RowAt | undefined>();
    for (const o of set.orgs ?? []) {
      if (seenOrg.has(o.id)) {
        const first = seenOrg.get(o.id);
        problems.push({ at: o.at, message: `${where(o.at)}组织编码“${o.id}”重复${first ? `（与第 ${first.line} 行）` : ''}：每个组织只能列一次` });
        continue;
      }
      seenOrg.set(o.id, o.at);
      orgs.set(o.id, { ...orgFields(o), at: o.at });
    }
    problems.push(...checkOrgTree(orgs, new Set(seenOrg.keys())));
    const district = districtsOf([...orgs].map(([id, o]) => ({ id, kind: o.kind, parentId: o.parentId })));
    const districtBefore = districtsOf(storedOrgs);
    const orgName = (id: string | null): string => (id === null ? '无（顶级）' : orgs.get(id)?.name ?? id);

    // ---- people --------------------------------------------------------------------------------
    // A few people (a 通讯录 form): read only those the checks need; a whole import reads everyone.
    const storedUsers = await listUserRecords(trx, usersToRead(set));
    const users = new Map<string, UserFields>(storedUsers.map((u) => [u.id, userFields(u)]));
    const userBefore = new Map(storedUsers.map((u) => [u.id, userFields(u)]));
    const seenUser = new Map<string, RowAt | undefined>();
    const personIn = new Map((set.people ?? []).map((p) => [p.id, p]));
    const personCtx = { orgs: new Map([...orgs].map(([id, o]) => [id, { name: o.name, disabled: o.disabled }])), roles };
    for (const p of set.people ?? []) {
      const id = p.id;
      if (seenUser.has(id)) {
        const first = seenUser.get(id);
        problems.push({ at: p.at, message: `${where(p.at)}用户名“${id}”重复${first ? `（与${first.sheet} 第 ${first.line} 行）` : ''}：每人只能列一次，用户名不能相同` });
        continue;
      }
      seenUser.set(id, p.at);
      const fields = userFields(p);
      problems.push(...checkPerson(id, { ...fields, at: p.at }, personCtx));
      users.set(id, fields);
    }
    // A role removed from the set, or an org disabled, must not leave someone holding or in it.
    for (const id of set.removeRoles ?? []) {
      if (shipped.has(id)) { problems.push({ message: `角色“${id}”由 directory/roles.yaml 随产品提供，不能删除` }); continue; }
      if (!declared.has(id)) { problems.push({ message: `没有声明过角色“${id}”：无需删除` }); continue; }
    }

    if (problems.length > 0) throw invalid(problems);

    // ---- groups and members ----------------------------------------------------------------------
    const storedGroups = await listMemberGroups(trx);
    const groups = new Map(storedGroups.map((g) => [g.id, g]));
    const groupWrites: { g: MemberGroupRow; isNew: boolean }[] = [];
    for (const g of set.groups ?? []) {
      if (!GROUP_ID.test(g.id)) problems.push({ at: g.at, message: `${where(g.at)}分组编码“${g.id}”不可用：请用小写英文字母开头，只含小写字母、数字和下划线（例如 liaisons）` });
      if (!g.name.trim()) problems.push({ at: g.at, message: `${where(g.at)}分组“${g.id}”没有名称：请填写名称` });
      if (g.ownerOrg !== null && district.get(g.ownerOrg) !== g.ownerOrg) problems.push({ at: g.at, message: `${where(g.at)}分组“${g.name}”的所属区“${g.ownerOrg}”不是区县人大常委会：请留空（全市）或填区的编码` });
      const old = groups.get(g.id);
      const row: MemberGroupRow = { id: g.id, name: g.name, description: g.description, ownerOrg: g.ownerOrg, disabled: g.disabled };
      if (!old) { groupWrites.push({ g: row, isNew: true }); result.groups.created++; }
      else if (!sameJson(old, row)) { groupWrites.push({ g: row, isNew: false }); result.groups.updated++; }
      else result.groups.unchanged++;
      groups.set(g.id, row);
    }
    const storedMembers = await listGroupMembers(trx);
    const memberKey = (m: { groupId: string; userId: string }): string => `${m.groupId}\u0000${m.userId}`;
    const members = new Map(storedMembers.map((m) => [memberKey(m), m]));
    const memberWrites: GroupMemberRow[] = [];
    const seenMember = new Set<string>();
    const isDeputy = (id: string): boolean => { const u = users.get(id); return !!u && (u.deputyLevel !== null || u.roles.includes('deputy')); };
    for (const m of set.members ?? []) {
      const key = memberKey(m);
      if (seenMember.has(key)) { problems.push({ at: m.at, message: `${where(m.at)}“${m.userId}”在分组“${m.groupId}”中重复列出：删去一行` }); continue; }
      seenMember.add(key);
      if (!groups.has(m.groupId)) problems.push({ at: m.at, message: `${where(m.at)}分组编码“${m.groupId}”不存在：请先在分组中列出，或更正编码` });
      if (!users.has(m.userId)) problems.push({ at: m.at, message: `${where(m.at)}用户名“${m.userId}”不在人员中，也不在通讯录里：请先列出此人，或更正用户名` });
      if (m.worksFor !== null) {
        if (!users.has(m.worksFor)) problems.push({ at: m.at, message: `${where(m.at)}服务代表“${m.worksFor}”不在人员中，也不在通讯录里：请更正用户名` });
        else if (!isDeputy(m.worksFor)) problems.push({ at: m.at, message: `${where(m.at)}服务代表“${users.get(m.worksFor)!.name}”不是人大代表（没有代表层级或 deputy 角色）：请更正` });
        if (m.worksFor === m.userId) problems.push({ at: m.at, message: `${where(m.at)}“${m.userId}”不能为自己服务：请填所服务代表的用户名` });
      }
      const old = members.get(key);
      const row: GroupMemberRow = { groupId: m.groupId, userId: m.userId, worksFor: m.worksFor, sort: m.sort };
      if (!old) { memberWrites.push(row); result.members.created++; }
      else if (old.worksFor !== row.worksFor || old.sort !== row.sort) { memberWrites.push(row); result.members.updated++; }
      else result.members.unchanged++;
    }
    const memberRemovals = (set.removeMembers ?? []).filter((m) => members.has(memberKey(m)));
    if (problems.length > 0) throw invalid(problems);

    // ---- what is in use ------------------------------------------------------------------------------
    const conflicts: string[] = [];
    for (const id of set.removeRoles ?? []) {
      const holders = [...users].filter(([, u]) => u.roles.includes(id)).map(([, u]) => u.name);
      if (holders.length) conflicts.push(`角色“${roleDefs.get(id)?.label ?? declared.get(id)?.label ?? id}”还有 ${holders.length} 人担任（${holders.slice(0, 5).join('、')}${holders.length > 5 ? ' 等' : ''}）：请先取消他们的这一角色`);
      const workflows = [...rc.registry.latest.values()].filter((wf) => wf.def.roles.includes(id)).map((wf) => wf.def.title);
      if (workflows.length) conflicts.push(`角色“${declared.get(id)?.label ?? id}”被流程 ${workflows.map((t) => `“${t}”`).join('、')} 使用：请先修改这些流程`);
      const open = await trx('tasks').where({ role: id, status: 'open' }).count({ n: '*' }).first();
      if (Number(open?.n ?? 0) > 0) conflicts.push(`角色“${declared.get(id)?.label ?? id}”还有 ${Number(open!.n)} 件待办在等待办理：请等这些件办完`);
    }
    for (const [id, o] of orgs) {
      if (!o.disabled || orgBefore.get(id)?.disabled) continue;
      const inIt = [...users].filter(([, u]) => u.orgId === id && !u.disabled);
      if (inIt.length) conflicts.push(`组织“${o.name}”下还有 ${inIt.length} 名在用人员（${inIt.slice(0, 5).map(([, u]) => u.name).join('、')}${inIt.length > 5 ? ' 等' : ''}）：请先把他们移到其他组织或停用`);
    }
    const adminsBefore = cityAdmins(userBefore, (o) => districtBefore.get(o) ?? undefined);
    const adminsAfter = cityAdmins(users, (o) => district.get(o) ?? undefined);
    if (adminsBefore.length > 0 && adminsAfter.length === 0) {
      conflicts.push('这样修改后将没有可用的市级系统管理员，谁也无法再管理本系统：请先为另一人分配“系统管理员”角色');
    }
    if (conflicts.length) throw new LvzError('LVZ_DIR_CONFLICT', `未做任何修改：${conflicts.join('；')}`, { params: { conflicts } });

    // ---- the actor's reach ---------------------------------------------------------------------------
    const orgWrites = [...seenOrg.keys()].filter((id) => !orgBefore.has(id) || !sameJson(orgBefore.get(id), orgFields(orgs.get(id)!)));
    const userWrites = [...seenUser.keys()].filter((id) => {
      const p = personIn.get(id)!;
      return !userBefore.has(id) || !sameJson(userBefore.get(id), users.get(id)) || p.passwordHash !== undefined;
    });
    if (who && who.roles.includes(ADMIN_ROLE)) {
      const home = district.get(who.orgId) ?? districtBefore.get(who.orgId) ?? null;
      if (home !== null) {
        const outside: string[] = [];
        for (const id of orgWrites) {
          if ((district.get(id) ?? null) !== home || (orgBefore.has(id) && (districtBefore.get(id) ?? null) !== home)) outside.push(`组织“${orgName(id)}”`);
        }
        for (const id of userWrites) {
          const u = users.get(id)!;
          const b = userBefore.get(id);
          if ((district.get(u.orgId) ?? null) !== home || (b && (districtBefore.get(b.orgId) ?? null) !== home)) outside.push(`“${u.name}”`);
        }
        for (const w of groupWrites) if (w.g.ownerOrg !== home || (!w.isNew && groups.get(w.g.id) && storedGroups.find((g) => g.id === w.g.id)?.ownerOrg !== home)) outside.push(`分组“${w.g.name}”`);
        for (const m of [...memberWrites, ...memberRemovals]) if (groups.get(m.groupId)?.ownerOrg !== home) outside.push(`分组“${groups.get(m.groupId)?.name ?? m.groupId}”的成员`);
        if (roleWrites.length || (set.removeRoles ?? []).length) outside.push('角色（全市统一声明）');
        if (outside.length) {
          throw new LvzError('LVZ_AUTH_FORBIDDEN', `您是${orgName(home)}的管理员，只能管理本区的通讯录：${outside.slice(0, 5).join('、')}${outside.length > 5 ? ` 等 ${outside.length} 项` : ''}不在本区，未做任何修改；请联系市人大常委会的管理员`, { params: { district: home } });
        }
      }
    } else if (who) {
      throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有系统管理员可以修改通讯录：请联系管理员', {});
    }

    result.orgs.unchanged = seenOrg.size - orgWrites.length;
    result.orgs.created = orgWrites.filter((id) => !orgBefore.has(id)).length;
    result.orgs.updated = orgWrites.length - result.orgs.created;
    result.people.created = userWrites.filter((id) => !userBefore.has(id)).length;
    result.people.updated = userWrites.length - result.people.created;
    result.people.unchanged = seenUser.size - userWrites.length;
    if (opts.dryRun) return result;

    // ---- write --------------------------------------------------------------------------------------
    const total = roleWrites.length + (set.removeRoles ?? []).length + orgWrites.length + userWrites.length + groupWrites.length + memberWrites.length + memberRemovals.length;
    let done = 0;
    const step = (n: number): void => { done += n; opts.onProgress?.(done, total); };
    const audit: NewChange[] = [];
    const base = { actorId: who?.userId ?? null, actorName: who?.name ?? (opts.source === 'cli' ? '命令行' : opts.source === 'demo' ? '演示数据' : ''), source: opts.source, batchId: opts.batchId ?? null };
    const roleLabel = (id: string): string => roles.labelOf(id);

    for (const w of roleWrites) {
      if (w.isNew) await insertRole(trx, { ...w.def, createdBy: who?.userId ?? null }, now);
      else await updateRole(trx, w.def.id, w.def);
      audit.push({ ...base, entity: 'role', entityId: w.def.id, action: w.isNew ? 'create' : 'update', summary: `${w.isNew ? '声明角色' : '修改角色'}：${w.def.label}（${w.def.id}）`, before: declared.get(w.def.id) ?? null, after: w.def });
    }
    for (const id of set.removeRoles ?? []) {
      await deleteRole(trx, id);
      audit.push({ ...base, entity: 'role', entityId: id, action: 'remove', summary: `删除角色：${declared.get(id)?.label ?? id}（${id}）`, before: declared.get(id) ?? null, after: null });
    }
    step(roleWrites.length + (set.removeRoles ?? []).length);

    const newOrgs = parentsFirst(orgWrites.filter((id) => !orgBefore.has(id)).map((id) => ({ id, ...orgFields(orgs.get(id)!) })));
    await insertOrgRows(trx, newOrgs, now);
    for (const id of orgWrites.filter((x) => orgBefore.has(x))) await updateOrg(trx, id, orgFields(orgs.get(id)!), now);
    for (const id of orgWrites) {
      const b = orgBefore.get(id);
      const a = orgFields(orgs.get(id)!);
      audit.push({ ...base, entity: 'org', entityId: id, action: !b ? 'create' : b.disabled !== a.disabled ? (a.disabled ? 'disable' : 'enable') : 'update', summary: describeOrg(b, a, orgName), before: b ?? null, after: a });
    }
    step(orgWrites.length);

    const inserts = userWrites.filter((id) => !userBefore.has(id)).map((id) => {
      const p = personIn.get(id)!;
      // Without a password nobody can log in as the person until an administrator resets it.
      return { id, ...users.get(id)!, passwordHash: p.passwordHash ?? NO_PASSWORD, mustChangePassword: p.mustChangePassword ?? true, ...(p.isDemo && { isDemo: true }) };
    });
    for (let i = 0; i < inserts.length; i += 500) { await insertUserRows(trx, inserts.slice(i, i + 500), now); step(Math.min(500, inserts.length - i)); }
    for (const id of userWrites.filter((x) => userBefore.has(x))) {
      const p = personIn.get(id)!;
      const b = userBefore.get(id)!;
      const a = users.get(id)!;
      if (!sameJson(b, a)) await updateUser(trx, id, a, now);
      if (p.passwordHash !== undefined) {
        await trx('users').where({ id }).update({ password_hash: p.passwordHash, must_change_password: p.mustChangePassword ?? true });
        await revokeAccess(trx, id);
      }
      if (a.disabled && !b.disabled) await revokeAccess(trx, id);
      step(1);
    }
    for (const id of userWrites) {
      const b = userBefore.get(id);
      const a = users.get(id)!;
      const p = personIn.get(id)!;
      const changed = !b || !sameJson(b, a);
      const action = !b ? 'create' : b.disabled !== a.disabled ? (a.disabled ? 'disable' : 'enable') : changed ? 'update' : 'reset_password';
      const summary = [
        changed ? describeUser(b, a, (o) => orgName(o), roleLabel) : '',
        b && p.passwordHash !== undefined ? '重置密码（下次登录须修改）' : '',
        !b && p.passwordHash === undefined ? '未设密码（管理员重置密码后方可登录）' : '',
      ].filter(Boolean).join('；');
      audit.push({ ...base, entity: 'user', entityId: id, action, summary, before: b ?? null, after: a });
    }

    for (const w of groupWrites) {
      if (w.isNew) await insertMemberGroup(trx, w.g, now);
      else await updateMemberGroup(trx, w.g, now);
      audit.push({ ...base, entity: 'group', entityId: w.g.id, action: w.isNew ? 'create' : 'update', summary: `${w.isNew ? '新建分组' : '修改分组'}：${w.g.name}`, before: storedGroups.find((g) => g.id === w.g.id) ?? null, after: w.g });
    }
    await writeGroupMembers(trx, memberWrites, memberRemovals);
    const personName = (id: string): string => users.get(id)?.name ?? id;
    for (const m of memberWrites) {
      const g = groups.get(m.groupId)!;
      audit.push({ ...base, entity: 'group', entityId: m.groupId, action: 'member', summary: `${g.name}：${members.has(memberKey(m)) ? '修改' : '加入'} ${personName(m.userId)}${m.worksFor ? `（服务代表：${personName(m.worksFor)}）` : ''}`, before: members.get(memberKey(m)) ?? null, after: m });
    }
    for (const m of memberRemovals) {
      audit.push({ ...base, entity: 'group', entityId: m.groupId, action: 'member_remove', summary: `${groups.get(m.groupId)?.name ?? m.groupId}：移出 ${personName(m.userId)}`, before: members.get(memberKey(m)) ?? null, after: null });
    }
    step(groupWrites.length + memberWrites.length + memberRemovals.length);

    await recordChanges(trx, audit, now);
    return result;
  };
  const result = opts.dryRun ? await run(rc.db) : await writeTx(rc.db, run);
  if (!opts.dryRun) {
    rc.refreshDirectory();
    if ((set.roles ?? []).length || (set.removeRoles ?? []).length) {
      rc.registry.roles = effectiveRoles(rc.registry, (await listDeclaredRoles(rc.db)).map(({ id, label, description }) => ({ id, label, description })));
      rc.registry.rolesStamp = undefined;
    }
  }
  return result;
}

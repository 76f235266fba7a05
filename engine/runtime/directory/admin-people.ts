// admin-people.ts: 通讯录管理's reads of people: the list (searched and paged in SQL), one person
// with groups, roles and history, and the choices of the add/edit form, all within the actor's reach.

import { LvzError } from '../../errors.ts';
import { getUser } from '../../store/directory.ts';
import { listChanges, searchUsers } from '../../store/directory-data.ts';
import { membershipChangesOf, membershipsOf } from '../../store/directory-admin.ts';
import { DEPUTY_LEVEL_LABELS, type DeputyLevel } from '../../store/types.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import type { Page } from '../../model/page.ts';
import { cityAdmins } from './rules.ts';
import type { DirectorySnapshot } from './snapshot.ts';
import { directoryReach, ensureReaches, reaches, type DirectoryReach } from './admin-scope.ts';
import type { ChangeView, Choice, PeopleFilters, PeopleQuery, PersonFormOptions, PersonSummary, PersonView } from './admin-types.ts';
import { changeViews } from './admin-history.ts';

/** The orgs an admin may choose (their district's, or all), live ones only, each with its path for the list. */
export function orgChoices(snap: DirectorySnapshot, reach: DirectoryReach, withDisabled = false): Choice[] {
  const out: Choice[] = [];
  const label = (id: string): string => {
    const names: string[] = [];
    for (let o = snap.orgs.get(id), n = 0; o && n < 20; o = o.parentId ? snap.orgs.get(o.parentId) : undefined, n++) names.unshift(o.name);
    return names.join(' / ');
  };
  for (const o of snap.orgs.values()) {
    if ((withDisabled || !o.disabled) && reaches(reach, o.id)) out.push({ value: o.id, label: label(o.id) });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
}

export function roleChoices(rc: RuntimeContext): Choice[] {
  return rc.registry.roles.list.map((r) => ({ value: r.id, label: r.label }));
}

/** A district's admin gives only their district's groups; the city's admin every group. */
export function groupChoices(snap: DirectorySnapshot, reach: DirectoryReach): Choice[] {
  return [...snap.groups.values()]
    .filter((g) => !g.disabled && (!reach.district || g.ownerOrg === reach.district.id))
    .map((g) => ({ value: g.id, label: g.name }));
}

export function deputyLevelChoices(): Choice[] {
  return Object.entries(DEPUTY_LEVEL_LABELS).map(([value, label]) => ({ value, label: `${label}人大代表` }));
}

function filtersOf(rc: RuntimeContext, snap: DirectorySnapshot, reach: DirectoryReach): PeopleFilters {
  return {
    orgs: orgChoices(snap, reach, true),
    roles: roleChoices(rc),
    groups: [...snap.groups.values()].map((g) => ({ value: g.id, label: g.name })),
  };
}

export async function listPeople(rc: RuntimeContext, actor: Actor, query: PeopleQuery): Promise<Page<PersonSummary> & { filters: PeopleFilters; district?: string }> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  let orgIds = reach.district ? [...reach.district.orgs] : undefined;
  if (query.org) {
    const sub = reach.tree.subtree(query.org);
    orgIds = orgIds ? sub.filter((o) => reaches(reach, o)) : sub;
  }
  const status = query.status ?? 'active';
  const page = Math.max(1, Math.floor(query.page) || 1);
  const { rows, total } = await searchUsers(rc.reads, {
    ...(query.q?.trim() && { q: query.q.trim().slice(0, 100) }),
    ...(orgIds && { orgIds }),
    ...(query.role && { role: query.role }),
    ...(query.group && { groupId: query.group }),
    ...(status !== 'all' && { disabled: status === 'disabled' }),
    limit: query.pageSize, offset: (page - 1) * query.pageSize,
  });
  const items = rows.map((u): PersonSummary => ({
    id: u.id, name: u.name, orgId: u.orgId, orgName: snap.orgs.get(u.orgId)?.name ?? u.orgId,
    roles: u.roles.map((r) => ({ value: r, label: rc.registry.roles.labelOf(r) })),
    phone: u.phone, disabled: u.disabled, mustChangePassword: u.mustChangePassword,
  }));
  return {
    items, total, isCapped: false, page, pageSize: query.pageSize, filters: filtersOf(rc, snap, reach),
    ...(reach.district && { district: reach.district.name }),
  };
}

/** Active city administrators after nothing changes: who would be the last. */
export function currentCityAdmins(snap: DirectorySnapshot): string[] {
  return cityAdmins([...snap.people].map(([id, p]) => [id, p]), (o) => snap.orgs.get(o)?.district ?? undefined);
}

export function orgPathOf(snap: DirectorySnapshot, id: string): string {
  const names: string[] = [];
  for (let o = snap.orgs.get(id), n = 0; o && n < 20; o = o.parentId ? snap.orgs.get(o.parentId) : undefined, n++) names.unshift(o.name);
  return names.join(' / ') || id;
}

export function notFound(id: string): LvzError {
  return new LvzError('LVZ_RUN_NOT_FOUND', `通讯录中没有用户名为“${id}”的人员：请从人员列表重新打开`, { params: { user: id } });
}

export async function personView(rc: RuntimeContext, actor: Actor, id: string): Promise<PersonView> {
  const reach = await directoryReach(rc.reads, actor);
  const user = await getUser(rc.reads, id);
  if (!user) throw notFound(id);
  const snap = await rc.snapshot();
  ensureReaches(reach, [user.orgId], `“${user.name}”`);
  const memberships = await membershipsOf(rc.reads, id);
  const own = await listChanges(rc.reads, { entity: 'user', entityId: id, limit: 50 });
  const groupLines = await membershipChangesOf(rc.reads, id, 50);
  const lines = [...own, ...groupLines].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 50);
  const history: ChangeView[] = changeViews(snap, rc, lines);
  const admins = currentCityAdmins(snap);
  return {
    id: user.id, name: user.name, orgId: user.orgId, orgName: snap.orgs.get(user.orgId)?.name ?? user.orgId, orgPath: orgPathOf(snap, user.orgId),
    roles: user.roles.map((r) => ({ value: r, label: rc.registry.roles.labelOf(r) })),
    phone: user.phone, disabled: user.disabled, mustChangePassword: user.mustChangePassword,
    deputyLevelId: user.deputyLevel,
    deputyLevel: user.deputyLevel ? `${DEPUTY_LEVEL_LABELS[user.deputyLevel as DeputyLevel] ?? user.deputyLevel}人大代表` : null,
    constituency: user.constituency,
    groups: memberships.map((m) => ({
      id: m.groupId, name: snap.groups.get(m.groupId)?.name ?? m.groupId,
      worksFor: m.worksFor, worksForName: m.worksFor ? snap.people.get(m.worksFor)?.name ?? m.worksFor : null,
    })),
    history,
    canEdit: true,
    isLastAdmin: admins.length === 1 && admins[0] === id,
  };
}

export async function personFormOptions(rc: RuntimeContext, actor: Actor): Promise<PersonFormOptions> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  return { orgs: orgChoices(snap, reach), roles: roleChoices(rc), groups: groupChoices(snap, reach), deputyLevels: deputyLevelChoices() };
}

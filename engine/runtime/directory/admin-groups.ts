// admin-groups.ts: 分组 in 通讯录管理 (常委会组成人员, 立法专家库, 民情联络员 …): the list, one group
// with its members and the deputy each works for (服务代表), create and edit, add, change or remove a
// member. The city's groups are the city admins'; a district's admin keeps their district's own
// groups, and sees in a city group only the members from their district.

import { LvzError } from '../../errors.ts';
import { listChanges, listGroupMembers, listMemberGroups } from '../../store/directory-data.ts';
import { getUser } from '../../store/directory.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { applyDirectoryChanges } from './changes.ts';
import { GROUP_ID } from './rules.ts';
import { directoryReach, ensureReaches, reaches, type DirectoryReach, changeActor } from './admin-scope.ts';
import { formInvalid } from './admin-people-write.ts';
import { changeViews } from './admin-history.ts';
import type { ChangeView, GroupInput, GroupMemberView, GroupView } from './admin-types.ts';


const canEditGroup = (reach: DirectoryReach, ownerOrg: string | null): boolean => !reach.district || ownerOrg === reach.district.id;

function groupNotFound(id: string): LvzError {
  return new LvzError('LVZ_RUN_NOT_FOUND', `没有编码为“${id}”的分组：请从分组列表重新打开`, { params: { group: id } });
}

function refuseCityGroup(reach: DirectoryReach, name: string): LvzError {
  return new LvzError('LVZ_AUTH_FORBIDDEN',
    `分组“${name}”由市人大常委会的管理员管理；您是${reach.district!.name}的管理员，只能管理本区的分组，未做任何修改：请联系市人大常委会的管理员`,
    { params: { district: reach.district!.id } });
}

export async function listGroups(rc: RuntimeContext, actor: Actor): Promise<GroupView[]> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  const counts = new Map<string, number>();
  for (const m of await listGroupMembers(rc.reads)) {
    const p = snap.people.get(m.userId);
    if (p && !p.disabled && reaches(reach, p.orgId)) counts.set(m.groupId, (counts.get(m.groupId) ?? 0) + 1);
  }
  return (await listMemberGroups(rc.reads))
    .filter((g) => g.ownerOrg === null || reaches(reach, g.ownerOrg))
    .map((g) => ({
      ...g, ownerName: g.ownerOrg ? snap.orgs.get(g.ownerOrg)?.name ?? g.ownerOrg : '全市', memberCount: counts.get(g.id) ?? 0, canEdit: canEditGroup(reach, g.ownerOrg),
    }));
}

export async function groupView(rc: RuntimeContext, actor: Actor, id: string): Promise<GroupView & { members: GroupMemberView[]; history: ChangeView[] }> {
  const g = (await listGroups(rc, actor)).find((x) => x.id === id);
  if (!g) throw groupNotFound(id);
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  const members = (await listGroupMembers(rc.reads, id)).flatMap((m): GroupMemberView[] => {
    const p = snap.people.get(m.userId);
    if (!p || !reaches(reach, p.orgId)) return [];
    return [{ userId: m.userId, name: p.name, orgName: p.orgName, worksFor: m.worksFor, worksForName: m.worksFor ? snap.people.get(m.worksFor)?.name ?? m.worksFor : null, disabled: p.disabled }];
  });
  const history = changeViews(snap, rc, await listChanges(rc.reads, { entity: 'group', entityId: id, limit: 50 }));
  return { ...g, members, history };
}

export async function saveGroup(rc: RuntimeContext, actor: Actor, input: GroupInput, isNew: boolean): Promise<{ id: string }> {
  const reach = await directoryReach(rc.reads, actor);
  const id = input.id?.trim() ?? '';
  const stored = (await listMemberGroups(rc.db)).find((g) => g.id === id);
  if (!isNew && !stored) throw groupNotFound(id);
  if (stored && !canEditGroup(reach, stored.ownerOrg)) throw refuseCityGroup(reach, stored.name);
  const errors = [];
  if (isNew && !GROUP_ID.test(id)) errors.push({ id: 'f-id', name: 'id', message: id ? `分组编码“${id}”不可用：请用小写英文字母开头，只含小写字母、数字和下划线（例如 liaisons）` : '请填写分组编码（例如 liaisons；保存后不能再改）' });
  else if (isNew && stored) errors.push({ id: 'f-id', name: 'id', message: `分组编码“${id}”已被“${stored.name}”使用：请换一个` });
  if (!input.name.trim()) errors.push({ id: 'f-name', name: 'name', message: '请填写分组名称（例如 民情联络员）' });
  if (errors.length) throw formInvalid('分组', errors);
  // A district's admin's groups are their district's; the city's admin says whose (empty: the city's).
  const ownerOrg = reach.district ? reach.district.id : (input.ownerOrg || null);
  const row = { id, name: input.name.trim(), description: input.description?.trim() ?? '', ownerOrg, disabled: stored?.disabled ?? false };
  await applyDirectoryChanges(rc, changeActor(actor), { groups: [row] }, { source: 'admin' });
  return { id };
}

export async function setGroupMember(rc: RuntimeContext, actor: Actor, groupId: string, member: { userId: string; worksFor?: string; remove?: boolean }): Promise<void> {
  const reach = await directoryReach(rc.reads, actor);
  const g = (await listMemberGroups(rc.db)).find((x) => x.id === groupId);
  if (!g) throw groupNotFound(groupId);
  if (!canEditGroup(reach, g.ownerOrg)) throw refuseCityGroup(reach, g.name);
  const userId = member.userId.trim().toLowerCase();
  const user = userId ? await getUser(rc.db, userId) : undefined;
  if (!user) throw formInvalid('成员', [{ id: 'f-userId', name: 'userId', message: userId ? `通讯录中没有用户名为“${userId}”的人员：请检查拼写` : '请填写要加入的人员的用户名' }]);
  ensureReaches(reach, [user.orgId], `“${user.name}”`);
  if (member.remove) {
    await applyDirectoryChanges(rc, changeActor(actor), { removeMembers: [{ groupId, userId }] }, { source: 'admin' });
    return;
  }
  const worksFor = member.worksFor?.trim().toLowerCase() || null;
  const current = (await listGroupMembers(rc.db, groupId));
  const sort = current.find((m) => m.userId === userId)?.sort ?? current.length;
  await applyDirectoryChanges(rc, changeActor(actor), { members: [{ groupId, userId, worksFor, sort }] }, { source: 'admin' });
}

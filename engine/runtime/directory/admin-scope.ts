// admin-scope.ts: whose directory an administrator manages. A city admin (an org under no district)
// manages everyone; a district's admin the people and orgs of their district's subtree (its towns,
// its 代表团) and nothing else, refused with LVZ_AUTH_FORBIDDEN naming the district. Roles and the
// city's groups are the city admins' alone. Asked by every call in admin-*.ts, never by the pages.

import type { Knex } from 'knex';
import { LvzError } from '../../errors.ts';
import { ADMIN_ROLE } from '../../dsl/roles.ts';
import { orgTree, type OrgTree } from '../authoring/access.ts';
import type { Actor } from '../../model/actor.ts';

export interface DirectoryReach {
  tree: OrgTree;
  /** Undefined for a city admin: every org. */
  district?: { id: string; name: string; orgs: Set<string> };
}

const NOT_ADMIN = '只有系统管理员可以管理通讯录：如需修改人员或组织，请联系系统管理员';

/** The actor's reach; LVZ_AUTH_FORBIDDEN for anyone who is not an administrator. */
export async function directoryReach(db: Knex, actor: Actor): Promise<DirectoryReach> {
  if (!actor.roles.includes(ADMIN_ROLE)) throw new LvzError('LVZ_AUTH_FORBIDDEN', NOT_ADMIN, {});
  const tree = await orgTree(db);
  const d = tree.districtOf(actor.orgId);
  return d === undefined ? { tree } : { tree, district: { id: d, name: tree.name(d), orgs: new Set(tree.subtree(d)) } };
}

export function reaches(reach: DirectoryReach, orgId: string | null | undefined): boolean {
  return !reach.district || (!!orgId && reach.district.orgs.has(orgId));
}

/** LVZ_AUTH_FORBIDDEN unless every org is inside the actor's district; `what` names the row (人员“张三”). */
export function ensureReaches(reach: DirectoryReach, orgIds: (string | null | undefined)[], what: string): void {
  const bad = orgIds.filter((o) => !reaches(reach, o));
  if (bad.length === 0) return;
  const outside = bad.find((o): o is string => !!o);
  const d = reach.district!;
  const where = outside ? reach.tree.name(outside) : '本区以外';
  throw new LvzError('LVZ_AUTH_FORBIDDEN',
    `您是${d.name}的管理员，只能管理${d.name}的人员和组织；${what}属于${where}，未做任何修改：请联系其所在区或市人大常委会的管理员`,
    { params: { district: d.id, ...(outside && { org: outside }) } });
}

/** Roles and the city's groups are the city's: a district admin is refused, naming their district. */
export function ensureCityAdmin(reach: DirectoryReach, what: string): void {
  if (!reach.district) return;
  throw new LvzError('LVZ_AUTH_FORBIDDEN',
    `${what}由市人大常委会的管理员统一管理；您是${reach.district.name}的管理员，未做任何修改：请联系市人大常委会的管理员`,
    { params: { district: reach.district.id } });
}

/** The actor as changes.ts records them in 修改记录 (and checks their reach again). */
export function changeActor(actor: Actor): Pick<Actor, 'userId' | 'name' | 'orgId' | 'roles'> {
  return { userId: actor.userId, name: actor.name, orgId: actor.orgId, roles: actor.roles };
}

// admin-scope.ts: which instances an administrator administers (终止, 调整办理步骤, migration, 重试, lists).
//
// An instance belongs to the district its initiator's organisation lay in when it started: the
// `initiator_org` recorded on the instance (a follow-up case, 转为, inherits its source's), never the
// user's org today, so moving a person does not move their cases. A city admin (an org under no
// district, as in the studio: authoring/access.ts) administers every instance; a district admin those
// whose initiator org is their district or under it (its towns and its 代表团: the deputies elected
// there, even when their case runs on the city's process). Orgs under no district (the city's own
// offices, the government's units) belong to the city alone.

import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import type { InstanceRow } from '../store/process/index.ts';
import type { Actor } from '../model/actor.ts';
import { orgTree } from './authoring/access.ts';
import { ADMIN_ROLE } from '../dsl/roles.ts';

/** What an admin administers: everything (`district` undefined) or one district's orgs. */
export interface AdminReach {
  district?: { id: string; name: string; orgs: string[] };
}

const memo = new WeakMap<Actor, Promise<AdminReach | undefined>>();

/**
 * The actor's reach as an administrator, undefined for a non-admin. Kept on the actor object (one
 * per request), as holdersOf is: a page asks several times while serving one request.
 */
export function adminReach(db: Knex, actor: Actor): Promise<AdminReach | undefined> {
  if (!actor.roles.includes(ADMIN_ROLE)) return Promise.resolve(undefined);
  const hit = memo.get(actor);
  if (hit) return hit;
  const reach = orgTree(db).then((orgs): AdminReach => {
    const d = orgs.districtOf(actor.orgId);
    return d === undefined ? {} : { district: { id: d, name: orgs.name(d), orgs: orgs.subtree(d) } };
  });
  reach.catch(() => memo.delete(actor));
  memo.set(actor, reach);
  return reach;
}

export function administers(reach: AdminReach | undefined, inst: Pick<InstanceRow, 'initiatorOrg'>): boolean {
  return !!reach && (!reach.district || reach.district.orgs.includes(inst.initiatorOrg));
}

/** LVZ_AUTH_FORBIDDEN unless the actor administers the instance; `what` names the action (终止). */
export async function ensureAdministers(db: Knex, actor: Actor, inst: InstanceRow, what: string): Promise<void> {
  const reach = await adminReach(db, actor);
  if (administers(reach, inst)) return;
  if (!reach) throw new LvzError('LVZ_AUTH_FORBIDDEN', `只有管理员可以${what}：请联系系统管理员`, {});
  const d = reach.district!;
  throw new LvzError('LVZ_AUTH_FORBIDDEN', `您是${d.name}的管理员，本区以外发起的件不能${what}：请联系其所在区或市人大常委会的管理员`,
    { params: { district: d.id } });
}

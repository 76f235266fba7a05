// access.ts: who may do what in the studio, enforced here rather than in the pages. Admins of the
// city (an org under no district) may edit everything; an admin whose org is a district (or under
// one) may edit only definitions whose `owner` is that district; everyone else gets LVZ_AUTH_FORBIDDEN.

import type { Knex } from 'knex';
import { LvzError } from '../../errors.ts';
import { listOrgs } from '../../store/directory.ts';
import type { OrgRow } from '../../store/types.ts';
import type { Actor } from '../../model/actor.ts';
import { ADMIN_ROLE } from '../../dsl/roles.ts';

export const CITY = 'city';

export interface OrgTree {
  byId: Map<string, OrgRow>;
  name(id: string): string;
  /** The district an org belongs to (itself or its nearest district ancestor); undefined for the city's own orgs. */
  districtOf(id: string | null | undefined): string | undefined;
  /**
   * The district whose definitions a user of this org starts: as districtOf, except that a delegation
   * (代表团) groups the *city's* deputies elected in a district: they work in the city's processes.
   */
  startingDistrictOf(id: string): string | undefined;
  /** The org and every org under it (towns, delegations), for scoping a district admin's instances. */
  subtree(id: string): string[];
}

export async function orgTree(db: Knex): Promise<OrgTree> {
  const byId = new Map((await listOrgs(db)).map((o) => [o.id, o]));
  const up = (id: string | null | undefined, stopAtDelegation: boolean): string | undefined => {
    for (let o = id ? byId.get(id) : undefined, n = 0; o && n < 20; o = o.parentId ? byId.get(o.parentId) : undefined, n++) {
      if (stopAtDelegation && o.kind === 'delegation') return undefined;
      if (o.kind === 'district') return o.id;
    }
    return undefined;
  };
  return {
    byId,
    name: (id) => byId.get(id)?.name ?? (id === CITY ? '市人大常委会' : id),
    districtOf: (id) => up(id, false),
    startingDistrictOf: (id) => up(id, true),
    subtree: (id) => {
      const children = new Map<string, string[]>();
      for (const o of byId.values()) if (o.parentId) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o.id]);
      // Breadth first; `seen` guards against a cycle someone wrote into the table by hand.
      const seen = new Set([id]);
      for (const at of seen) for (const c of children.get(at) ?? []) seen.add(c);
      return [...seen];
    },
  };
}

export function ensureAdmin(actor: Actor): void {
  if (!actor.roles.includes(ADMIN_ROLE)) {
    throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有系统管理员可以使用流程定义管理：如需修改流程，请联系管理员', {});
  }
}

/** Whether the actor may change a definition owned by `owner` (null or undefined: the city). */
export function canEdit(actor: Actor, owner: string | null | undefined, orgs: OrgTree): boolean {
  if (!actor.roles.includes(ADMIN_ROLE)) return false;
  const mine = orgs.districtOf(actor.orgId);
  if (mine === undefined) return true;
  const o = owner ?? CITY;
  return o === mine || orgs.districtOf(o) === mine;
}

export function ensureCanEdit(actor: Actor, owner: string | null | undefined, orgs: OrgTree, title: string): void {
  ensureAdmin(actor);
  if (canEdit(actor, owner, orgs)) return;
  const mine = orgs.districtOf(actor.orgId)!;
  throw new LvzError('LVZ_AUTH_FORBIDDEN',
    `您是${orgs.name(mine)}的管理员，只能修改本区的流程定义；“${title}”归${orgs.name(owner ?? CITY)}所有：如需修改，请联系其管理员，或在本区的定义中用 extends 覆盖`,
    { params: { owner: owner ?? CITY, district: mine } });
}

// change-set.ts: the file's records -> the change set of the directory's one write path
// (../changes.ts), by stable key. A column the sheet leaves out keeps what is stored (a 人员 sheet
// without 手机 does not blank everyone's phone); role names become role ids.

import type { Knex } from 'knex';
import type { RoleSet } from '../../../dsl/roles.ts';
import { listOrgs } from '../../../store/directory.ts';
import { listMemberGroups, listUserRecords } from '../../../store/directory-data.ts';
import type { ChangeSet } from '../changes.ts';
import type { ImportRecords } from './types.ts';

export interface Stored {
  orgs: Map<string, { sort: number; disabled: boolean }>;
  users: Map<string, { phone: string | null; deputyLevel: string | null; constituency: string | null; disabled: boolean }>;
  groups: Map<string, { description: string; ownerOrg: string | null; disabled: boolean }>;
}

export async function loadStored(db: Knex): Promise<Stored> {
  return {
    orgs: new Map((await listOrgs(db)).map((o) => [o.id, o])),
    users: new Map((await listUserRecords(db)).map((u) => [u.id, u])),
    groups: new Map((await listMemberGroups(db)).map((g) => [g.id, g])),
  };
}

/** A 角色 cell's words (ids or labels) -> ids; a word nobody declared stays, for the check to name. */
function roleIds(records: ImportRecords, roles: RoleSet): (words: string[]) => string[] {
  const byWord = new Map<string, string>();
  for (const r of [...roles.list, ...records.roles]) {
    byWord.set(r.label, r.id);
    byWord.set(r.id, r.id);
  }
  return (words) => [...new Set(words.map((w) => byWord.get(w) ?? w))];
}

/**
 * `district`: a district admin's district, the owner of the groups their file creates (a city
 * admin's and the command line's belong to the city).
 */
export function toChangeSet(records: ImportRecords, stored: Stored, roles: RoleSet, district: string | null): ChangeSet {
  const ids = roleIds(records, roles);
  const place = new Map<string, number>();
  return {
    roles: records.roles.map((r) => ({ id: r.id, label: r.label, description: r.description, at: r.at })),
    orgs: records.orgs.map((o, i) => {
      const s = stored.orgs.get(o.id);
      return { id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, sort: o.sort ?? s?.sort ?? i, disabled: o.disabled ?? s?.disabled ?? false, at: o.at };
    }),
    people: records.people.map((p) => {
      const s = stored.users.get(p.id);
      return {
        id: p.id, name: p.name, orgId: p.orgId, roles: ids(p.roles), at: p.at,
        phone: p.phone !== undefined ? p.phone : s?.phone ?? null,
        deputyLevel: (p.deputyLevel !== undefined ? p.deputyLevel : s?.deputyLevel ?? null) as ChangeSetPerson['deputyLevel'],
        constituency: p.constituency !== undefined ? p.constituency : s?.constituency ?? null,
        disabled: p.disabled ?? s?.disabled ?? false,
      };
    }),
    groups: records.groups.map((g) => {
      const s = stored.groups.get(g.id);
      return { id: g.id, name: g.name, description: g.description ?? s?.description ?? '', ownerOrg: s ? s.ownerOrg : district, disabled: s?.disabled ?? false, at: g.at };
    }),
    // A member's order is its place among its group's rows in the file.
    members: records.members.map((m) => {
      const sort = place.get(m.groupId) ?? 0;
      place.set(m.groupId, sort + 1);
      return { groupId: m.groupId, userId: m.userId, worksFor: m.worksFor, sort, at: m.at };
    }),
  };
}

type ChangeSetPerson = NonNullable<ChangeSet['people']>[number];

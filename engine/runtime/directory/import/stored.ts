// stored.ts: the stored directory in the shapes the check and the diff compare with (types.ts),
// read in one pass of each table: 6,007 people are one select, not one per row.

import type { Knex } from 'knex';
import type { RoleDef } from '../../../dsl/roles.ts';
import { listOrgs } from '../../../store/directory.ts';
import { listDeclaredRoles, listGroupMembers, listMemberGroups, listUserRecords } from '../../../store/directory-data.ts';
import type { StoredDirectory } from './types.ts';

export async function loadStored(db: Knex, shipped: readonly RoleDef[]): Promise<StoredDirectory> {
  const [orgs, users, groups, members, declared] = [
    await listOrgs(db), await listUserRecords(db), await listMemberGroups(db), await listGroupMembers(db), await listDeclaredRoles(db),
  ];
  return {
    orgs: new Map(orgs.map((o) => [o.id, { id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, sort: o.sort, disabled: o.disabled }])),
    users: new Map(users.map((u) => [u.id, {
      id: u.id, name: u.name, orgId: u.orgId, roles: u.roles, phone: u.phone, deputyLevel: u.deputyLevel, constituency: u.constituency, disabled: u.disabled,
    }])),
    groups: new Map(groups.map((g) => [g.id, { id: g.id, name: g.name, description: g.description, ownerOrg: g.ownerOrg, disabled: g.disabled }])),
    members: new Map(members.map((m) => [`${m.groupId}\u0000${m.userId}`, { groupId: m.groupId, userId: m.userId, worksFor: m.worksFor, sort: m.sort }])),
    roles: new Map([
      ...declared.map((r) => [r.id, { id: r.id, label: r.label, description: r.description, shipped: false }] as const),
      ...shipped.map((r) => [r.id, { id: r.id, label: r.label, description: r.description, shipped: true }] as const),
    ]),
  };
}

// snapshot.ts: the whole directory as one in-memory read model: orgs with their district, people
// with their groups and the deputies they work for, groups with their active members. Built from
// the rows the directory cache already loads (runtime-context.ts), so expressions (user(), org(),
// members()) and pages read relations without a query; 6,007 deputies take a few MB.

import type { GroupMemberRow, MemberGroupRow, OrgRow, UserRow } from '../../store/types.ts';

export interface DirOrg {
  id: string;
  name: string;
  kind: OrgRow['kind'];
  parentId: string | null;
  /** The district (区县人大常委会) the org is in, itself included; null for the city's own orgs. */
  district: string | null;
  disabled: boolean;
}

export interface DirPerson {
  id: string;
  name: string;
  orgId: string;
  orgName: string;
  district: string | null;
  roles: string[];
  /** Member groups the person belongs to (ids). */
  groups: string[];
  /** Deputies this person works for (a 民情联络员's deputy), across groups. */
  worksFor: string[];
  /** People who work for this person (a deputy's 民情联络员). */
  helpers: string[];
  deputyLevel: string | null;
  constituency: string | null;
  disabled: boolean;
}

export interface DirGroup {
  id: string;
  name: string;
  ownerOrg: string | null;
  disabled: boolean;
  /** Active members, in the group's order. */
  members: string[];
}

export interface DirectorySnapshot {
  orgs: Map<string, DirOrg>;
  people: Map<string, DirPerson>;
  groups: Map<string, DirGroup>;
}

type UserRecord = Omit<UserRow, 'passwordHash'> & { passwordHash?: string };

/** The district of every org: the nearest `district` at or above it (a cycle stops the walk). */
export function districtsOf(orgs: readonly Pick<OrgRow, 'id' | 'kind' | 'parentId'>[]): Map<string, string | null> {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out = new Map<string, string | null>();
  for (const o of orgs) {
    let d: string | null = null;
    for (let at: typeof o | undefined = o, n = 0; at && n < 50; at = at.parentId ? byId.get(at.parentId) : undefined, n++) {
      if (at.kind === 'district') { d = at.id; break; }
    }
    out.set(o.id, d);
  }
  return out;
}

export function buildSnapshot(orgRows: OrgRow[], users: UserRecord[], groups: MemberGroupRow[], members: GroupMemberRow[]): DirectorySnapshot {
  const district = districtsOf(orgRows);
  const orgs = new Map(orgRows.map((o): [string, DirOrg] => [o.id, {
    id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, district: district.get(o.id) ?? null, disabled: o.disabled,
  }]));
  const people = new Map(users.map((u): [string, DirPerson] => [u.id, {
    id: u.id, name: u.name, orgId: u.orgId, orgName: orgs.get(u.orgId)?.name ?? u.orgId, district: orgs.get(u.orgId)?.district ?? null,
    roles: u.roles, groups: [], worksFor: [], helpers: [], deputyLevel: u.deputyLevel, constituency: u.constituency, disabled: u.disabled,
  }]));
  const byGroup = new Map(groups.map((g): [string, DirGroup] => [g.id, { id: g.id, name: g.name, ownerOrg: g.ownerOrg, disabled: g.disabled, members: [] }]));
  for (const m of members) {
    const p = people.get(m.userId);
    const g = byGroup.get(m.groupId);
    if (!p || !g) continue;
    p.groups.push(m.groupId);
    if (!p.disabled) g.members.push(m.userId);
    if (m.worksFor && !p.worksFor.includes(m.worksFor)) {
      p.worksFor.push(m.worksFor);
      const deputy = people.get(m.worksFor);
      if (deputy && !deputy.helpers.includes(m.userId)) deputy.helpers.push(m.userId);
    }
  }
  return { orgs, people, groups: byGroup };
}

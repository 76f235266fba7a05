// plan.ts: the checked records against the stored directory -> what to create and what to update,
// row by row, by stable key (角色编码, 组织编码, 用户名, 分组编码, 分组 + 用户名). A row equal to
// what is stored is unchanged, so the same file imported twice plans nothing the second time.

import { resolveRoles } from './check.ts';
import type {
  ImportPlanSummary, ImportRecords, ImportScope, RoleRecord, StoredDirectory, StoredGroup, StoredMember, StoredOrg, StoredUser,
} from './types.ts';

export interface Change<T> {
  before: T;
  after: T;
}

export interface ImportPlan {
  roles: { create: RoleRecord[]; update: Change<RoleRecord>[] };
  /** New orgs with every parent before its children (the foreign key checks each row as it lands). */
  orgs: { create: StoredOrg[]; update: Change<StoredOrg>[] };
  users: { create: StoredUser[]; update: Change<StoredUser>[] };
  groups: { create: StoredGroup[]; update: Change<StoredGroup>[] };
  members: { create: StoredMember[]; update: Change<StoredMember>[] };
  summary: ImportPlanSummary;
}

const same = (a: object, b: object): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Splits `rows` into created, updated and unchanged against `stored`, by `key`. */
function diff<R, S extends object>(rows: R[], key: (r: R) => string, stored: Map<string, S>, merge: (r: R, s: S | undefined) => S): { create: S[]; update: Change<S>[]; unchanged: number } {
  const out = { create: [] as S[], update: [] as Change<S>[], unchanged: 0 };
  for (const r of rows) {
    const before = stored.get(key(r));
    const after = merge(r, before);
    if (!before) out.create.push(after);
    else if (same(before, after)) out.unchanged++;
    else out.update.push({ before, after });
  }
  return out;
}

/** Parents first: an org whose parent is also new comes after it. */
function parentsFirst(orgs: StoredOrg[]): StoredOrg[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out: StoredOrg[] = [];
  const placed = new Set<string>();
  const place = (o: StoredOrg): void => {
    if (placed.has(o.id)) return;
    placed.add(o.id);
    const parent = o.parentId ? byId.get(o.parentId) : undefined;
    if (parent) place(parent);
    out.push(o);
  };
  orgs.forEach(place);
  return out;
}

export function planImport(records: ImportRecords, stored: StoredDirectory, scope: ImportScope): ImportPlan {
  const rolesOf = resolveRoles(records, stored);
  // Roles of roles.yaml listed again with their own label: nothing to do (check.ts refuses another label).
  const roles = { create: [] as RoleRecord[], update: [] as Change<RoleRecord>[], unchanged: 0 };
  for (const r of records.roles) {
    const s = stored.roles.get(r.id);
    if (!s) roles.create.push(r);
    else if (s.shipped || (s.label === r.label && s.description === r.description)) roles.unchanged++;
    else roles.update.push({ before: { ...r, label: s.label, description: s.description }, after: r });
  }

  const orgs = diff(records.orgs, (o) => o.id, stored.orgs, (o, s, i = records.orgs.indexOf(o)) => ({
    id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, sort: o.sort ?? s?.sort ?? i, disabled: o.disabled ?? s?.disabled ?? false,
  }));
  const users = diff(records.people, (p) => p.id, stored.users, (p, s) => ({
    id: p.id, name: p.name, orgId: p.orgId, roles: rolesOf(p.roles),
    phone: p.phone !== undefined ? p.phone : s?.phone ?? null,
    deputyLevel: p.deputyLevel !== undefined ? p.deputyLevel : s?.deputyLevel ?? null,
    constituency: p.constituency !== undefined ? p.constituency : s?.constituency ?? null,
    disabled: p.disabled ?? s?.disabled ?? false,
  }));
  const groups = diff(records.groups, (g) => g.id, stored.groups, (g, s) => ({
    id: g.id, name: g.name, description: g.description ?? s?.description ?? '',
    ownerOrg: s ? s.ownerOrg : scope.district?.id ?? null, disabled: s?.disabled ?? false,
  }));
  // A member's sort is its place among its group's rows in the file.
  const place = new Map<string, number>();
  const members = diff(records.members, (m) => `${m.groupId}\u0000${m.userId}`, stored.members, (m) => {
    const sort = place.get(m.groupId) ?? 0;
    place.set(m.groupId, sort + 1);
    return { groupId: m.groupId, userId: m.userId, worksFor: m.worksFor, sort };
  });

  const fileIds = new Set(records.people.map((p) => p.id));
  const counts = (d: { create: unknown[]; update: unknown[]; unchanged: number }) => ({ created: d.create.length, updated: d.update.length, unchanged: d.unchanged });
  return {
    roles: { create: roles.create, update: roles.update },
    orgs: { create: parentsFirst(orgs.create), update: orgs.update },
    users: { create: users.create, update: users.update },
    groups: { create: groups.create, update: groups.update },
    members: { create: members.create, update: members.update },
    summary: {
      roles: counts(roles), orgs: counts(orgs), people: counts(users), groups: counts(groups), members: counts(members),
      untouchedPeople: [...stored.users.keys()].filter((id) => !fileIds.has(id)).length,
      total: records.roles.length + records.orgs.length + records.people.length + records.groups.length + records.members.length,
    },
  };
}

/** Rows the apply will write. */
export function planSize(plan: ImportPlan): number {
  return [plan.roles, plan.orgs, plan.users, plan.groups, plan.members].reduce((n, p) => n + p.create.length + p.update.length, 0);
}

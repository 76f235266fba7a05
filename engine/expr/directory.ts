// directory.ts: the directory functions of CEL: user(id), org(id), members(group). They read a snapshot
// of the directory that the caller hands to one synchronous evaluation (withDirectory), never a module
// that outlives it: the runtime loads the snapshot in its transaction, then evaluates.
//
// The shapes below are what the runtime's snapshot (runtime/directory/snapshot.ts) holds; expr does not
// import runtime, so they are restated structurally. Every call charges the steps of what it copies.

import { charge } from './budget.ts';

export interface ExprOrg {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  district: string | null;
  disabled: boolean;
}

export interface ExprPerson {
  id: string;
  name: string;
  orgId: string;
  orgName: string;
  district: string | null;
  roles: readonly string[];
  groups: readonly string[];
  worksFor: readonly string[];
  helpers: readonly string[];
  deputyLevel: string | null;
  constituency: string | null;
  disabled: boolean;
}

export interface ExprGroup {
  id: string;
  name: string;
  disabled: boolean;
  /** Active members, in the group's order. */
  members: readonly string[];
}

/** The directory an evaluation may read. */
export interface ExprDirectory {
  orgs: ReadonlyMap<string, ExprOrg>;
  people: ReadonlyMap<string, ExprPerson>;
  groups: ReadonlyMap<string, ExprGroup>;
}

/** The directory functions, as admins write them. */
export const DIRECTORY_FUNCTIONS = ['user', 'org', 'members'] as const;

let current: ExprDirectory | undefined;

/** Run `fn` (synchronous) with `dir` readable by the directory functions; the previous one is restored after. */
export function withDirectory<T>(dir: ExprDirectory | undefined, fn: () => T): T {
  const outer = current;
  current = dir;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

function directory(fn: string): ExprDirectory {
  if (!current) throw new Error(`此处不能读取通讯录（${fn}()）：通讯录函数只能用于流程的表达式，不能用于表单的显示条件`);
  return current;
}

const isActive = (dir: ExprDirectory) => (id: string): boolean => dir.people.get(id)?.disabled === false;

/** user(id): a person with their org, district, roles, groups and whom they work for. */
export function userOf(id: string): Record<string, unknown> {
  const dir = directory('user');
  const p = dir.people.get(id);
  if (!p) throw new Error(`通讯录中没有用户“${id}”：请检查用户名，或在通讯录中添加该人员`);
  const active = isActive(dir);
  const worksFor = p.worksFor.filter(active);
  const helpers = p.helpers.filter(active);
  charge(p.roles.length + p.groups.length + worksFor.length + helpers.length);
  return {
    id: p.id, name: p.name, org: p.orgId, org_name: p.orgName, district: p.district ?? '',
    roles: [...p.roles], groups: [...p.groups], works_for: worksFor, helpers,
    level: p.deputyLevel ?? '', constituency: p.constituency ?? '', active: !p.disabled,
  };
}

/** org(id): an organisation with its parent and district. */
export function orgOf(id: string): Record<string, unknown> {
  const o = directory('org').orgs.get(id);
  if (!o) throw new Error(`通讯录中没有组织“${id}”：请检查组织编码，或在通讯录中添加该组织`);
  return { id: o.id, name: o.name, kind: o.kind, parent: o.parentId ?? '', district: o.district ?? '', active: !o.disabled };
}

/** members(group): the active members' ids; a disabled group has none. */
export function membersOf(id: string): string[] {
  const g = directory('members').groups.get(id);
  if (!g) throw new Error(`通讯录中没有分组“${id}”：请检查分组编码，或在通讯录管理中建立该分组`);
  if (g.disabled) return [];
  charge(g.members.length);
  return [...g.members];
}

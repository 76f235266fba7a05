// directory-data.ts: the directory as data (migration 017): upserts of orgs and people by their
// stable keys, edits, declared roles, member groups and their members, the audit history
// (directory_changes) and the import log. directory.ts keeps sessions, tokens and the reads every
// request makes; this file holds what the 通讯录 pages and the import write.

import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';
import type {
  ChangeSource, DeclaredRoleRow, DeputyLevel, DirectoryChangeRow, DirectoryEntity, GroupMemberRow, MemberGroupRow, OrgRow, UserRow,
} from './types.ts';

type Raw = Record<string, unknown>;

// SQLite caps bound variables per statement (32,766 in 3.32+); 200 rows of ≤ 13 columns stays well under it.
const BATCH = 200;

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = (v: unknown): unknown => (v == null ? null : JSON.parse(String(v)));

// ---- orgs and people, by stable key -----------------------------------------------------------

/** Fields of an org a write may set (all but the id); the import and the pages both use this. */
export interface OrgFields {
  name: string;
  kind: OrgRow['kind'];
  parentId: string | null;
  sort: number;
  disabled: boolean;
}

/** Fields of a person a write may set. */
export interface UserFields {
  name: string;
  orgId: string;
  roles: string[];
  phone: string | null;
  deputyLevel: DeputyLevel | null;
  constituency: string | null;
  disabled: boolean;
}

const orgColumns = (id: string, o: OrgFields, now: Date) => ({
  id, name: o.name, kind: o.kind, parent_id: o.parentId, sort: o.sort, disabled: o.disabled, updated_at: now.toISOString(),
});

/**
 * Inserts new orgs (parents before children: the foreign key checks each row as it lands). Existing
 * rows are updated by `updateOrg`; callers diff first (runtime/directory/changes.ts).
 */
export async function insertOrgRows(db: Db, orgs: ({ id: string } & OrgFields)[], now: Date): Promise<void> {
  const rows = orgs.map((o) => orgColumns(o.id, o, now));
  for (let i = 0; i < rows.length; i += BATCH) await db('orgs').insert(rows.slice(i, i + BATCH));
}

export async function updateOrg(db: Db, id: string, o: OrgFields, now: Date): Promise<void> {
  const { id: _id, ...cols } = orgColumns(id, o, now);
  await db('orgs').where({ id }).update(cols);
}

/** New people; `passwordHash` is a hash, or '!' (no password yet: nobody can log in until one is set). */
export async function insertUserRows(
  db: Db, users: ({ id: string; passwordHash: string; mustChangePassword: boolean; isDemo?: boolean } & UserFields)[], now: Date,
): Promise<void> {
  const at = now.toISOString();
  const rows = users.map((u) => ({
    id: u.id, name: u.name, org_id: u.orgId, roles: JSON.stringify(u.roles), password_hash: u.passwordHash,
    is_demo: u.isDemo ?? false, created_at: at, updated_at: at, phone: u.phone, deputy_level: u.deputyLevel,
    constituency: u.constituency, disabled: u.disabled, must_change_password: u.mustChangePassword,
  }));
  for (let i = 0; i < rows.length; i += BATCH) await db('users').insert(rows.slice(i, i + BATCH));
}

export async function updateUser(db: Db, id: string, u: UserFields, now: Date): Promise<void> {
  await db('users').where({ id }).update({
    name: u.name, org_id: u.orgId, roles: JSON.stringify(u.roles), phone: u.phone, deputy_level: u.deputyLevel,
    constituency: u.constituency, disabled: u.disabled, updated_at: now.toISOString(),
  });
}

/**
 * Users as stored, without the password hash (the import's diff, the change checks): everyone, or
 * only those named, in the orgs given, or holding one of the roles given.
 */
export async function listUserRecords(db: Db, only?: { ids: string[]; orgIds: string[]; roles: string[] }): Promise<Omit<UserRow, 'passwordHash'>[]> {
  const q = db('users').select('id', 'name', 'org_id', 'roles', 'is_demo', 'created_at', 'phone', 'deputy_level',
    'constituency', 'disabled', 'must_change_password').orderBy('id');
  if (only) {
    q.where((w) => {
      w.whereIn('id', only.ids.length ? only.ids : ['']).orWhereIn('org_id', only.orgIds.length ? only.orgIds : ['']);
      for (const r of only.roles) w.orWhere('roles', 'like', `%"${r}"%`);
    });
  }
  const rows = await q;
  return rows.map((r: Raw) => ({
    id: String(r.id), name: String(r.name), orgId: String(r.org_id), roles: JSON.parse(String(r.roles)) as string[],
    isDemo: Boolean(r.is_demo), createdAt: String(r.created_at), phone: (r.phone as string | null) ?? null,
    deputyLevel: (r.deputy_level as DeputyLevel | null) ?? null, constituency: (r.constituency as string | null) ?? null,
    disabled: Boolean(r.disabled), mustChangePassword: Boolean(r.must_change_password),
  }));
}

/**
 * People matching a search (name, username, phone or org name contains `q`), for the 通讯录 list:
 * paged in SQL, so 6,007 deputies cost one indexed page, not a scan in JavaScript per request.
 */
export async function searchUsers(db: Db, f: {
  q?: string; orgIds?: string[]; role?: string; groupId?: string; disabled?: boolean; limit: number; offset: number;
}): Promise<{ rows: Omit<UserRow, 'passwordHash'>[]; total: number }> {
  const base = db('users as u').leftJoin('orgs as o', 'o.id', 'u.org_id');
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base.where((w) => {
      // User names are lower case (login lowers what is typed); PostgreSQL's LIKE is case-sensitive.
      w.whereRaw("u.name like ? escape '\\'", [like]).orWhereRaw("u.id like ? escape '\\'", [like.toLowerCase()])
        .orWhereRaw("u.phone like ? escape '\\'", [like]).orWhereRaw("o.name like ? escape '\\'", [like]);
    });
  }
  if (f.orgIds) base.whereIn('u.org_id', f.orgIds);
  if (f.role) base.where('u.roles', 'like', `%"${f.role}"%`);
  if (f.groupId) base.whereIn('u.id', db('group_members').select('user_id').where('group_id', f.groupId));
  if (f.disabled !== undefined) base.where('u.disabled', f.disabled);
  const [count] = await base.clone().count({ n: '*' });
  const rows = await base.select('u.*').orderBy([{ column: 'u.org_id' }, { column: 'u.id' }]).limit(f.limit).offset(f.offset);
  const records = rows.map((r: Raw) => ({
    id: String(r.id), name: String(r.name), orgId: String(r.org_id), roles: JSON.parse(String(r.roles)) as string[],
    isDemo: Boolean(r.is_demo), createdAt: String(r.created_at), phone: (r.phone as string | null) ?? null,
    deputyLevel: (r.deputy_level as DeputyLevel | null) ?? null, constituency: (r.constituency as string | null) ?? null,
    disabled: Boolean(r.disabled), mustChangePassword: Boolean(r.must_change_password),
  }));
  // A role id with `_` matches more through LIKE: drop the false hits.
  return { rows: f.role ? records.filter((u) => u.roles.includes(f.role!)) : records, total: Number(count?.n ?? 0) };
}

/** Stops every way in for a disabled user: sessions and API tokens. */
export async function revokeAccess(db: Db, userId: string): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
  await db('api_tokens').where({ user_id: userId }).delete();
}

// ---- roles declared at run time -----------------------------------------------------------------

function toRole(r: Raw): DeclaredRoleRow {
  return { id: String(r.id), label: String(r.label), description: String(r.description ?? ''), createdAt: String(r.created_at), createdBy: (r.created_by as string | null) ?? null };
}

export async function listDeclaredRoles(db: Db): Promise<DeclaredRoleRow[]> {
  return (await db('roles').select('*').orderBy('id')).map(toRole);
}

export async function insertRole(db: Db, role: { id: string; label: string; description: string; createdBy: string | null }, now: Date): Promise<void> {
  await db('roles').insert({ id: role.id, label: role.label, description: role.description, created_at: now.toISOString(), created_by: role.createdBy });
}

export async function updateRole(db: Db, id: string, role: { label: string; description: string }): Promise<void> {
  await db('roles').where({ id }).update({ label: role.label, description: role.description });
}

export async function deleteRole(db: Db, id: string): Promise<void> {
  await db('roles').where({ id }).delete();
}

/** How many users hold each role (the JSON arrays are small; one scan of `roles`). */
export async function roleHolderCounts(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await db('users').select('roles').where('disabled', false)) {
    for (const role of JSON.parse(String(r.roles)) as string[]) counts.set(role, (counts.get(role) ?? 0) + 1);
  }
  return counts;
}

// ---- member groups ------------------------------------------------------------------------------

function toGroup(r: Raw): MemberGroupRow {
  return {
    id: String(r.id), name: String(r.name), description: String(r.description ?? ''), ownerOrg: (r.owner_org as string | null) ?? null,
    disabled: Boolean(r.disabled),
  };
}

export async function listMemberGroups(db: Db): Promise<MemberGroupRow[]> {
  return (await db('member_groups').select('*').orderBy('id')).map(toGroup);
}

export async function insertMemberGroup(db: Db, g: MemberGroupRow, now: Date): Promise<void> {
  await db('member_groups').insert({
    id: g.id, name: g.name, description: g.description, owner_org: g.ownerOrg, disabled: g.disabled, created_at: now.toISOString(), updated_at: now.toISOString(),
  });
}

export async function updateMemberGroup(db: Db, g: MemberGroupRow, now: Date): Promise<void> {
  await db('member_groups').where({ id: g.id }).update({
    name: g.name, description: g.description, owner_org: g.ownerOrg, disabled: g.disabled, updated_at: now.toISOString(),
  });
}

export async function listGroupMembers(db: Db, groupId?: string): Promise<GroupMemberRow[]> {
  const q = db('group_members').select('*').orderBy([{ column: 'group_id' }, { column: 'sort' }, { column: 'user_id' }]);
  if (groupId) q.where({ group_id: groupId });
  return (await q).map((r: Raw) => ({
    groupId: String(r.group_id), userId: String(r.user_id), worksFor: (r.works_for as string | null) ?? null, sort: Number(r.sort),
  }));
}

/** Adds or updates memberships (by group and user); `remove` drops the listed ones. */
export async function writeGroupMembers(db: Db, upsert: GroupMemberRow[], remove: { groupId: string; userId: string }[] = []): Promise<void> {
  for (const m of remove) await db('group_members').where({ group_id: m.groupId, user_id: m.userId }).delete();
  const rows = upsert.map((m) => ({ group_id: m.groupId, user_id: m.userId, works_for: m.worksFor, sort: m.sort }));
  for (let i = 0; i < rows.length; i += BATCH) {
    await db('group_members').insert(rows.slice(i, i + BATCH)).onConflict(['group_id', 'user_id']).merge(['works_for', 'sort']);
  }
}

// ---- audit history (修改记录) ------------------------------------------------------------------

export interface NewChange {
  actorId: string | null;
  actorName: string;
  source: ChangeSource;
  batchId?: string | null;
  entity: DirectoryEntity;
  entityId: string;
  action: string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A history row's id sorts in the order rows were written: the lists order by `at`, then `id`, and
 * the rows of one import (or of a frozen test clock) share their `at`. A monotonic counter (not the
 * wall clock) first, a random tail so two processes never collide.
 */
function changeId(): string {
  return `${process.hrtime.bigint().toString().padStart(20, '0')}-${randomUUID().slice(0, 8)}`;
}

export async function recordChanges(db: Db, changes: NewChange[], now: Date): Promise<void> {
  const at = now.toISOString();
  const rows = changes.map((c) => ({
    id: changeId(), at, actor_id: c.actorId, actor_name: c.actorName, source: c.source, batch_id: c.batchId ?? null,
    entity: c.entity, entity_id: c.entityId, action: c.action, summary: c.summary, before: json(c.before), after: json(c.after),
  }));
  for (let i = 0; i < rows.length; i += BATCH) await db('directory_changes').insert(rows.slice(i, i + BATCH));
}

function toChange(r: Raw): DirectoryChangeRow {
  return {
    id: String(r.id), at: String(r.at), actorId: (r.actor_id as string | null) ?? null, actorName: String(r.actor_name ?? ''),
    source: r.source as ChangeSource, batchId: (r.batch_id as string | null) ?? null, entity: r.entity as DirectoryEntity,
    entityId: String(r.entity_id), action: String(r.action), summary: String(r.summary ?? ''), before: parse(r.before), after: parse(r.after),
  };
}

/** Newest first; `before` (an `at`) pages back. */
export async function listChanges(db: Db, f: {
  entity?: DirectoryEntity; entityId?: string; entityIds?: string[]; batchId?: string; source?: ChangeSource; limit: number; before?: string;
}): Promise<DirectoryChangeRow[]> {
  const q = db('directory_changes').select('*').orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit);
  if (f.entity) q.where('entity', f.entity);
  if (f.entityId) q.where('entity_id', f.entityId);
  if (f.entityIds) q.whereIn('entity_id', f.entityIds);
  if (f.batchId) q.where('batch_id', f.batchId);
  if (f.source) q.where('source', f.source);
  if (f.before) q.where('at', '<', f.before);
  return (await q).map(toChange);
}

// directory.ts: organisations, users, sessions, API tokens, saved phrases and out-of-office rows (all SQL for them).
//
// Every function takes the knex handle (or a transaction) first, so callers can compose them in one
// transaction, and writes take `now` (only engine/runtime/clock.ts reads the clock). Rows come back
// camelCase (types.ts); timestamps are ISO strings in UTC.

import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';
import { compiled } from './compiled.ts';
import { LvzError } from '../errors.ts';
import type { Role } from '../model/actor.ts';
import type {
  ApiTokenRow, DeputyLevel, NewOrg, NewUser, OrgRow, OutOfOfficeRow, PhraseRow, SessionRow, UserRow,
} from './types.ts';

type Raw = Record<string, unknown>;

// SQLite caps bound variables per statement; 100 rows of ≤ 7 columns stays well under it.
const BATCH = 100;

// ---- rows -> camelCase ------------------------------------------------------------------------

function toOrg(r: Raw): OrgRow {
  return {
    id: String(r.id), name: String(r.name), kind: r.kind as OrgRow['kind'], parentId: (r.parent_id as string | null) ?? null,
    sort: Number(r.sort), disabled: Boolean(r.disabled),
  };
}

function toUser(r: Raw): UserRow {
  return {
    id: String(r.id), name: String(r.name), orgId: String(r.org_id), roles: JSON.parse(String(r.roles)) as Role[],
    passwordHash: String(r.password_hash), isDemo: Boolean(r.is_demo), createdAt: String(r.created_at),
    phone: (r.phone as string | null) ?? null, deputyLevel: (r.deputy_level as DeputyLevel | null) ?? null,
    constituency: (r.constituency as string | null) ?? null, disabled: Boolean(r.disabled),
    mustChangePassword: Boolean(r.must_change_password),
  };
}

function toSession(r: Raw): SessionRow {
  return {
    id: String(r.id), userId: String(r.user_id), csrfSecret: String(r.csrf_secret),
    createdAt: String(r.created_at), expiresAt: String(r.expires_at), lastSeenAt: String(r.last_seen_at),
  };
}

function toApiToken(r: Raw): ApiTokenRow {
  return {
    id: String(r.id), userId: String(r.user_id), tokenHash: String(r.token_hash),
    createdAt: String(r.created_at), lastUsedAt: (r.last_used_at as string | null) ?? null,
    expiresAt: (r.expires_at as string | null) ?? null, scope: r.scope === 'read' ? 'read' : 'write',
  };
}

function toPhrase(r: Raw): PhraseRow {
  return { id: String(r.id), userId: String(r.user_id), text: String(r.text), createdAt: String(r.created_at) };
}

function toOutOfOffice(r: Raw): OutOfOfficeRow {
  return {
    id: String(r.id), userId: String(r.user_id), delegateId: String(r.delegate_id),
    fromDate: String(r.from_date), toDate: String(r.to_date), createdAt: String(r.created_at),
  };
}

// ---- organisations ----------------------------------------------------------------------------

export async function listOrgs(db: Db): Promise<OrgRow[]> {
  return (await db('orgs').select('*').orderBy([{ column: 'sort' }, { column: 'id' }])).map(toOrg);
}

export async function getOrg(db: Db, id: string): Promise<OrgRow | undefined> {
  const r = await db('orgs').where({ id }).first();
  return r ? toOrg(r) : undefined;
}

/** Parents must come before their children (the foreign key checks each row as it lands). */
export async function insertOrgs(db: Db, orgs: NewOrg[]): Promise<void> {
  const rows = orgs.map((o, i) => ({ id: o.id, name: o.name, kind: o.kind, parent_id: o.parentId, sort: o.sort ?? i, disabled: o.disabled ?? false }));
  for (let i = 0; i < rows.length; i += BATCH) await db('orgs').insert(rows.slice(i, i + BATCH));
}

// ---- users ------------------------------------------------------------------------------------

export async function getUser(db: Db, id: string): Promise<UserRow | undefined> {
  const r = await db('users').where({ id }).first();
  return r ? toUser(r) : undefined;
}

export async function listUsers(db: Db, filter: { role?: Role; orgId?: string } = {}): Promise<UserRow[]> {
  const q = db('users').select('*').orderBy('id');
  if (filter.orgId) q.where('org_id', filter.orgId);
  // Roles are a JSON array in text: LIKE narrows the rows, the exact check below drops
  // the false hits `_` (a LIKE wildcard) could let through.
  if (filter.role) q.where('roles', 'like', `%"${filter.role}"%`);
  const users = (await q).map(toUser);
  return filter.role ? users.filter((u) => u.roles.includes(filter.role!)) : users;
}

/** The active users with the role (a disabled user gets no tasks or copies). */
export async function usersWithRole(db: Db, role: Role, orgId?: string): Promise<UserRow[]> {
  return (await listUsers(db, { role, orgId })).filter((u) => !u.disabled);
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db('users').count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

export async function insertUsers(db: Db, users: NewUser[], now: Date): Promise<void> {
  const rows = users.map((u) => ({
    id: u.id, name: u.name, org_id: u.orgId, roles: JSON.stringify(u.roles), password_hash: u.passwordHash,
    is_demo: u.isDemo ?? false, created_at: u.createdAt ?? now.toISOString(),
    phone: u.phone ?? null, deputy_level: u.deputyLevel ?? null, constituency: u.constituency ?? null,
    disabled: u.disabled ?? false, must_change_password: u.mustChangePassword ?? false,
  }));
  for (let i = 0; i < rows.length; i += BATCH) await db('users').insert(rows.slice(i, i + BATCH));
}

/**
 * `mustChange`: true for a reset by someone else (the user must choose a new one at next login), false
 * once they have; left as it is when omitted (a rehash at login).
 */
export async function setPasswordHash(db: Db, userId: string, passwordHash: string, mustChange?: boolean): Promise<void> {
  await db('users').where({ id: userId }).update({ password_hash: passwordHash, ...(mustChange !== undefined && { must_change_password: mustChange }) });
}

// ---- saved phrases (常用语) --------------------------------------------------------------------

export async function listPhrases(db: Db, userId: string): Promise<PhraseRow[]> {
  return (await db('phrases').where({ user_id: userId }).orderBy([{ column: 'created_at' }, { column: 'id' }])).map(toPhrase);
}

/** Saving a phrase the user already has returns the existing row, so a double submit adds nothing. */
export async function addPhrase(db: Db, input: { userId: string; text: string; now: Date }): Promise<PhraseRow> {
  const text = input.text.trim();
  if (!text) throw new LvzError('LVZ_RUN_BAD_REQUEST', '常用语不能为空：请输入要保存的文字');
  const existing = await db('phrases').where({ user_id: input.userId, text }).first();
  if (existing) return toPhrase(existing);
  const row = { id: randomUUID(), user_id: input.userId, text, created_at: input.now.toISOString() };
  await db('phrases').insert(row);
  return toPhrase(row);
}

export async function deletePhrase(db: Db, userId: string, phraseId: string): Promise<void> {
  await db('phrases').where({ id: phraseId, user_id: userId }).delete();
}

// ---- out of office (代理) ----------------------------------------------------------------------

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Records that `delegateId` acts for `userId` from `fromDate` to `toDate` (inclusive, local dates).
 * A new range replaces the user's ranges that overlap it, so on any date a user has at most one
 * delegate and `activeDelegateFor` / `principalsOf` always agree.
 */
let outOfOfficeWrites = 0;

/** Bumped after every change of out_of_office in this process: holders memoised before it are stale. */
export function outOfOfficeGeneration(): number {
  return outOfOfficeWrites;
}

export async function setOutOfOffice(
  db: Db,
  input: { userId: string; delegateId: string; fromDate: string; toDate: string; now: Date },
): Promise<OutOfOfficeRow> {
  checkOutOfOffice(input);
  const row = {
    id: randomUUID(), user_id: input.userId, delegate_id: input.delegateId,
    from_date: input.fromDate, to_date: input.toDate, created_at: input.now.toISOString(),
  };
  await db.transaction(async (trx) => {
    await trx('out_of_office').where('user_id', input.userId)
      .where('from_date', '<=', input.toDate).where('to_date', '>=', input.fromDate).delete();
    await trx('out_of_office').insert(row);
  });
  outOfOfficeWrites++;
  return toOutOfOffice(row);
}

function checkOutOfOffice(input: { userId: string; delegateId: string; fromDate: string; toDate: string }): void {
  if (!LOCAL_DATE.test(input.fromDate) || !LOCAL_DATE.test(input.toDate)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '代理的起止日期格式不对：请按 YYYY-MM-DD 填写', { params: { from: input.fromDate, to: input.toDate } });
  }
  if (input.fromDate > input.toDate) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '代理的开始日期晚于结束日期：请调整日期范围', { params: { from: input.fromDate, to: input.toDate } });
  }
  if (input.userId === input.delegateId) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '不能指定自己为代理人：请选择另一位同事', { params: { user: input.userId } });
  }
}

export async function listOutOfOffice(db: Db, userId: string): Promise<OutOfOfficeRow[]> {
  return (await db('out_of_office').where({ user_id: userId }).orderBy('from_date')).map(toOutOfOffice);
}

export async function clearOutOfOffice(db: Db, userId: string, id?: string): Promise<void> {
  const q = db('out_of_office').where({ user_id: userId });
  if (id) q.where({ id });
  await q.delete();
  outOfOfficeWrites++;
}

/** The user standing in for `userId` on `localDate` (YYYY-MM-DD), if any. */
export async function activeDelegateFor(db: Db, userId: string, localDate: string): Promise<UserRow | undefined> {
  const r = await db('out_of_office as o').join('users as u', 'u.id', 'o.delegate_id')
    .where('o.user_id', userId).where('o.from_date', '<=', localDate).where('o.to_date', '>=', localDate)
    .orderBy('o.created_at', 'desc').select('u.*').first();
  return r ? toUser(r) : undefined;
}

/** Whom `delegateId` is standing in for on `localDate`. */
export async function principalsOf(db: Db, delegateId: string, localDate: string): Promise<UserRow[]> {
  const rows = await db('out_of_office as o').join('users as u', 'u.id', 'o.user_id')
    .where('o.delegate_id', delegateId).where('o.from_date', '<=', localDate).where('o.to_date', '>=', localDate)
    .orderBy('u.id').select('u.*');
  return rows.map(toUser);
}

// ---- sessions ---------------------------------------------------------------------------------

export async function createSession(db: Db, row: SessionRow): Promise<void> {
  await db('sessions').insert({
    id: row.id, user_id: row.userId, csrf_secret: row.csrfSecret,
    created_at: row.createdAt, expires_at: row.expiresAt, last_seen_at: row.lastSeenAt,
  });
}

/** The session, unless it has expired by `now`. */
/**
 * A live session with its user, the user's org name and how many colleagues the user stands in
 * for on `localDate` (代理), in one statement: every request asks this first (four lookups
 * before, docs/benchmarks.md). Undefined when unknown, expired, or its user was removed.
 */
export async function getSessionWithUser(db: Db, id: string, now: Date, localDate: string): Promise<{ session: SessionRow; user: UserRow; orgName: string | null; standsIn: number } | undefined> {
  const at = now.toISOString();
  const [r] = await compiled(db, 'getSessionWithUser', [localDate, localDate, id, at, 1], () => {
    const standsIn = db('out_of_office as ooo').count('*').whereRaw('ooo.delegate_id = u.id')
      .where('ooo.from_date', '<=', localDate).where('ooo.to_date', '>=', localDate).as('stands_in');
    return db('sessions as s').join('users as u', 'u.id', 's.user_id').leftJoin('orgs as o', 'o.id', 'u.org_id')
      .where('s.id', id).where('s.expires_at', '>', at)
      .first('s.*', 'u.name as u_name', 'u.org_id as u_org_id', 'u.roles as u_roles', 'u.password_hash as u_password_hash',
        'u.is_demo as u_is_demo', 'u.created_at as u_created_at', 'u.phone as u_phone', 'u.deputy_level as u_deputy_level',
        'u.constituency as u_constituency', 'u.disabled as u_disabled', 'u.must_change_password as u_must_change_password',
        'o.name as o_name', standsIn);
  });
  // A disabled user's sessions are deleted when it is disabled; this covers one opened in between.
  if (!r || r.u_disabled) return undefined;
  const user = toUser({
    id: r.user_id, name: r.u_name, org_id: r.u_org_id, roles: r.u_roles, password_hash: r.u_password_hash, is_demo: r.u_is_demo,
    created_at: r.u_created_at, phone: r.u_phone, deputy_level: r.u_deputy_level, constituency: r.u_constituency,
    disabled: r.u_disabled, must_change_password: r.u_must_change_password,
  });
  return { session: toSession(r), user, orgName: (r.o_name as string | null) ?? null, standsIn: Number(r.stands_in) };
}

export async function touchSession(db: Db, id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
  await db('sessions').where({ id }).update({ last_seen_at: lastSeenAt.toISOString(), expires_at: expiresAt.toISOString() });
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db('sessions').where({ id }).delete();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
}

/** Housekeeping: drops sessions past their expiry; returns how many went. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  return db('sessions').where('expires_at', '<=', now.toISOString()).delete();
}

// ---- API tokens -------------------------------------------------------------------------------

export async function insertApiToken(db: Db, row: Omit<ApiTokenRow, 'lastUsedAt' | 'expiresAt'> & { expiresAt: string }): Promise<void> {
  await db('api_tokens').insert({
    id: row.id, user_id: row.userId, token_hash: row.tokenHash, created_at: row.createdAt, last_used_at: null,
    expires_at: row.expiresAt, scope: row.scope,
  });
}

export async function apiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const r = await db('api_tokens').where({ token_hash: tokenHash }).first();
  return r ? toApiToken(r) : undefined;
}

export async function touchApiToken(db: Db, id: string, now: Date): Promise<void> {
  await db('api_tokens').where({ id }).update({ last_used_at: now.toISOString() });
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return (await db('api_tokens').where({ user_id: userId }).orderBy('created_at')).map(toApiToken);
}

/** Removes one of the user's tokens; returns how many rows went (0: not theirs, or no such token). */
export async function deleteApiToken(db: Db, userId: string, id: string): Promise<number> {
  return db('api_tokens').where({ id, user_id: userId }).delete();
}

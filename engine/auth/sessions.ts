// sessions.ts: password login, sliding 12-hour sessions and API tokens, on top of the directory store.
//
// Every function takes `now`: only engine/runtime/clock.ts reads the system clock, and tests
// move time forward instead of sleeping.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LvzError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import {
  apiTokenByHash, createSession, deleteSession, getOrg, getSessionWithUser, getUser, insertApiToken,
  setPasswordHash, touchApiToken, touchSession,
} from '../store/directory.ts';
import type { UserRow } from '../store/types.ts';
import { clearLoginFailures, loginFailuresOf, noteLoginFailure } from '../store/login-failures.ts';
import type { Actor, SessionInfo } from '../runtime/types.ts';
import { DEFAULT_PARAMS, hashPassword, needsRehash, verifyPassword } from './password.ts';
import { localDateOf } from '../calendar/index.ts';
import { holdsOnlyForSelf } from '../runtime/access.ts';

/** A session ends this long after its last use. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

// Writing last_seen_at on every request would make each page view a write; once a minute is
// plenty for a 12-hour window.
const TOUCH_EVERY_MS = 60 * 1000;

export const API_TOKEN_PREFIX = 'lvz_';

// Checked against when the user does not exist, so an unknown name costs the same scrypt work as
// a wrong password and the answer time does not reveal which names exist.
const DUMMY_HASH = ['scrypt', DEFAULT_PARAMS.N, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p, 'A'.repeat(22), 'A'.repeat(86)].join('$');

const BAD_LOGIN = '用户名或密码不正确：请检查后重新输入';

/**
 * Login-failure handling (等保: 限制非法登录次数): LOCK_AFTER wrong passwords for one user name
 * within LOCK_MS lock that name for LOCK_MS. Counted per name whether or not it exists
 * (store/login-failures.ts), so the lock says nothing about who has an account.
 */
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60 * 1000;

/** HH:MM in Beijing time (the business zone is UTC+8 all year). */
function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);
}

/** params.retryAfter: whole seconds until the lock ends (HTTP's Retry-After). */
function locked(untilIso: string, now: Date): LvzError {
  return new LvzError('LVZ_AUTH_LOCKED',
    `密码连续输错 ${LOCK_AFTER} 次，该账号已暂时锁定：请于 ${beijingTime(untilIso)}（北京时间）后再试；如非本人操作，请联系系统管理员`,
    { params: { lockedUntil: untilIso, retryAfter: Math.max(1, Math.ceil((Date.parse(untilIso) - now.getTime()) / 1000)) } });
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The actor a user acts as, with the org name for display; undefined for an unknown user. */
export async function actorFor(db: Db, userId: string): Promise<Actor | undefined> {
  const user = await getUser(db, userId);
  return user ? toActor(db, user) : undefined;
}

async function toActor(db: Db, user: UserRow): Promise<Actor> {
  const org = await getOrg(db, user.orgId);
  return { userId: user.id, username: user.id, name: user.name, orgId: user.orgId, orgName: org?.name ?? user.orgId, roles: user.roles };
}

/**
 * Checks the password and opens a session; LVZ_AUTH_BAD_LOGIN with one message for every failure
 * (a wrong name or a wrong password), LVZ_AUTH_LOCKED after LOCK_AFTER of them in a row.
 */
export async function login(db: Db, username: string, password: string, now: Date): Promise<SessionInfo> {
  // Phones capitalise the first letter; usernames are lower-case slugs.
  const name = String(username ?? '').trim().toLowerCase().slice(0, 64);
  const nowIso = now.toISOString();
  const failures = name ? await loginFailuresOf(db, name) : undefined;
  if (failures?.lockedUntil && failures.lockedUntil > nowIso) throw locked(failures.lockedUntil, now);
  const user = name ? await getUser(db, name) : undefined;
  const isMatch = await verifyPassword(String(password ?? ''), user?.passwordHash ?? DUMMY_HASH);
  if (!user || !isMatch) {
    if (!name) throw new LvzError('LVZ_AUTH_BAD_LOGIN', BAD_LOGIN);
    const f = await noteLoginFailure(db, name, {
      nowIso, windowStartIso: new Date(now.getTime() - LOCK_MS).toISOString(),
      lockUntilIso: new Date(now.getTime() + LOCK_MS).toISOString(), limit: LOCK_AFTER,
    });
    if (f.lockedUntil && f.lockedUntil > nowIso) throw locked(f.lockedUntil, now);
    const left = LOCK_AFTER - f.count;
    throw new LvzError('LVZ_AUTH_BAD_LOGIN', left <= 2 ? `${BAD_LOGIN}（再输错 ${left} 次，账号将锁定 ${LOCK_MS / 60_000} 分钟）` : BAD_LOGIN);
  }
  if (failures) await clearLoginFailures(db, name);
  if (needsRehash(user.passwordHash)) await setPasswordHash(db, user.id, await hashPassword(password));
  const at = now.toISOString();
  const session = {
    id: randomToken(), userId: user.id, csrfSecret: randomToken(),
    createdAt: at, lastSeenAt: at, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
  };
  await createSession(db, session);
  return { sessionId: session.id, csrfSecret: session.csrfSecret, actor: await toActor(db, user) };
}

/**
 * The live session for a cookie value, its expiry pushed on by use; undefined when unknown or
 * expired. Looked up through `reads` (every request does it), touched through `db`.
 */
export async function sessionInfo(db: Db, sessionId: string, now: Date, reads: Db = db): Promise<SessionInfo | undefined> {
  if (typeof sessionId !== 'string' || sessionId.length < 20 || sessionId.length > 64) return undefined;
  const date = localDateOf(now);
  const found = await getSessionWithUser(reads, sessionId, now, date);
  if (!found) return undefined; // unknown or expired (a removed user's sessions go with it: on delete cascade)
  const { session, user, orgName, standsIn } = found;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
    await touchSession(db, sessionId, now, new Date(now.getTime() + SESSION_IDLE_MS));
  }
  const actor: Actor = { userId: user.id, username: user.id, name: user.name, orgId: user.orgId, orgName: orgName ?? user.orgId, roles: user.roles };
  // Most people stand in for nobody: then the request needs no second look at out_of_office.
  if (standsIn === 0) holdsOnlyForSelf(actor, date);
  return { sessionId, csrfSecret: session.csrfSecret, actor };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  if (typeof sessionId === 'string' && sessionId) await deleteSession(db, sessionId);
}

/** A new API token for the user, shown once; only its sha256 is stored. */
export async function createApiToken(db: Db, userId: string, now: Date): Promise<string> {
  const token = API_TOKEN_PREFIX + randomToken();
  await insertApiToken(db, { id: randomUUID(), userId, tokenHash: sha256(token), createdAt: now.toISOString() });
  return token;
}

/** The actor a bearer token belongs to, or undefined for an unknown token. */
export async function actorByApiToken(db: Db, token: string, now: Date): Promise<Actor | undefined> {
  if (typeof token !== 'string' || !token.startsWith(API_TOKEN_PREFIX) || token.length > 128) return undefined;
  const row = await apiTokenByHash(db, sha256(token));
  if (!row) return undefined;
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS) await touchApiToken(db, row.id, now);
  return actorFor(db, row.userId);
}

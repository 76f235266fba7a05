// sessions.ts: password login and sessions (sliding, with an absolute limit), on top of the directory
// store; the lock is lockout.ts, the rate limits login-guard.ts, API tokens api-tokens.ts.
//
// Every function takes `now`: only engine/runtime/clock.ts reads the system clock, and tests
// move time forward instead of sleeping.

import { randomBytes } from 'node:crypto';
import { NO_PASSWORD } from '../store/types.ts';
import { LvzError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import {
  createSession, deleteSession, getOrg, getSessionWithUser, getUser, setPasswordHash, touchSession,
} from '../store/directory.ts';
import type { UserRow } from '../store/types.ts';
import { BAD_LOGIN, countAttempt, rightPassword, wrongPassword } from './lockout.ts';
import { admit, type LoginGuard } from './login-guard.ts';
import type { Actor } from '../model/actor.ts';
import { DEFAULT_PARAMS, hashPassword, needsRehash, verifyPassword } from './password.ts';
import { localDateOf } from '../calendar/index.ts';
import { holdsOnlyForSelf } from './holders.ts';

/** A live session: whom it speaks for and its CSRF secret. */
export interface SessionInfo {
  sessionId: string;
  actor: Actor;
  csrfSecret: string;
  /** A temporary password was set for the user: every page sends them to 修改密码 until they choose their own. */
  mustChangePassword?: true;
}

/**
 * A session ends this long after its last use, and at the latest SESSION_MAX_MS after the login
 * (ASVS 3.3.2, level 2: re-authentication after 12 hours even while in use). The idle limit is
 * 2 hours rather than ASVS's 30 minutes: a long reply typed without a request in between would be
 * lost on a POST after the session ended (docs/deploy.md, Security limits).
 */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

// Writing last_seen_at on every request would make each page view a write; once a minute is
// plenty for a 2-hour window.
const TOUCH_EVERY_MS = 60 * 1000;

/** When a session used at `now` ends: idle time from now, never past the absolute limit. */
function sessionEnd(createdAt: string, now: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, Date.parse(createdAt) + SESSION_MAX_MS));
}

// Checked against when the user does not exist, so an unknown name costs the same scrypt work as
// a wrong password and the answer time does not reveal which names exist.
const DUMMY_HASH = ['scrypt', DEFAULT_PARAMS.N, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p, 'A'.repeat(22), 'A'.repeat(86)].join('$');

function randomToken(): string {
  return randomBytes(32).toString('base64url');
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
 * (a wrong name or a wrong password), LVZ_AUTH_LOCKED after LOCK_AFTER of them in a row, and with
 * a guard LVZ_AUTH_RATE_LIMITED when `address` (or everyone) tried too often. The attempt is
 * counted before the password is hashed (lockout.ts), so concurrent guesses cannot outrun the lock.
 */
export async function login(db: Db, username: string, password: string, now: Date, opts: { address?: string; guard?: LoginGuard } = {}): Promise<SessionInfo> {
  // Phones capitalise the first letter; usernames are lower-case slugs.
  const name = String(username ?? '').trim().toLowerCase().slice(0, 64);
  if (!name) throw new LvzError('LVZ_AUTH_BAD_LOGIN', BAD_LOGIN);
  const address = opts.address ?? '';
  const ticket = opts.guard ? admit(opts.guard, address, now) : undefined;
  let user: UserRow | undefined;
  try {
    const attempt = await countAttempt(db, name, now);
    user = await getUser(db, name);
    await ticket?.ready;
    if (opts.guard) opts.guard.checks++;
    // An account without a password yet (NO_PASSWORD) costs a hash like any other: timing tells nothing.
    const isMatch = await verifyPassword(String(password ?? ''), user && user.passwordHash !== NO_PASSWORD ? user.passwordHash : DUMMY_HASH) && user?.passwordHash !== NO_PASSWORD;
    if (!user || !isMatch) throw await wrongPassword(db, name, attempt, now);
    await rightPassword(db, name, attempt);
    // Said only to someone who knows the password: a guess learns nothing about the account.
    if (user.disabled) throw new LvzError('LVZ_AUTH_BAD_LOGIN', '该账号已停用，不能登录：如仍需使用，请联系系统管理员启用', { params: { disabled: true } });
    opts.guard?.throttle.refund(address, now.getTime());
    // Still holding the gate: a re-hash is a hash like any other.
    if (needsRehash(user.passwordHash)) await setPasswordHash(db, user.id, await hashPassword(password));
  } finally {
    ticket?.release();
  }
  return openSession(db, user, now);
}

async function openSession(db: Db, user: UserRow, now: Date): Promise<SessionInfo> {
  const at = now.toISOString();
  const session = {
    id: randomToken(), userId: user.id, csrfSecret: randomToken(),
    createdAt: at, lastSeenAt: at, expiresAt: sessionEnd(at, now).toISOString(),
  };
  await createSession(db, session);
  return { sessionId: session.id, csrfSecret: session.csrfSecret, actor: await toActor(db, user), ...(user.mustChangePassword && { mustChangePassword: true }) };
}

/**
 * The live session for a cookie value, its expiry pushed on by use up to the absolute limit;
 * undefined when unknown or expired. Looked up through `reads` (every request does it), touched through `db`.
 */
export async function sessionInfo(db: Db, sessionId: string, now: Date, reads: Db = db): Promise<SessionInfo | undefined> {
  if (typeof sessionId !== 'string' || sessionId.length < 20 || sessionId.length > 64) return undefined;
  const date = localDateOf(now);
  const found = await getSessionWithUser(reads, sessionId, now, date);
  if (!found) return undefined; // unknown or expired (a removed user's sessions go with it: on delete cascade)
  const { session, user, orgName, standsIn } = found;
  // 停用 ends every session at once, even one a disabling in another process did not delete.
  if (user.disabled) return undefined;
  // Sessions stored before the absolute limit existed may still carry a later expiry.
  if (now.getTime() >= Date.parse(session.createdAt) + SESSION_MAX_MS) return undefined;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
    await touchSession(db, sessionId, now, sessionEnd(session.createdAt, now));
  }
  const actor: Actor = { userId: user.id, username: user.id, name: user.name, orgId: user.orgId, orgName: orgName ?? user.orgId, roles: user.roles };
  // Most people stand in for nobody: then the request needs no second look at out_of_office.
  if (standsIn === 0) holdsOnlyForSelf(actor, date);
  return { sessionId, csrfSecret: session.csrfSecret, actor, ...(user.mustChangePassword && { mustChangePassword: true }) };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  if (typeof sessionId === 'string' && sessionId) await deleteSession(db, sessionId);
}

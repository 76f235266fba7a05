// login-failures.ts: all SQL for counting login attempts per user name (migration 010). Each
// attempt is counted by the database in one statement *before* its password is checked, so
// concurrent attempts on several processes each get their own number and no more than the
// allowed number of them are ever checked.

import type { Db } from './db.ts';

export interface LoginFailures {
  count: number;
  lastAt: string;
  lockedUntil: string | null;
}

/** The attempt as counted: its number in the current series, and the lock if there is one. */
export interface Reservation {
  count: number;
  lockedUntil: string | null;
}

export async function loginFailuresOf(db: Db, username: string): Promise<LoginFailures | undefined> {
  const r = (await db('login_failures').where({ username }).first()) as Record<string, unknown> | undefined;
  return r ? { count: Number(r.count), lastAt: String(r.last_at), lockedUntil: (r.locked_until as string | null) ?? null } : undefined;
}

/**
 * Counts one more attempt for `username`, atomically (insert-or-increment returning the new
 * count): a series starts again once its lock has run out, or when it has no lock and its last
 * attempt was before `windowStartIso`. The attempt that goes past `limit` locks the name until
 * `lockUntilIso` (the one at `limit` locks it only if its password turns out wrong: failedAt).
 */
export async function reserveLoginAttempt(db: Db, username: string, f: { nowIso: string; windowStartIso: string; lockUntilIso: string; limit: number }): Promise<Reservation> {
  // `login_failures.*` is the stored row before this update (SQLite and PostgreSQL alike).
  const fresh = '((login_failures.locked_until is not null and login_failures.locked_until <= ?) or (login_failures.locked_until is null and login_failures.last_at < ?))';
  const freshArgs = [f.nowIso, f.windowStartIso];
  const [row] = (await db('login_failures')
    .insert({ username, count: 1, last_at: f.nowIso, locked_until: null })
    .onConflict('username')
    .merge({
      count: db.raw(`case when ${fresh} then 1 else login_failures.count + 1 end`, freshArgs),
      locked_until: db.raw(
        `case when ${fresh} then null when login_failures.locked_until is not null then login_failures.locked_until when login_failures.count + 1 > ? then ? else null end`,
        [...freshArgs, f.limit, f.lockUntilIso],
      ),
      last_at: f.nowIso,
    })
    .returning(['count', 'locked_until'])) as Record<string, unknown>[];
  return { count: Number(row!.count), lockedUntil: (row!.locked_until as string | null) ?? null };
}

/** Locks the name after a wrong password that reached the limit; returns the lock (an earlier one stands). */
export async function lockLoginName(db: Db, username: string, lockUntilIso: string): Promise<string> {
  const [row] = (await db('login_failures').where({ username })
    .update({ locked_until: db.raw('coalesce(locked_until, ?)', [lockUntilIso]) })
    .returning(['locked_until'])) as Record<string, unknown>[];
  return (row?.locked_until as string | undefined) ?? lockUntilIso;
}

/**
 * A right password ends the series, unless attempts counted after this one are still in flight
 * (a concurrent burst): their count stands, so the burst cannot start a fresh series.
 */
export async function clearLoginFailures(db: Db, username: string, upToCount: number): Promise<void> {
  await db('login_failures').where({ username }).where('count', '<=', upToCount).del();
}

/** Forgets the name's whole series and lock (lvzhi admin reset-password); true when there was one. */
export async function forgetLoginName(db: Db, username: string): Promise<boolean> {
  return (await db('login_failures').where({ username }).del()) > 0;
}

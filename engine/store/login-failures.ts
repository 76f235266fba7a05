// login-failures.ts: all SQL for counting failed logins per user name (migration 010). The count
// is kept by the database in one statement, so concurrent failures on several processes all count.

import type { Db } from './db.ts';

export interface LoginFailures {
  count: number;
  lastAt: string;
  lockedUntil: string | null;
}

export async function loginFailuresOf(db: Db, username: string): Promise<LoginFailures | undefined> {
  const r = (await db('login_failures').where({ username }).first()) as Record<string, unknown> | undefined;
  return r ? { count: Number(r.count), lastAt: String(r.last_at), lockedUntil: (r.locked_until as string | null) ?? null } : undefined;
}

/**
 * One more failure for `username`: the count starts again when the last failure was before
 * `windowStartIso`, and reaching `limit` locks the name until `lockUntilIso`. Returns the new row.
 */
export async function noteLoginFailure(db: Db, username: string, f: { nowIso: string; windowStartIso: string; lockUntilIso: string; limit: number }): Promise<LoginFailures> {
  // `login_failures.*` is the stored row (SQLite and PostgreSQL alike in an upsert's SET).
  const next = 'case when login_failures.last_at < ? then 1 else login_failures.count + 1 end';
  await db('login_failures')
    .insert({ username, count: 1, last_at: f.nowIso, locked_until: f.limit <= 1 ? f.lockUntilIso : null })
    .onConflict('username')
    .merge({
      count: db.raw(next, [f.windowStartIso]),
      locked_until: db.raw(`case when (${next}) >= ? then ? else null end`, [f.windowStartIso, f.limit, f.lockUntilIso]),
      last_at: f.nowIso,
    });
  return (await loginFailuresOf(db, username))!;
}

export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db('login_failures').where({ username }).del();
}

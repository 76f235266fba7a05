// lockout.ts: the per-name login lock (等保: 限制非法登录次数). LOCK_AFTER wrong passwords for one
// user name within LOCK_MS lock that name for LOCK_MS, whether the name exists or not, so the lock
// says nothing about who has an account. Each attempt is counted before its password is checked
// (store/login-failures.ts), so a burst sent at once is checked LOCK_AFTER times at most, on any
// number of server processes.

import { LvzError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { clearLoginFailures, lockLoginName, reserveLoginAttempt, type Reservation } from '../store/login-failures.ts';

export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60 * 1000;

export const BAD_LOGIN = '用户名或密码不正确：请检查后重新输入';

/** HH:MM in Beijing time (the business zone is UTC+8 all year). */
function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);
}

/** params.retryAfter: whole seconds until the lock ends (HTTP's Retry-After). */
export function locked(untilIso: string, now: Date): LvzError {
  return new LvzError('LVZ_AUTH_LOCKED',
    `密码连续输错 ${LOCK_AFTER} 次，该账号已暂时锁定：请于 ${beijingTime(untilIso)}（北京时间）后再试；如非本人操作，请联系系统管理员`,
    { params: { lockedUntil: untilIso, retryAfter: Math.max(1, Math.ceil((Date.parse(untilIso) - now.getTime()) / 1000)) } });
}

const lockUntil = (now: Date): string => new Date(now.getTime() + LOCK_MS).toISOString();

/** Counts the attempt; throws LVZ_AUTH_LOCKED (and checks nothing) while the name is locked. */
export async function countAttempt(db: Db, name: string, now: Date): Promise<Reservation> {
  const nowIso = now.toISOString();
  const r = await reserveLoginAttempt(db, name, {
    nowIso, windowStartIso: new Date(now.getTime() - LOCK_MS).toISOString(), lockUntilIso: lockUntil(now), limit: LOCK_AFTER,
  });
  if (r.lockedUntil && r.lockedUntil > nowIso) throw locked(r.lockedUntil, now);
  return r;
}

/** The error for a wrong password on attempt `r`: a warning near the limit, the lock at it. */
export async function wrongPassword(db: Db, name: string, r: Reservation, now: Date): Promise<LvzError> {
  if (r.count >= LOCK_AFTER) return locked(await lockLoginName(db, name, lockUntil(now)), now);
  const left = LOCK_AFTER - r.count;
  return new LvzError('LVZ_AUTH_BAD_LOGIN', left <= 2 ? `${BAD_LOGIN}（再输错 ${left} 次，账号将锁定 ${LOCK_MS / 60_000} 分钟）` : BAD_LOGIN);
}

/** A right password ends the series (attempts still in flight keep theirs: clearLoginFailures). */
export async function rightPassword(db: Db, name: string, r: Reservation): Promise<void> {
  await clearLoginFailures(db, name, r.count);
}

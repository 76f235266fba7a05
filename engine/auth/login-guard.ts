// login-guard.ts: what stands in front of a password check in one server process: the login rate
// limits (throttle.ts) and the hash gate (hash-gate.ts). An attempt is admitted, or refused with
// LVZ_AUTH_RATE_LIMITED and a Retry-After, before any database or hashing work.

import { LvzError } from '../errors.ts';
import { createHashGate, type HashGate, type HashTicket } from './hash-gate.ts';
import { createThrottle, DEFAULT_LOGIN_LIMITS, type LoginLimits, type Throttle } from './throttle.ts';

export interface LoginGuard {
  throttle: Throttle;
  gate: HashGate;
  /** Passwords checked by this process so far (what the lock and the limits keep small). */
  checks: number;
}

// A full hash queue drains in well under a second; a few seconds is an honest wait.
const BUSY_RETRY_S = 3;

export function createLoginGuard(overrides: Partial<LoginLimits> = {}): LoginGuard {
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...overrides };
  return { throttle: createThrottle(limits), gate: createHashGate(limits.hashSlots, limits.hashQueue), checks: 0 };
}

function rateLimited(message: string, retryAfter: number): LvzError {
  return new LvzError('LVZ_AUTH_RATE_LIMITED', message, { params: { retryAfter } });
}

/** Takes the attempt's tokens and a place at the hash gate; LVZ_AUTH_RATE_LIMITED when either is out. */
export function admit(guard: LoginGuard, address: string, now: Date): HashTicket {
  const taken = guard.throttle.take(address, now.getTime());
  if (!taken.ok) {
    throw rateLimited(taken.scope === 'address'
      ? `登录尝试过于频繁：请于 ${taken.retryAfter} 秒后再试；如忘记密码，请联系系统管理员`
      : `当前登录请求过多，服务器暂时无法受理：请于 ${taken.retryAfter} 秒后再试`, taken.retryAfter);
  }
  const ticket = guard.gate.enter();
  if (!ticket) {
    guard.throttle.refund(address, now.getTime()); // nothing was checked: the attempt costs nothing
    throw rateLimited(`当前登录请求过多，服务器正在处理：请于 ${BUSY_RETRY_S} 秒后再试`, BUSY_RETRY_S);
  }
  return ticket;
}

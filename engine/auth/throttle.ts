// throttle.ts: token buckets for login attempts, per client address and for the whole process.
//
// Kept in memory per process: a flood is stopped where it arrives, at no database cost. Every
// attempt takes a token before its password is hashed; a right password gives it back, so only
// wrong ones use the budget and an office behind one address is not locked out by its own logins.

export interface BucketLimit {
  /** Attempts that may come at once. */
  burst: number;
  /** Milliseconds for one token to come back. */
  refillMs: number;
}

export interface LoginLimits {
  perAddress: BucketLimit;
  global: BucketLimit;
  /** Password hashes running at once, and how many more may wait for one. */
  hashSlots: number;
  hashQueue: number;
}

/** The defaults, documented in docs/deploy.md (Security limits, Authentication). */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAddress: { burst: 20, refillMs: 15_000 }, // 20 at once, then 4 a minute
  global: { burst: 60, refillMs: 500 }, // 60 at once, then 120 a minute
  hashSlots: 2,
  hashQueue: 16,
};

// A bucket that has refilled is forgotten; past this many addresses the oldest go first.
const MAX_ADDRESSES = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export interface Throttle {
  /** Takes a token for `address` and one from the global bucket; else the seconds to wait. */
  take(address: string, nowMs: number): { ok: true } | { ok: false; retryAfter: number; scope: 'address' | 'global' };
  /** Gives back what take() took (a right password). */
  refund(address: string, nowMs: number): void;
}

function refill(b: Bucket, limit: BucketLimit, nowMs: number): void {
  const gained = Math.floor(Math.max(0, nowMs - b.at) / limit.refillMs);
  if (gained > 0) {
    b.tokens = Math.min(limit.burst, b.tokens + gained);
    b.at = b.tokens === limit.burst ? nowMs : b.at + gained * limit.refillMs;
  }
}

function waitSeconds(b: Bucket, limit: BucketLimit, nowMs: number): number {
  return Math.max(1, Math.ceil((b.at + limit.refillMs - nowMs) / 1000));
}

export function createThrottle(limits: LoginLimits = DEFAULT_LOGIN_LIMITS): Throttle {
  const global: Bucket = { tokens: limits.global.burst, at: 0 };
  const byAddress = new Map<string, Bucket>();

  function bucketOf(address: string, nowMs: number): Bucket {
    let b = byAddress.get(address);
    if (!b) {
      if (byAddress.size >= MAX_ADDRESSES) prune(nowMs);
      b = { tokens: limits.perAddress.burst, at: nowMs };
      byAddress.set(address, b);
    }
    refill(b, limits.perAddress, nowMs);
    return b;
  }

  function prune(nowMs: number): void {
    for (const [key, b] of byAddress) {
      refill(b, limits.perAddress, nowMs);
      if (b.tokens >= limits.perAddress.burst) byAddress.delete(key);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const key of byAddress.keys()) {
      if (byAddress.size < MAX_ADDRESSES) break;
      byAddress.delete(key);
    }
  }

  return {
    take(address, nowMs) {
      const own = bucketOf(address, nowMs);
      if (own.tokens < 1) return { ok: false, retryAfter: waitSeconds(own, limits.perAddress, nowMs), scope: 'address' };
      refill(global, limits.global, nowMs);
      if (global.tokens < 1) return { ok: false, retryAfter: waitSeconds(global, limits.global, nowMs), scope: 'global' };
      // A full bucket starts its refill clock now, not when it was last topped up.
      if (own.tokens >= limits.perAddress.burst) own.at = nowMs;
      if (global.tokens >= limits.global.burst) global.at = nowMs;
      own.tokens--;
      global.tokens--;
      return { ok: true };
    },
    refund(address, nowMs) {
      const own = bucketOf(address, nowMs);
      own.tokens = Math.min(limits.perAddress.burst, own.tokens + 1);
      global.tokens = Math.min(limits.global.burst, global.tokens + 1);
    },
  };
}

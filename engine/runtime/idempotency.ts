// idempotency.ts: a submission key (a form's one-time `_once` field, the API's Idempotency-Key
// header) guards a start, a completion or an office action: the first request with a key runs and
// its answer is stored with the key in the same transaction; a repeat with the same key and the
// same request gets that answer again and changes nothing (draft-ietf-httpapi-idempotency-key-header).

import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { claimKey, deleteKey, getKey, storeKeyResult, sweepKeys } from '../store/process/index.ts';
import type { Actor } from '../model/actor.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** A submission key and what was asked, for the fingerprint (same key, other request: refused). */
export interface Once {
  key: string;
  request: unknown;
}

/** How long a key is remembered: a day covers a retry after any outage an operator fixes the same day (docs/deploy.md). */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** How often a process deletes expired keys (each user's own expired key is also replaced on use). */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const MAX_KEY = 255;

/** A key as a client may send it: printable ASCII, at most 255 characters; an sf-string's quotes are dropped. */
export function readKey(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const s = String(Array.isArray(raw) ? raw[0] : raw).trim().replace(/^"(.*)"$/, '$1');
  if (s === '' || s.length > MAX_KEY || !/^[\x21-\x7e]+$/.test(s)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `提交编号（Idempotency-Key）须为 1 至 ${MAX_KEY} 个可见的 ASCII 字符（如一个 UUID）：请换一个编号后重试`, {});
  }
  return s;
}

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function fingerprintOf(scope: string, request: unknown): string {
  return createHash('sha256').update(canonical({ scope, request })).digest('hex');
}

function mismatch(): LvzError {
  return new LvzError('LVZ_RUN_IDEMPOTENCY_MISMATCH',
    '这个提交编号（Idempotency-Key）已用于一次内容不同的提交，这次没有作任何处理：若是重试上一次提交，请原样发送相同的内容；若是新的提交，请使用新的编号（网页表单请重新打开后填写）', {});
}

/**
 * Runs `run` once per (user, key) inside the caller's transaction `tx`. Without a key it simply
 * runs. A repeat returns the stored answer with `replayed: true`. A failure rolls back the claim
 * with everything else, so the same key may be used again once the request is corrected.
 */
export async function onceIn<T extends object>(
  rc: RuntimeContext, tx: Knex, actor: Actor, once: Once | undefined, scope: string, run: () => Promise<T>,
): Promise<T & { replayed?: boolean }> {
  if (!once) return run();
  const now = rc.now();
  const fingerprint = fingerprintOf(scope, once.request);
  const row = { userId: actor.userId, key: once.key, fingerprint, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + KEY_LIFETIME_MS).toISOString() };
  if (!(await claimKey(tx, row))) {
    const kept = await getKey(tx, actor.userId, once.key);
    if (kept && kept.expiresAt <= row.createdAt) {
      // Expired but not yet swept: the key is free again.
      await deleteKey(tx, actor.userId, once.key);
      if (!(await claimKey(tx, row))) throw inFlight();
    } else {
      if (!kept || kept.fingerprint !== fingerprint) throw kept ? mismatch() : inFlight();
      if (kept.result === null) throw inFlight();
      return { ...(JSON.parse(kept.result) as T), replayed: true };
    }
  }
  const value = await run();
  await storeKeyResult(tx, actor.userId, once.key, JSON.stringify(value ?? {}));
  return value;
}

/** Not expected: a concurrent repeat waits for the first to commit. Said plainly should it happen. */
function inFlight(): LvzError {
  return new LvzError('LVZ_RUN_IDEMPOTENCY_IN_FLIGHT', '同一提交编号的上一次提交仍在处理中：请稍候几秒后原样重试，将得到第一次提交的结果', {});
}

const lastSweep = new WeakMap<Knex, number>();

/** Deletes expired keys at most once an hour per process (called from the timer tick). */
export async function sweepExpiredKeys(rc: RuntimeContext, now: Date): Promise<number> {
  const last = lastSweep.get(rc.db);
  if (last !== undefined && now.getTime() - last < SWEEP_EVERY_MS && now.getTime() >= last) return 0;
  lastSweep.set(rc.db, now.getTime());
  return sweepKeys(rc.db, now.toISOString());
}

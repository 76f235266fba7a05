// idempotency.ts: the idempotency_keys table (migration 011): claim a user's key inside the
// caller's transaction, keep the result beside it, read it back for a replay, sweep expired rows.

import type { Knex } from 'knex';

export interface KeyRow {
  fingerprint: string;
  /** The stored answer (JSON), or null while the claiming transaction has not finished. */
  result: string | null;
  expiresAt: string;
}

/**
 * Inserts the key unless the user already has it; true when this call claimed it. On PostgreSQL
 * an insert that meets another transaction's uncommitted row waits for it to end (then inserts
 * if it rolled back, or does nothing if it committed), so two concurrent submissions with one key
 * run one after the other. On SQLite the write transaction already runs alone.
 */
export async function claimKey(tx: Knex, row: { userId: string; key: string; fingerprint: string; createdAt: string; expiresAt: string }): Promise<boolean> {
  const inserted = await tx('idempotency_keys')
    .insert({ user_id: row.userId, key: row.key, fingerprint: row.fingerprint, result: null, created_at: row.createdAt, expires_at: row.expiresAt })
    .onConflict(['user_id', 'key']).ignore()
    .returning('key');
  return (inserted as unknown[]).length > 0;
}

export async function getKey(tx: Knex, userId: string, key: string): Promise<KeyRow | undefined> {
  const r = await tx('idempotency_keys').where({ user_id: userId, key }).first('fingerprint', 'result', 'expires_at');
  return r ? { fingerprint: String(r.fingerprint), result: r.result === null ? null : String(r.result), expiresAt: String(r.expires_at) } : undefined;
}

export async function storeKeyResult(tx: Knex, userId: string, key: string, result: string): Promise<void> {
  await tx('idempotency_keys').where({ user_id: userId, key }).update({ result });
}

export async function deleteKey(tx: Knex, userId: string, key: string): Promise<void> {
  await tx('idempotency_keys').where({ user_id: userId, key }).del();
}

/** Removes keys whose lifetime has passed; returns how many. */
export async function sweepKeys(db: Knex, nowIso: string): Promise<number> {
  return db('idempotency_keys').where('expires_at', '<', nowIso).del();
}

// ballot-screens.ts: all SQL for a sitting's 投屏 link (migration 023): its nonce, set, changed, removed.

import type { Knex } from 'knex';

export async function screenNonce(db: Knex, setId: string): Promise<string | undefined> {
  const r = await db('ballot_screens').where({ set_id: setId }).first('nonce');
  return r ? String(r.nonce) : undefined;
}

/** A new nonce for the sitting (the first, or one that ends the links made before it). */
export async function putScreenNonce(tx: Knex, setId: string, nonce: string, at: string, by: string): Promise<void> {
  await tx('ballot_screens').insert({ set_id: setId, nonce, created_at: at, created_by: by }).onConflict('set_id').merge();
}

export async function dropScreenNonce(tx: Knex, setId: string): Promise<void> {
  await tx('ballot_screens').where({ set_id: setId }).del();
}

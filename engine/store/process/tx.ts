// tx.ts: the write transaction every runtime event runs in.
//
// SQLite: a deferred transaction that reads first and writes later fails with SQLITE_BUSY when
// another connection (a second engine on the same file) committed in between; taking the write
// lock with a write as the first statement makes it wait (busy_timeout) instead, so events run
// one at a time.
// PostgreSQL (read committed, a pool of connections): events run in parallel; the runtime locks
// the instance row it changes (lockInstance, `select … for update`) so events on one instance run
// one after the other, and the version check and conditional updates stay the final guards. A
// transaction PostgreSQL aborts to break a deadlock or a serialisation conflict is run again
// from the start (it wrote nothing), a few times.
// Issue 5: group commit would batch several events into one such transaction.

import type { Knex } from 'knex';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure
const ATTEMPTS = 3;

export async function writeTx<T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  const sqlite = db.client.config.client === 'sqlite3';
  for (let attempt = 1; ; attempt++) {
    try {
      return await reasonKept(db, async (tx) => {
        if (sqlite) await tx('sequences').where('name', '').update({ value: 0 });
        return fn(tx);
      });
    } catch (e) {
      if (sqlite || attempt >= ATTEMPTS || !RETRYABLE.has((e as { code?: string }).code ?? '')) throw e;
    }
  }
}

/**
 * db.transaction, rejecting with the error that broke the transaction rather than one its
 * ROLLBACK ran into: SQLite rolls back by itself on SQLITE_FULL (knex's ROLLBACK then fails with
 * "no transaction is active"), and a PostgreSQL connection that died cannot roll back either.
 * The database has discarded the transaction in both cases; the first error says why.
 */
async function reasonKept<T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  let failure: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx) => {
      try {
        return await fn(tx);
      } catch (e) {
        failure = { error: e };
        throw e;
      }
    });
  } catch (e) {
    throw failure ? failure.error : e;
  }
}

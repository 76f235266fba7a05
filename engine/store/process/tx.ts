// tx.ts: the write transaction every runtime event runs in.
//
// On SQLite a deferred transaction that reads first and writes later fails with SQLITE_BUSY
// when another connection (a second engine on the same file) committed in between; taking the
// write lock with a write as the first statement makes it wait (busy_timeout) instead.
// Issue 5: group commit would batch several events into one such transaction.

import type { Knex } from 'knex';

export async function writeTx<T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  const isSqlite = db.client.config.client === 'sqlite3';
  return db.transaction(async (tx) => {
    if (isSqlite) await tx('sequences').where('name', '').update({ value: 0 });
    return fn(tx);
  });
}

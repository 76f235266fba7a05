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
//
// Group commit (SQLite): events that arrive while one is being written wait in a queue, and
// the next transaction takes all of them (up to MAX_BATCH), each inside its own savepoint, so
// one event's failure (a conflict, a bad form) undoes only its own writes. Each caller's promise
// settles after the COMMIT that made its event durable, never before. SQLite's COMMIT (with its
// fsync) and the write lock are then paid once per batch instead of once per event
// (docs/benchmarks.md). An error that is not the event's own (the disk, the connection)
// abandons the batch; its events then run again one by one, each told its own outcome, as a
// PostgreSQL transaction aborted for a deadlock is run again below.

import { AsyncResource } from 'node:async_hooks';
import type { Knex } from 'knex';
import { LvzError } from '../../errors.ts';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure
const ATTEMPTS = 3;

/** Counts since the process started, per database handle, for an operator's metrics. */
export interface WriteStats {
  /** Events whose writes were committed. */
  committed: number;
  /** Events undone by their own failure (a conflict, a bad form, a workflow rule): nothing kept. */
  refused: number;
  /** Events that failed for the database's reasons (unreachable, disk full, …). */
  failed: number;
  /** Transactions committed (SQLite: one per batch of events). */
  transactions: number;
  /** Transactions PostgreSQL aborted for a deadlock or serialisation conflict and that ran again. */
  retried: number;
}

const stats = new WeakMap<Knex, WriteStats>();

function statsOf(db: Knex): WriteStats {
  let s = stats.get(db);
  if (!s) stats.set(db, (s = { committed: 0, refused: 0, failed: 0, transactions: 0, retried: 0 }));
  return s;
}

export function writeStats(db: Knex): WriteStats {
  return { ...statsOf(db) };
}

function countFailure(s: WriteStats, error: unknown): void {
  if (isEventsOwn(error)) s.refused++;
  else s.failed++;
}

export async function writeTx<T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (db.client.config.client !== 'pg') return queued(db, fn);
  const s = statsOf(db);
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await reasonKept(db, fn);
      s.committed++;
      s.transactions++;
      return value;
    } catch (e) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has((e as { code?: string }).code ?? '')) {
        countFailure(s, e);
        throw e;
      }
      s.retried++;
    }
  }
}

// ---- group commit (SQLite) ------------------------------------------------------------------------

interface Job {
  fn: (tx: Knex.Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 64;
const queues = new WeakMap<Knex, { jobs: Job[]; draining: boolean }>();

function queued<T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = { jobs: [], draining: false }));
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    // Bound to the caller's async context: the drain runs the job from whichever caller started it,
    // and what the job records per operation (runtime/spawn.ts, AsyncLocalStorage) must be its own.
    queue.jobs.push({ fn: AsyncResource.bind(fn), resolve: resolve as (v: unknown) => void, reject });
    if (!queue.draining) {
      queue.draining = true;
      setImmediate(() => void drain(db, queue));
    }
  });
}

/** The next turn of the event loop, after the sockets that are ready have been read. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the queue in batches. Each batch is taken on a later turn of the event loop than the one
 * that queued its first job: with node:sqlite a batch's statements and its COMMIT (with its fsync)
 * run on the event loop's own thread, so the requests that arrived meanwhile are read, and their
 * events queued, only when the loop turns; taking the batch at once would commit them one by one.
 */
async function drain(db: Knex, q: { jobs: Job[]; draining: boolean }): Promise<void> {
  try {
    while (q.jobs.length > 0) {
      const batch = q.jobs.splice(0, MAX_BATCH);
      if (batch.length === 1 || !(await runBatch(db, batch))) for (const job of batch) await runAlone(db, job);
      if (q.jobs.length === 0) await nextTurn();
    }
  } finally {
    q.draining = false;
  }
}

/** SQLite takes its one write lock with the first write, so the transaction starts with one. */
async function takeWriteLock(tx: Knex.Transaction): Promise<void> {
  await tx('sequences').where('name', '').update({ value: 0 });
}

async function runAlone(db: Knex, job: Job): Promise<void> {
  const s = statsOf(db);
  try {
    const value = await reasonKept(db, async (tx) => {
      await takeWriteLock(tx);
      return job.fn(tx);
    });
    s.committed++;
    s.transactions++;
    job.resolve(value);
  } catch (e) {
    countFailure(s, e);
    job.reject(e);
  }
}

/** The event's own failure (a conflict, a bad form, a rule of the workflow), not the database's. */
function isEventsOwn(error: unknown): boolean {
  return error instanceof LvzError && !error.code.startsWith('LVZ_STORE_');
}

/**
 * One transaction for the batch, a savepoint per event. Returns false, with nothing committed
 * and no caller told, when the batch had to be abandoned.
 */
async function runBatch(db: Knex, batch: Job[]): Promise<boolean> {
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    await reasonKept(db, async (tx) => {
      await takeWriteLock(tx);
      // Savepoints are not released one by one (a statement fewer per event): they nest, each
      // `ROLLBACK TO` undoes back to the newest of the name (this event's), and COMMIT ends them all.
      for (const job of batch) {
        await tx.raw('SAVEPOINT lvz_event');
        try {
          outcomes.push({ ok: true, value: await job.fn(tx) });
        } catch (error) {
          if (!isEventsOwn(error)) throw error;
          await tx.raw('ROLLBACK TO lvz_event');
          outcomes.push({ ok: false, error });
        }
      }
    });
  } catch {
    return false;
  }
  const s = statsOf(db);
  s.transactions++;
  for (const o of outcomes) {
    if (o.ok) s.committed++;
    else s.refused++;
  }
  batch.forEach((job, i) => {
    const o = outcomes[i]!;
    if (o.ok) job.resolve(o.value);
    else job.reject(o.error);
  });
  return true;
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

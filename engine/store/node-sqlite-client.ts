// node-sqlite-client.ts: a knex client for SQLite through Node's own `node:sqlite` (DatabaseSync),
// which runs each statement synchronously on the calling thread.
//
// Why (docs/benchmarks.md, "What we tried", item 20): node-sqlite3 sends every statement through
// libuv's thread pool and back; for the inbox's 8 statements SQLite's own work is 0.32 ms of CPU
// and the same statements through node-sqlite3 cost 1.15 ms. A page or an event is a dozen
// short, index-bounded statements, so the round trips were most of the storage cost. Statements
// that may run long (a search over every task in scope) go to connections on worker threads
// instead (NodeSqliteThreadClient below, store/db.ts `openSearches`), so the event loop keeps
// serving while they run. No statement waits for a lock on the event loop's thread: SQLITE_BUSY
// is waited out on a timer (whileBusy).
//
// knex's SQLite dialect is kept whole (its query, schema and transaction compilers); only the
// connection and the last step change, as knex's own better-sqlite3 client does. Each
// connection keeps its prepared statements (least recently used out past LIMIT), and errors
// carry node-sqlite3's codes (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, `SQLITE_FULL`, …) so the code
// that reads them (store/faults.ts, studio.ts, backup.ts) works on either driver.

import { createRequire } from 'node:module';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// knex ships no types for its dialect classes.
const ClientSqlite3 = require('knex/lib/dialects/sqlite3/index.js') as new (config: unknown) => object;

export interface NodeSqliteConnection {
  filename: string;
  /** PRAGMAs run on every new connection, in order. */
  pragmas?: string[];
  readOnly?: boolean;
}

interface QueryObject { sql?: string; method?: string; bindings?: unknown[]; returning?: unknown; response?: unknown; context?: unknown }

interface Kept { st: StatementSync; names: string[]; blobs: boolean }
interface Connection {
  db: DatabaseSync;
  statements: Map<string, Kept>;
  /** How long a statement waits out SQLITE_BUSY (`PRAGMA busy_timeout = N` sets it; default BUSY_WAIT_MS). */
  waitMs: number;
}

const LIMIT = 256;

// SQLite's primary result codes by number, as node-sqlite3 names them in `err.code`.
const CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

/** node:sqlite's error with node-sqlite3's code and message shape ("SQLITE_CONSTRAINT: UNIQUE …"). */
function asSqliteError(e: unknown): unknown {
  const err = e as Error & { code?: string; errcode?: number };
  if (err?.code !== 'ERR_SQLITE_ERROR' || typeof err.errcode !== 'number') return e;
  const code = CODES[err.errcode & 0xff] ?? 'SQLITE_ERROR';
  return Object.assign(new Error(`${code}: ${err.message}`, { cause: e }), { code, errno: err.errcode & 0xff });
}

/** Values node-sqlite3 binds that node:sqlite refuses: undefined as NULL, booleans as 0/1, dates as epoch ms. */
function bindable(bindings: unknown[] | undefined): unknown[] {
  if (!bindings) return [];
  return bindings.map((b) => (b === undefined ? null : typeof b === 'boolean' ? Number(b) : b instanceof Date ? b.valueOf() : b));
}

/**
 * Row arrays as plain objects, every row of a statement built in the same order (one hidden
 * class). A BLOB, which node:sqlite reads as a Uint8Array, becomes a Buffer, as node-sqlite3 gives.
 */
function objectsOf(arrays: unknown[][], names: string[], blobs: boolean): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(arrays.length);
  for (let r = 0; r < arrays.length; r++) {
    const a = arrays[r]!;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const v = a[i];
      row[names[i]!] = blobs && v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
    }
    rows[r] = row;
  }
  return rows;
}

function keep(conn: Connection, sql: string): Kept {
  const hit = conn.statements.get(sql);
  if (hit) {
    // Map keeps insertion order: back of the line, so the front is the least recently used.
    conn.statements.delete(sql);
    conn.statements.set(sql, hit);
    return hit;
  }
  const st = conn.db.prepare(sql);
  const columns = st.columns();
  // Rows as arrays, made into objects below: node:sqlite's own row objects have no prototype and
  // are built in V8's dictionary mode, which made reading them twice as slow (item 20).
  if (columns.length > 0) st.setReturnArrays(true);
  const kept = { st, names: columns.map((c) => c.name), blobs: columns.some((c) => /blob/i.test(c.type ?? '')) };
  if (conn.statements.size >= LIMIT) conn.statements.delete(conn.statements.keys().next().value!);
  conn.statements.set(sql, kept);
  return kept;
}

/** How long a statement waits, in all, for another connection's write lock (as busy_timeout did). */
export const BUSY_WAIT_MS = 5000;
const SQLITE_BUSY = 5;
const BUSY_TIMEOUT = /^\s*PRAGMA\s+busy_timeout\s*=\s*(\d+)\s*;?\s*$/i;
const SQLITE_BUSY_SNAPSHOT = 517; // a read transaction's snapshot went stale: waiting cannot help

/**
 * Runs `attempt` again while SQLite answers SQLITE_BUSY (another connection, usually another
 * process, holds the write lock), waiting on a timer in between: the connections run with
 * busy_timeout 0, because SQLite's own wait would sleep on the event loop's thread and hold up
 * every request, and in one process two engines on one file (the tests) would never let go.
 * A statement that failed with SQLITE_BUSY did nothing, so running it again is what SQLite's busy
 * handler would have done.
 */
async function whileBusy<T>(attempt: () => T, waitMs: number): Promise<T> {
  const until = performance.now() + waitMs; // a wait, not a business time: the monotonic clock
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      return attempt();
    } catch (e) {
      const code = (e as { errcode?: number }).errcode;
      if (code === undefined || (code & 0xff) !== SQLITE_BUSY || code === SQLITE_BUSY_SNAPSHOT || performance.now() + wait > until) throw asSqliteError(e);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Opens the file and runs the PRAGMAs; the connection then never waits for a lock by itself (whileBusy). */
function open(settings: NodeSqliteConnection): DatabaseSync {
  const { filename, pragmas = [], readOnly = false } = settings;
  let db: DatabaseSync | undefined;
  try {
    // Opening may wait for a moment's lock (another process switching a new file to WAL).
    db = new DatabaseSync(filename, { readOnly, timeout: BUSY_WAIT_MS });
    for (const p of pragmas) db.exec(p);
    db.exec('PRAGMA busy_timeout = 0');
    return db;
  } catch (e) {
    if (db?.isOpen) db.close();
    throw asSqliteError(e);
  }
}

/** One statement's outcome: rows as arrays with their column names, or a write's counts. */
type Outcome = { names: string[]; arrays: unknown[][]; blobs: boolean } | { changes: number; lastID: number };

function execute(conn: Connection, sql: string, bindings: unknown[]): Outcome {
  const kept = keep(conn, sql);
  if (kept.names.length > 0) return { names: kept.names, arrays: kept.st.all(...(bindings as never[])) as unknown as unknown[][], blobs: kept.blobs };
  const r = kept.st.run(...(bindings as never[]));
  return { changes: Number(r.changes), lastID: Number(r.lastInsertRowid) };
}

/** A statement's rows as knex's SQLite dialect gives them: [] for a write. */
function rowsOf(out: Outcome): Record<string, unknown>[] {
  return 'names' in out ? objectsOf(out.arrays, out.names, out.blobs) : [];
}

function settle(obj: QueryObject, out: Outcome): QueryObject {
  obj.response = rowsOf(out);
  if (!('names' in out)) obj.context = { lastID: out.lastID, changes: out.changes };
  return obj;
}

/** The knex client class: `knex({ client: NodeSqliteClient, connection: { filename, pragmas } })`. */
export class NodeSqliteClient extends (ClientSqlite3 as new (config: unknown) => {
  connectionSettings: NodeSqliteConnection;
  driver: unknown;
}) {
  _driver(): unknown {
    return DatabaseSync;
  }

  async acquireRawConnection(): Promise<Connection> {
    return { db: open(this.connectionSettings), statements: new Map(), waitMs: BUSY_WAIT_MS };
  }

  async destroyRawConnection(conn: Connection): Promise<void> {
    conn.statements.clear();
    if (conn.db.isOpen) conn.db.close();
  }

  /**
   * A statement whose SQL knex already compiled (store/compiled.ts), run on `conn` without knex's
   * runner: its rows, or [] for a write without RETURNING, as `db.raw` answers on this dialect.
   * knex's own path costs about 11 µs of the main thread per statement over this (docs/benchmarks.md,
   * "What we tried"), a tenth of a page's statements. Listeners of knex's 'query' event still hear it.
   */
  async rows(conn: Connection, sql: string, bindings: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const self = this as unknown as { listenerCount(e: string): number; emit(e: string, o: unknown): void };
    if (self.listenerCount('query') > 0) self.emit('query', { sql, bindings, method: 'raw' });
    return rowsOf(await whileBusy(() => execute(conn, sql, bindable(bindings as unknown[])), conn.waitMs));
  }

  async _query(conn: Connection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    const sql = obj.sql;
    // The connection itself stays at busy_timeout 0; a caller's setting becomes whileBusy's wait.
    const timeout = BUSY_TIMEOUT.exec(sql);
    if (timeout) {
      conn.waitMs = Number(timeout[1]);
      return settle(obj, { changes: 0, lastID: 0 });
    }
    const bindings = bindable(obj.bindings);
    return settle(obj, await whileBusy(() => execute(conn, sql, bindings), conn.waitMs));
  }
}

Object.assign(NodeSqliteClient.prototype, { driverName: 'node:sqlite' });

// ---- a connection on a thread of its own, for the reads that may run long --------------------------

/**
 * The worker's code: one node:sqlite connection, statements in, rows out. Kept as a string (run
 * with `eval`) so it is the same under tsx, vitest and the server bundle, and imports nothing of
 * ours. It is the same SQLite library as the main thread's (Node's own), so the two see each
 * other's file locks: a second copy of SQLite in one process (node-sqlite3 beside node:sqlite)
 * would not, and closing one copy's file would drop the other's locks (SQLite's "How To Corrupt",
 * 2.2.1).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { filename, pragmas, timeout } = workerData;
const db = new DatabaseSync(filename, { readOnly: false, timeout });
for (const p of pragmas) db.exec(p);
const kept = new Map();
parentPort.on('message', ({ id, sql, bindings }) => {
  try {
    let k = kept.get(sql);
    if (!k) {
      const st = db.prepare(sql);
      const columns = st.columns();
      if (columns.length > 0) st.setReturnArrays(true);
      k = { st, names: columns.map((c) => c.name), blobs: columns.some((c) => /blob/i.test(c.type || '')) };
      if (kept.size >= 256) kept.delete(kept.keys().next().value);
      kept.set(sql, k);
    }
    if (k.names.length > 0) parentPort.postMessage({ id, out: { names: k.names, arrays: k.st.all(...bindings), blobs: k.blobs } });
    else { const r = k.st.run(...bindings); parentPort.postMessage({ id, out: { changes: Number(r.changes), lastID: Number(r.lastInsertRowid) } }); }
  } catch (e) {
    parentPort.postMessage({ id, error: { message: e.message, code: e.code, errcode: e.errcode } });
  }
});
`;

interface ThreadConnection {
  worker: Worker;
  /** Set when the worker stopped (it crashed, or ran out of memory): the pool then drops the connection. */
  dead?: Error;
  next: number;
  waiting: Map<number, { resolve: (out: Outcome) => void; reject: (e: unknown) => void }>;
}

/**
 * The same knex client with each connection on a worker thread: a statement costs a message each
 * way, and while it runs the event loop serves other requests. For the reads that may scan many
 * rows (runtime-context.ts `searches`); its own busy_timeout waits on the worker's thread.
 */
export class NodeSqliteThreadClient extends NodeSqliteClient {
  // @ts-expect-error: a different raw connection than the base class's
  async acquireRawConnection(): Promise<ThreadConnection> {
    const { filename, pragmas = [] } = this.connectionSettings;
    const worker = new Worker(WORKER, { eval: true, workerData: { filename, pragmas, timeout: BUSY_WAIT_MS } });
    const conn: ThreadConnection = { worker, next: 1, waiting: new Map() };
    worker.on('message', (m: { id: number; out?: Outcome; error?: { message: string; code?: string; errcode?: number } }) => {
      const w = conn.waiting.get(m.id);
      if (!w) return;
      conn.waiting.delete(m.id);
      if (m.error) w.reject(asSqliteError(Object.assign(new Error(m.error.message), m.error)));
      else w.resolve(m.out!);
    });
    const fail = (e: Error): void => {
      conn.dead ??= e;
      for (const w of conn.waiting.values()) w.reject(e);
      conn.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLITE_IOERR: the search connection's thread stopped (exit code ${code})`)));
    worker.unref();
    return conn;
  }

  /** knex's pool asks before handing a connection out: a stopped worker's is replaced. */
  validateConnection(conn: ThreadConnection): boolean {
    return !conn.dead;
  }

  // @ts-expect-error: a different raw connection than the base class's
  async destroyRawConnection(conn: ThreadConnection): Promise<void> {
    await conn.worker.terminate();
  }

  // @ts-expect-error: a different raw connection than the base class's
  async _query(conn: ThreadConnection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    if (conn.dead) throw conn.dead;
    const id = conn.next++;
    const out = await new Promise<Outcome>((resolve, reject) => {
      conn.waiting.set(id, { resolve, reject });
      conn.worker.postMessage({ id, sql: obj.sql, bindings: bindable(obj.bindings) });
    });
    return settle(obj, out);
  }
}

// statement-cache.ts: knex's sqlite3 client, with each connection's prepared statements reused.
//
// knex hands every query to node-sqlite3 as SQL text (`connection.all(sql, …)`), which prepares a
// new statement, runs it and finalizes it: three trips through libuv's thread pool for one
// query. A statement kept per SQL text is prepared once and then runs in one trip (node-sqlite3
// resets and rebinds it on each call). Measured on the bench data (docs/benchmarks.md, "What we
// tried"): 0.29 → 0.20 ms per indexed lookup, 1.7 → 1.0 ms for a three-statement transaction.
// knex stays the query builder and the one place SQL is written; only the last step changes.
//
// The cache is bounded (least recently used first out) because `whereIn` lists of varying length
// make new SQL texts; statements are finalized before their connection closes.

import type { Knex } from 'knex';

interface Statement {
  all(params: unknown[], cb: (this: RunContext, err: Error | null, rows: unknown[]) => void): void;
  run(params: unknown[], cb: (this: RunContext, err: Error | null) => void): void;
  finalize(cb?: () => void): void;
}
interface RunContext { lastID?: number; changes?: number }
interface Connection {
  prepare(sql: string, cb?: (err: Error | null) => void): Statement;
  close(cb: (err: Error | null) => void): void;
}
interface QueryObject { sql?: string; method?: string; bindings?: unknown[]; returning?: unknown; response?: unknown; context?: unknown }

const LIMIT = 256;
const caches = new WeakMap<Connection, Map<string, Statement>>();

function cached(connection: Connection, sql: string): Statement | undefined {
  const cache = caches.get(connection);
  const hit = cache?.get(sql);
  if (hit) {
    // Map keeps insertion order: move to the back, so the front is the least recently used.
    cache!.delete(sql);
    cache!.set(sql, hit);
  }
  return hit;
}

function remember(connection: Connection, sql: string, st: Statement): void {
  let cache = caches.get(connection);
  if (!cache) caches.set(connection, (cache = new Map()));
  if (cache.size >= LIMIT) {
    const [oldest, old] = cache.entries().next().value as [string, Statement];
    cache.delete(oldest);
    old.finalize();
  }
  cache.get(sql)?.finalize();
  cache.set(sql, st);
}

/**
 * Prepared once, with a callback: node-sqlite3 reports a failed prepare only to it (without one
 * it emits an 'error' event and drops the calls queued behind it).
 */
function prepare(connection: Connection, sql: string): Promise<Statement> {
  return new Promise((resolve, reject) => {
    const st = connection.prepare(sql, (err) => {
      if (err) return reject(err);
      remember(connection, sql, st);
      resolve(st);
    });
  });
}

/** The sqlite3 call knex would make for this query: `run` for writes without RETURNING, else `all`. */
function callOf(obj: QueryObject): 'run' | 'all' {
  switch (obj.method) {
    case 'insert':
    case 'update':
      return obj.returning ? 'all' : 'run';
    case 'counter':
    case 'del':
      return 'run';
    default:
      return 'all';
  }
}

export function cacheStatements(db: Knex): void {
  const client = db.client as Knex.Client & {
    _query(connection: Connection, obj: QueryObject): Promise<QueryObject>;
    destroyRawConnection(connection: Connection): Promise<void>;
  };
  const plain = client._query.bind(client);
  client._query = (connection, obj) => {
    if (!obj.sql) return plain(connection, obj);
    const call = callOf(obj);
    const exec = (st: Statement) => new Promise<QueryObject>((resolve, reject) => {
      const done = function (this: RunContext, err: Error | null, rows?: unknown[]) {
        if (err) return reject(err);
        obj.response = rows;
        obj.context = this; // knex reads lastID and changes from it
        resolve(obj);
      };
      if (call === 'run') st.run(obj.bindings ?? [], done);
      else st.all(obj.bindings ?? [], done);
    });
    const hit = cached(connection, obj.sql);
    return hit ? exec(hit) : prepare(connection, obj.sql).then(exec);
  };
  const destroy = client.destroyRawConnection.bind(client);
  client.destroyRawConnection = async (connection) => {
    const cache = caches.get(connection);
    if (cache) {
      await Promise.all([...cache.values()].map((st) => new Promise<void>((resolve) => st.finalize(() => resolve()))));
      caches.delete(connection);
    }
    return destroy(connection);
  };
}

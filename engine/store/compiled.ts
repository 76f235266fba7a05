// compiled.ts: statements whose SQL text never depends on their values, compiled by knex once.
//
// knex compiles a query builder into SQL on every call (quoting each identifier, assembling the
// clauses): about 65 µs of the main thread per statement here, more than SQLite then spends
// running a lookup by key (docs/benchmarks.md, "What we tried"). The statements every event and
// every request run have a fixed shape, so each is built with knex once per database dialect
// and shape; later calls send that SQL through `db.raw` with their own values. knex stays the one
// place SQL is written, and the statement cache below it (statement-cache.ts) still applies.

import type { Knex } from 'knex';

type Row = Record<string, unknown>;

const texts = new Map<string, string>(); // `${dialect}\0${shape}` -> SQL

/**
 * Runs the query `build` makes, with `bindings` as its values, and returns its rows. `shape`
 * names the SQL text: every call with the same shape must build the same text (the same
 * columns, the same number of values). The first call per dialect checks that `bindings` are the
 * built query's own, in its order, so a wrong order fails at once rather than writing a value
 * into the wrong column.
 */
export async function compiled(db: Knex, shape: string, bindings: readonly unknown[], build: () => Knex.QueryBuilder | Knex.Raw): Promise<Row[]> {
  const key = `${(db.client as { dialect: string }).dialect}\0${shape}`;
  let sql = texts.get(key);
  if (sql === undefined) {
    const c = build().toSQL();
    const built = c.bindings as readonly unknown[];
    if (built.length !== bindings.length || built.some((b, i) => b !== bindings[i])) {
      throw new Error(`compiled(${shape}): the values given are not the built query's (${JSON.stringify(built)} vs ${JSON.stringify(bindings)})`);
    }
    sql = c.sql;
    texts.set(key, sql);
  }
  const direct = db.client as Partial<Direct>;
  if (direct.rows && !(db.isTransaction && (db as Knex.Transaction).isCompleted())) {
    // node:sqlite (node-sqlite-client.ts): the connection straight from the pool (or the
    // transaction's own), past knex's runner. A finished transaction takes knex's path, which refuses.
    const conn = await direct.acquireConnection!();
    try {
      return await direct.rows(conn, sql, bindings);
    } finally {
      await direct.releaseConnection!(conn);
    }
  }
  const r: unknown = await db.raw(sql, bindings as readonly Knex.RawBinding[]);
  return Array.isArray(r) ? (r as Row[]) : (r as { rows: Row[] }).rows;
}

/** A client that runs compiled SQL itself (NodeSqliteClient.rows). */
interface Direct {
  rows(conn: unknown, sql: string, bindings: readonly unknown[]): Promise<Row[]>;
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

// node-sqlite-client.test.ts: the node:sqlite knex client (store/node-sqlite-client.ts) on a real
// SQLite file: what knex reads back, node-sqlite3's error codes, a lock held elsewhere waited out
// on a timer while the event loop keeps running, and a long read on a worker thread that leaves
// the event loop free. Always SQLite: PostgreSQL has its own driver.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqliteKnex, sqliteDriver, openDb, openReads, openSearches, type Db } from '../../../engine/store/db.ts';
import { BUSY_WAIT_MS } from '../../../engine/store/node-sqlite-client.ts';

let dir: string;
let file: string;
const opened: Db[] = [];
const knexOn = (driver: 'node' | 'node-thread' | 'sqlite3', pragmas: string[] = ['PRAGMA journal_mode = WAL']): Db => {
  const db = sqliteKnex(file, pragmas, { min: 1, max: 1 }, driver);
  opened.push(db);
  return db;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-node-sqlite-'));
  file = path.join(dir, 'test.sqlite');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the node:sqlite knex client', () => {
  it('is the default driver; SQLITE_DRIVER=sqlite3 chooses node-sqlite3 and anything else is refused with what to write', () => {
    expect(sqliteDriver({})).toBe('node');
    expect(sqliteDriver({ SQLITE_DRIVER: 'sqlite3' })).toBe('sqlite3');
    expect(() => sqliteDriver({ SQLITE_DRIVER: 'better' })).toThrow(/SQLITE_DRIVER=better: expected node .* or sqlite3/);
  });

  it('answers inserts, updates, deletes, returning and selects as the sqlite3 client does', async () => {
    for (const driver of ['node', 'sqlite3'] as const) {
      const db = knexOn(driver);
      const table = `t_${driver}`;
      await db.schema.createTable(table, (t) => { t.increments('id'); t.text('name').unique(); t.boolean('flag'); t.binary('bytes'); });
      expect(await db(table).insert({ name: 'a', flag: true, bytes: Buffer.from('xy') })).toEqual([1]);
      expect(await db(table).insert({ name: 'b', flag: false }).returning('id')).toEqual([{ id: 2 }]);
      expect(await db(table).where('id', 1).update({ name: 'c' })).toBe(1);
      const rows = await db(table).orderBy('id').select('*');
      expect(rows).toEqual([{ id: 1, name: 'c', flag: 1, bytes: Buffer.from('xy') }, { id: 2, name: 'b', flag: 0, bytes: null }]);
      expect(Buffer.isBuffer(rows[0].bytes)).toBe(true);
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
      expect(await db(table).orderBy('id').first('name')).toEqual({ name: 'c' });
      expect(await db(table).where('id', 2).del()).toBe(1);
      const err = await db(table).insert({ name: 'c' }).catch((e: unknown) => e) as { code: string; message: string };
      expect(err.code).toBe('SQLITE_CONSTRAINT');
      expect(err.message).toMatch(/^.*SQLITE_CONSTRAINT: UNIQUE constraint failed/);
    }
  });

  it('waits out a write lock another connection holds on a timer, so the event loop keeps running, and gives up after busy_timeout', async () => {
    const a = knexOn('node');
    const b = knexOn('node');
    await a.schema.createTable('locks', (t) => { t.integer('n'); });
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    try {
      // a holds the write lock for 200 ms of timers; b's insert waits, then goes through.
      let release!: () => void;
      const held = a.transaction(async (tx) => {
        await tx('locks').insert({ n: 1 });
        await new Promise<void>((resolve) => { release = resolve; });
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const t0 = Date.now();
      const waiting = b('locks').insert({ n: 2 });
      setTimeout(() => release(), 200);
      await waiting;
      await held;
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      expect(ticks).toBeGreaterThan(10); // the loop ran while b waited
      expect((await b('locks').orderBy('n').pluck('n'))).toEqual([1, 2]);

      // busy_timeout 0 (restore's "is a server holding it?"): SQLITE_BUSY at once.
      const held2 = a.transaction(async (tx) => {
        await tx('locks').insert({ n: 3 });
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await b.raw('PRAGMA busy_timeout = 0');
      const t1 = Date.now();
      const refused = await b('locks').insert({ n: 4 }).catch((e: unknown) => e) as { code: string };
      expect(refused.code).toBe('SQLITE_BUSY');
      expect(Date.now() - t1).toBeLessThan(100);
      await held2;
      await b.raw(`PRAGMA busy_timeout = ${BUSY_WAIT_MS}`);
      expect(await b('locks').count({ n: '*' })).toEqual([{ n: 3 }]);
    } finally {
      clearInterval(ticking);
    }
  });

  it('runs a long read on a worker thread while the event loop keeps serving, and reports its errors', async () => {
    const threaded = knexOn('node-thread', []);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    try {
      const t0 = Date.now();
      // A few million steps of a recursive CTE: hundreds of milliseconds of SQLite on the worker.
      const [row] = await threaded.raw('with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000000) select count(*) as n from c');
      const ms = Date.now() - t0;
      expect(row).toEqual({ n: 3000000 });
      expect(ticks).toBeGreaterThan(ms / 5 / 3); // most 5 ms ticks fired while it ran
      const err = await threaded.raw('select * from no_such_table').catch((e: unknown) => e) as { code: string; message: string };
      expect(err.code).toBe('SQLITE_ERROR');
      expect(err.message).toMatch(/SQLITE_ERROR: no such table: no_such_table/);
      // A worker that stopped (a crash, out of memory) fails its statement and is replaced.
      const conn = await threaded.client.acquireConnection() as { worker: { terminate(): Promise<number> } };
      await conn.worker.terminate();
      await threaded.client.releaseConnection(conn);
      expect(await threaded.raw('select 2 as two')).toEqual([{ two: 2 }]);
    } finally {
      clearInterval(ticking);
    }
  });

  it('gives the engine a search pool on worker threads beside its reads, and none with node-sqlite3', async () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'engine-'));
    const db = await openDb({ dataDir });
    const reads = openReads(db);
    const searches = openSearches(db, reads);
    try {
      expect(searches).not.toBe(reads);
      expect(await searches('knex_migrations').count({ n: '*' })).toEqual([{ n: expect.any(Number) }]);
      // query_only: a write sent there by mistake fails instead of becoming a second writer.
      await expect(searches.raw('create table nope (x)')).rejects.toThrow(/readonly|read-only|query_only/i);
      const old = process.env.SQLITE_DRIVER;
      process.env.SQLITE_DRIVER = 'sqlite3';
      try {
        expect(openSearches(db, reads)).toBe(reads);
      } finally {
        if (old === undefined) delete process.env.SQLITE_DRIVER;
        else process.env.SQLITE_DRIVER = old;
      }
    } finally {
      await searches.destroy();
      await reads.destroy();
      await db.destroy();
    }
  });
});

// group-commit.test.ts: on SQLite, events that arrive together share one transaction (one
// savepoint each): a failing event undoes only its own writes, a caller hears back only after
// the COMMIT that stored its event, and a failure that is not the event's own makes every event
// of the batch run again alone. Also the statement cache under knex: results, errors, its bound.

import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LvzError } from '../../../engine/errors.ts';
import { sqlitePath } from '../../../engine/store/db.ts';
import { writeTx } from '../../../engine/store/process/index.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb('sqlite'); });
afterAll(async () => { await t.cleanup(); });

/** Counts the transactions begun on `t.db` while `run` runs. */
async function countingBegins<T>(run: () => Promise<T>): Promise<{ value: T; begins: number }> {
  let begins = 0;
  const listener = (q: { sql?: string }) => { if (/^BEGIN/i.test(q.sql ?? '')) begins++; };
  t.db.on('query', listener);
  try {
    return { value: await run(), begins };
  } finally {
    t.db.off('query', listener);
  }
}

const rowsNamed = async (prefix: string) =>
  (await t.db('sequences').where('name', 'like', `${prefix}%`).orderBy('name').select('name')).map((r: { name: string }) => r.name);

describe('group commit on SQLite', () => {
  it('writes 30 concurrent events in a few transactions, each answered after its COMMIT', async () => {
    // A second connection sees only committed rows: each caller checks its row is there when told.
    const reader = knexFactory({ client: 'sqlite3', connection: { filename: sqlitePath(t.dataDir) }, useNullAsDefault: true });
    try {
      const { value, begins } = await countingBegins(() => Promise.all(Array.from({ length: 30 }, async (_, i) => {
        const name = `a:${String(i).padStart(2, '0')}`;
        const got = await writeTx(t.db, async (tx) => {
          await tx('sequences').insert({ name, value: i });
          return i;
        });
        const seen = await reader('sequences').where({ name }).first();
        return { got, seen: seen?.value };
      })));
      expect(value.map((v) => v.got)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(value.every((v, i) => v.seen === i)).toBe(true);
      expect(begins).toBeGreaterThanOrEqual(1);
      expect(begins).toBeLessThanOrEqual(3); // the first alone, the other 29 queued behind it
    } finally {
      await reader.destroy();
    }
    expect(await rowsNamed('a:')).toHaveLength(30);
  });

  it('undoes only the writes of an event that fails with its own error', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writeTx(t.db, async (tx) => {
      await tx('sequences').insert({ name: `b:${i}`, value: i });
      if (i % 3 === 1) throw new LvzError('LVZ_RUN_CONFLICT', '其他人刚刚处理了这份件', {});
      return i;
    })));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([1, 4, 7]);
    for (const i of failed) expect(((results[i] as PromiseRejectedResult).reason as LvzError).code).toBe('LVZ_RUN_CONFLICT');
    expect(await rowsNamed('b:')).toEqual(['b:0', 'b:2', 'b:3', 'b:5', 'b:6', 'b:8', 'b:9']);
  });

  it('runs the batch again event by event after a failure that is not an event’s own', async () => {
    let attempts = 0;
    const { value: results, begins } = await countingBegins(() => Promise.allSettled(Array.from({ length: 8 }, (_, i) => writeTx(t.db, async (tx) => {
      await tx('sequences').insert({ name: `c:${i}`, value: i });
      if (i === 5) {
        attempts++;
        throw new Error('disk I/O error (simulated)');
      }
      return i;
    }))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(((results[5] as PromiseRejectedResult).reason as Error).message).toMatch(/simulated/);
    expect(attempts).toBe(2); // once in the abandoned batch, once alone
    expect(begins).toBeGreaterThan(7); // the abandoned batch, then one transaction per event
    expect(await rowsNamed('c:')).toEqual(['c:0', 'c:1', 'c:2', 'c:3', 'c:4', 'c:6', 'c:7']);
  });
});

describe('reused statements', () => {
  it('reports ids, changed rows and rows as knex does', async () => {
    await t.db('sequences').insert({ name: 'd:1', value: 1 });
    expect(await t.db('sequences').where('name', 'like', 'd:%').update({ value: 2 })).toBe(1);
    expect(await t.db('sequences').where('name', 'none').update({ value: 2 })).toBe(0);
    expect(await t.db('sequences').where({ name: 'd:1' }).first()).toMatchObject({ name: 'd:1', value: 2 });
    expect(await t.db('sequences').where({ name: 'd:1' }).delete()).toBe(1);
  });

  it('rejects a statement that cannot be prepared, and the connection goes on', async () => {
    await expect(t.db.raw('select * from no_such_table')).rejects.toThrow(/no such table/);
    await expect(t.db.raw('select * from no_such_table')).rejects.toThrow(/no such table/);
    expect(await t.db('sequences').count({ n: '*' }).first()).toBeDefined();
  });

  it('keeps working past the cache bound (old statements finalized)', async () => {
    for (let i = 0; i < 300; i++) {
      const r = await t.db.raw(`select ${i} as n`);
      expect(r[0].n).toBe(i);
    }
    expect((await t.db.raw('select 7 as n'))[0].n).toBe(7);
  });
});

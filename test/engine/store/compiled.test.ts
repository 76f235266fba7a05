// compiled.test.ts: a fixed-shape statement is compiled by knex once and then run with new
// values, on either database; values given in an order other than the built query's are refused
// before anything runs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiled } from '../../../engine/store/compiled.ts';
import { TEST_DB_KINDS, openTestDb, type TestDb } from '../../helpers/db.ts';

describe.each(TEST_DB_KINDS)('compiled statements (%s)', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db('sequences').insert([{ name: 'c:a', value: 1 }, { name: 'c:b', value: 2 }]);
  });
  afterAll(async () => { await t.cleanup(); });

  const valueOf = (name: string) => compiled(t.db, 'test:valueOf', [name], () => t.db('sequences').where({ name }).select('value'));
  const bump = (name: string, from: number) =>
    compiled(t.db, 'test:bump', [from + 1, name, from], () => t.db('sequences').where({ name, value: from }).update({ value: from + 1 }, ['name']));

  it('runs the SQL compiled on the first call with each call\'s own values', async () => {
    expect((await valueOf('c:a')).map((r) => Number(r.value))).toEqual([1]);
    expect((await valueOf('c:b')).map((r) => Number(r.value))).toEqual([2]);
    expect(await valueOf('c:none')).toEqual([]);
  });

  it('reports the rows an update changed (returning), none when its condition no longer holds', async () => {
    expect(await bump('c:a', 1)).toHaveLength(1);
    expect(await bump('c:a', 1)).toHaveLength(0);
    expect((await valueOf('c:a')).map((r) => Number(r.value))).toEqual([2]);
  });

  it('refuses values in another order than the built query\'s, writing nothing', async () => {
    const wrong = () => compiled(t.db, 'test:wrongOrder', ['c:b', 3], () => t.db('sequences').where({ name: 'c:b' }).update({ value: 3 }, ['name']));
    await expect(wrong()).rejects.toThrow(/not the built query's/);
    expect((await valueOf('c:b')).map((r) => Number(r.value))).toEqual([2]);
  });
});

// read-connections.test.ts: on SQLite, pages read through connections of their own (openReads):
// a read is answered while a write transaction is still open on the writer's connection, sees
// only what was committed, and a write sent to the readers by mistake fails instead of becoming
// a second writer. On PostgreSQL the pool already has several connections: reads are db itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReads, openDb } from '../../../engine/store/db.ts';
import { writeTx } from '../../../engine/store/process/index.ts';
import { engineOn } from '../../../engine/index.ts';
import { TEST_DB_KINDS, openTestDb, testDatabase, type TestDb } from '../../helpers/db.ts';

/** Resolves with `value`, or rejects when `ms` pass first. */
function within<T>(ms: number, value: Promise<T>): Promise<T> {
  return Promise.race([value, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

/** A write transaction that stays open until `release()`; `written` resolves once its row is in. */
function heldWrite(db: TestDb['db'], name: string): { written: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => { wrote = resolve; });
  const done = writeTx(db, async (tx) => {
    await tx('sequences').insert({ name, value: 1 });
    wrote();
    await gate;
  });
  return { written, release, done };
}

describe('read connections on SQLite', () => {
  let t: TestDb;
  let reads: TestDb['db'];
  beforeAll(async () => {
    t = await openTestDb('sqlite');
    reads = openReads(t.db);
  });
  afterAll(async () => {
    await reads.destroy();
    await t.cleanup();
  });

  it('answers a read while a write transaction is open, with the committed state only', async () => {
    const w = heldWrite(t.db, 'held:1');
    await w.written;
    // The writer's one connection is taken: a read through it would wait for the COMMIT.
    const during = await within(2_000, reads('sequences').where({ name: 'held:1' }).first());
    expect(during).toBeUndefined();
    w.release();
    await w.done;
    expect(await reads('sequences').where({ name: 'held:1' }).first()).toMatchObject({ value: 1 });
  });

  it('refuses a write sent to the read connections', async () => {
    await expect(reads('sequences').insert({ name: 'stray', value: 1 })).rejects.toThrow(/readonly/i);
    expect(await t.db('sequences').where({ name: 'stray' }).first()).toBeUndefined();
  });

  it('serves the inbox while an event is being written', async () => {
    const place = await testDatabase('sqlite');
    const db = await openDb({ dataDir: place.dataDir });
    const engine = await engineOn(db, { dataDir: place.dataDir, demo: true });
    try {
      const { actor } = await engine.login('deputy1', 'lvzhi2026');
      const w = heldWrite(db, 'held:2');
      await w.written;
      const page = await within(2_000, engine.inbox(actor, 'todo', { page: 1, pageSize: 20 }));
      expect(page.total).toBeGreaterThanOrEqual(0);
      w.release();
      await w.done;
    } finally {
      await engine.close();
      await place.cleanup();
    }
  });
});

describe('read connections elsewhere', () => {
  it.each(TEST_DB_KINDS)('are separate on SQLite only (%s)', async (kind) => {
    const t = await openTestDb(kind);
    const reads = openReads(t.db);
    try {
      expect(reads === t.db).toBe(kind === 'postgres');
    } finally {
      if (reads !== t.db) await reads.destroy();
      await t.cleanup();
    }
  });
});

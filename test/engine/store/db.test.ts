// db.test.ts: opening the database: processes starting together on PostgreSQL migrate once, a
// database from a newer lvzhi is refused (LVZ_STORE_MIGRATION), NUL characters in values, and
// the password never reaches a message.

import { describe, expect, it } from 'vitest';
import { openDb, safeUrl, sqliteCacheKiB } from '../../../engine/store/db.ts';
import { addPhrase, getUser, insertOrgs, insertUsers, listPhrases } from '../../../engine/store/directory.ts';
import { migrations } from '../../../engine/store/migrations/index.ts';
import { TEST_DB_KINDS, openTestDb, testDatabase } from '../../helpers/db.ts';

describe.each(TEST_DB_KINDS)('openDb on %s', (kind) => {
  // Several server processes are a PostgreSQL deployment (SQLite serves from one process).
  if (kind === 'postgres') it('lets several processes start together: one migrates, the others wait and find nothing to do', async () => {
    const place = await testDatabase(kind);
    const where = { dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) };
    const dbs = await Promise.all(Array.from({ length: 5 }, () => openDb(where)));
    try {
      const names = (await dbs[0]!('knex_migrations').select('name')).map((r: { name: string }) => r.name);
      expect(names.sort()).toEqual(Object.keys(migrations).sort());
    } finally {
      for (const db of dbs) await db.destroy();
      await place.cleanup();
    }
  });

  it('refuses a database a newer lvzhi has migrated, and says what to do', async () => {
    const place = await testDatabase(kind);
    const where = { dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) };
    const db = await openDb(where);
    await db('knex_migrations').insert({ name: '999_from_the_future', batch: 9, migration_time: new Date() });
    await db.destroy();
    let err: { code?: string; message?: string } = {};
    try { await (await openDb(where)).destroy(); } catch (e) { err = e as typeof err; }
    expect(err.code).toBe('LVZ_STORE_MIGRATION');
    expect(err.message).toMatch(/999_from_the_future.*请换回那个版本/);
    await place.cleanup();
  });
});

describe.each(TEST_DB_KINDS)('text values on %s', (kind) => {
  it('takes a NUL character in any value without an error (PostgreSQL cannot store one)', async () => {
    const t = await openTestDb(kind);
    try {
      const now = new Date('2026-03-02T01:00:00Z');
      await insertOrgs(t.db, [{ id: 'city', name: '市人大', kind: 'standing_committee', parentId: null }]);
      await insertUsers(t.db, [{ id: 'u1', name: '甲', orgId: 'city', roles: ['deputy'], passwordHash: 'x' }], now);
      expect(await getUser(t.db, 'u\u00001')).toBeUndefined();
      await addPhrase(t.db, { userId: 'u1', text: '同意\u0000办理', now });
      // SQLite keeps the NUL; PostgreSQL stores U+FFFD in its place.
      expect((await listPhrases(t.db, 'u1')).map((p) => p.text.replace(/[\u0000\uFFFD]/, '·'))).toEqual(['同意·办理']);
    } finally {
      await t.cleanup();
    }
  });
});

describe('SQLITE_CACHE_MB', () => {
  it('sets the page cache, 8 MB unless told, and refuses a value that is not a size', async () => {
    expect(sqliteCacheKiB({})).toBe(8192);
    expect(sqliteCacheKiB({ SQLITE_CACHE_MB: '64' })).toBe(65536);
    expect(() => sqliteCacheKiB({ SQLITE_CACHE_MB: 'lots' })).toThrow(/SQLITE_CACHE_MB=lots.*1 to 65536/);
    const place = await testDatabase('sqlite');
    const before = process.env.SQLITE_CACHE_MB;
    process.env.SQLITE_CACHE_MB = '16';
    try {
      const db = await openDb({ dataDir: place.dataDir });
      try {
        expect((await db.raw('PRAGMA cache_size'))[0].cache_size).toBe(-16384);
      } finally {
        await db.destroy();
      }
      process.env.SQLITE_CACHE_MB = '0';
      await expect(openDb({ dataDir: place.dataDir })).rejects.toMatchObject({ code: 'LVZ_STORE_UNAVAILABLE', message: expect.stringMatching(/SQLITE_CACHE_MB=0/) });
    } finally {
      if (before === undefined) delete process.env.SQLITE_CACHE_MB;
      else process.env.SQLITE_CACHE_MB = before;
      await place.cleanup();
    }
  });
});

describe('safeUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(safeUrl('postgres://lvzhi:p%40ss@db:5432/lvzhi?sslmode=require')).toBe('postgres://lvzhi:***@db:5432/lvzhi?sslmode=require');
    expect(safeUrl('not a url')).toBe('(DATABASE_URL)');
  });
});

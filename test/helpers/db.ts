// db.ts (test helper): the one place tests get a database: a SQLite file in a temp dir, or with
// DATABASE_URL set (LVZHI_TEST_PG=1, test/setup/postgres.ts), a fresh PostgreSQL schema on that
// server, dropped again by cleanup. `testDatabase()` gives the place (for createEngine and
// servers, which open it themselves); `openTestDb()` also opens and migrates it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { openDb, type Db } from '../../engine/store/db.ts';

export type TestDbKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  /** A fresh temp directory (the SQLite file lives here; uploads too). */
  dataDir: string;
  kind: TestDbKind;
  /** The PostgreSQL URL scoped to the fresh schema (pass it to createEngine / openDb). */
  databaseUrl?: string;
  /** Drops the schema (PostgreSQL) and removes the data dir; close every handle first. */
  cleanup(): Promise<void>;
}

export interface TestDb extends TestDatabase {
  db: Db;
}

/** The databases a suite should run on: SQLite always, PostgreSQL too when DATABASE_URL is set. */
export const TEST_DB_KINDS: TestDbKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** The database of this test pass: PostgreSQL when DATABASE_URL is set, else SQLite. */
export const DEFAULT_DB_KIND: TestDbKind = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

/** A fresh, empty place for a database (not opened: createEngine / openDb migrate it). */
export async function testDatabase(kind: TestDbKind = DEFAULT_DB_KIND, prefix = 'lvzhi-test-'): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const removeDir = (): void => fs.rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') return { dataDir, kind, cleanup: async () => removeDir() };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('testDatabase("postgres") needs DATABASE_URL (run with LVZHI_TEST_PG=1)');
  const schema = `lvz_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('create schema ??', [schema]);
  } finally {
    await admin.destroy();
  }
  // Every connection of the engine's pool starts with the fresh schema alone on its search path.
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dataDir, kind, databaseUrl: scoped.toString(),
    cleanup: async () => {
      const drop = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      try {
        await drop.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await drop.destroy();
        removeDir();
      }
    },
  };
}

/** Opens a migrated, empty database; PostgreSQL by default when DATABASE_URL is set. */
export async function openTestDb(kind: TestDbKind = DEFAULT_DB_KIND): Promise<TestDb> {
  const place = await testDatabase(kind);
  let db: Db;
  try {
    db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  } catch (e) {
    await place.cleanup();
    throw e;
  }
  return { ...place, db, cleanup: async () => { await db.destroy(); await place.cleanup(); } };
}

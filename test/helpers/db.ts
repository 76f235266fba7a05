// db.ts (test helper): a fresh, migrated database per test: a SQLite file in a temp dir, or with
// DATABASE_URL set, a fresh PostgreSQL schema on that server (dropped again by cleanup).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { openDb, type Db } from '../../engine/store/db.ts';

export type TestDbKind = 'sqlite' | 'postgres';

export interface TestDb {
  db: Db;
  /** A fresh temp directory (the SQLite file lives here; uploads may too). */
  dataDir: string;
  kind: TestDbKind;
  /** The PostgreSQL URL scoped to the fresh schema (to open a second handle on the same data). */
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/** The databases a suite should run on: SQLite always, PostgreSQL too when DATABASE_URL is set. */
export const TEST_DB_KINDS: TestDbKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** Opens a migrated, empty database; PostgreSQL by default when DATABASE_URL is set. */
export async function openTestDb(kind: TestDbKind = process.env.DATABASE_URL ? 'postgres' : 'sqlite'): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-test-'));
  const removeDir = (): void => fs.rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') {
    const db = await openDb({ dataDir });
    return { db, dataDir, kind, cleanup: async () => { await db.destroy(); removeDir(); } };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('openTestDb("postgres") needs DATABASE_URL');
  const schema = `lvz_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw('create schema ??', [schema]);
  // Every connection of the pool starts with the fresh schema first on its search path.
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  let db: Db;
  try {
    db = await openDb({ dataDir, databaseUrl: scoped.toString() });
  } catch (e) {
    await admin.raw('drop schema ?? cascade', [schema]).finally(() => admin.destroy());
    removeDir();
    throw e;
  }
  return {
    db, dataDir, kind, databaseUrl: scoped.toString(),
    cleanup: async () => {
      await db.destroy();
      await admin.raw('drop schema ?? cascade', [schema]);
      await admin.destroy();
      removeDir();
    },
  };
}

// db.ts: open the database (SQLite file under DATA_DIR by default, PostgreSQL by DATABASE_URL)
// and bring its schema up to date with knex migrations.
//
// Migrations are listed in migrations/index.ts (an in-code source rather than a folder scan,
// so they run the same under tsx, vitest and a bundler).

import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { migrations } from './migrations/index.ts';

export type Db = Knex;

export interface DbOptions {
  /** Directory for the SQLite file (and uploads, kept elsewhere). */
  dataDir: string;
  /** postgres://… to use PostgreSQL instead of SQLite. */
  databaseUrl?: string;
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}

export async function openDb(options: DbOptions): Promise<Db> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
  try {
    await db.raw('select 1');
    await db.migrate.latest({ migrationSource: migrationSource() });
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw new LvzError('LVZ_STORE_UNAVAILABLE', `cannot open the database (${(e as Error).message}): check DATABASE_URL or DATA_DIR and that the server is running`, { cause: e });
  }
  return db;
}

function openSqlite(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const filename = path.join(dataDir, 'lvzhi.sqlite');
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection: SQLite has one writer anyway, and a single connection keeps
    // transactions serialised without SQLITE_BUSY retries.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.run('PRAGMA journal_mode = WAL', (e1) => {
          if (e1) return done(e1, conn);
          conn.run('PRAGMA foreign_keys = ON', (e2) => {
            if (e2) return done(e2, conn);
            conn.run('PRAGMA busy_timeout = 5000', (e3) => done(e3, conn));
          });
        });
      },
    },
  });
}

function openPostgres(url: string): Db {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 10 } });
}

function migrationSource(): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(migrations).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name]!,
  };
}

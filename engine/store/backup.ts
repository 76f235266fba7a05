// backup.ts: online backup and restore of the SQLite database (`lvzhi backup` / `lvzhi restore`),
// and the pg_dump / pg_restore commands to use instead when DATABASE_URL names PostgreSQL.
//
// All SQL of backup and restore lives here; cli/backup.ts only parses arguments and prints.
// Uploaded files (DATA_DIR/files) are not in the database: docs/deploy.md says how to copy them.

import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { migrations } from './migrations/index.ts';
import { sqliteKnex, sqlitePath } from './db.ts';

/** Tables a lvzhi database has (besides knex's own); a file without them is not one. */
const OUR_TABLES = ['orgs', 'users', 'sessions', 'definitions', 'instances', 'tasks', 'events', 'timers', 'files'];

export interface DatabaseSummary {
  /** Migrations the file has run, in order. */
  migrations: string[];
  instances: number;
  events: number;
}

export interface BackupResult extends DatabaseSummary {
  file: string;
  bytes: number;
}

export interface RestoreResult extends DatabaseSummary {
  /** Where the database that was there before now is (absent when there was none). */
  previous?: string;
}

const refuse = (message: string, params: Record<string, unknown> = {}): LvzError => new LvzError('LVZ_STORE_BACKUP', message, { params });

/**
 * One connection to one SQLite file, for the few statements below (never the server's pool),
 * through the driver the server uses (SQLITE_DRIVER): two copies of SQLite in one process do not
 * see each other's file locks (store/node-sqlite-client.ts).
 */
function openFile(file: string): Knex {
  return sqliteKnex(file, [], { min: 1, max: 1 });
}

async function withFile<T>(file: string, fn: (db: Knex) => Promise<T>): Promise<T> {
  const db = openFile(file);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Copy the live database to `target` while the server keeps serving.
 *
 * `VACUUM INTO` runs as one read transaction on the source. The database is in WAL mode, so a
 * reader sees the database exactly as of the last commit before its transaction began (the
 * original pages plus the WAL frames up to its snapshot mark) while writers go on appending new
 * frames to the WAL: the copy holds every transaction committed before that point and nothing of
 * later or unfinished ones, i.e. one consistent state, and the server is never blocked (only a
 * checkpoint waits to pass the reader). It writes a fresh, compacted file; SQLite does not fsync
 * it, so we do, under a temporary name, and rename it into place only when it is complete.
 */
export async function backupSqlite(dataDir: string, target: string): Promise<BackupResult> {
  const source = sqlitePath(path.resolve(dataDir));
  const file = path.resolve(target);
  if (!fs.existsSync(source)) throw refuse(`没有找到数据库文件 ${source}：请检查 DATA_DIR 是否指向服务的数据目录`, { source });
  if (fs.existsSync(file)) throw refuse(`备份文件 ${file} 已存在，不会覆盖：请换一个文件名（例如带上日期）`, { file });
  if (!fs.existsSync(path.dirname(file))) throw refuse(`备份目录 ${path.dirname(file)} 不存在：请先创建它`, { file });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await withFile(source, async (db) => {
      await db.raw('PRAGMA busy_timeout = 5000');
      await db.raw('VACUUM INTO ?', [partial]);
    });
    syncFile(partial);
    const summary = await inspectFile(partial);
    publish(partial, file);
    syncDir(path.dirname(file));
    return { ...summary, file, bytes: fs.statSync(file).size };
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * Replace the database in `dataDir` by the backup `source`: check it is a lvzhi database this
 * version can open, refuse while a server holds the current one, keep the current one as
 * `lvzhi.sqlite.before-restore-<time>`, and move a copy of the backup in (the backup file stays).
 */
export async function restoreSqlite(dataDir: string, source: string, now: Date): Promise<RestoreResult> {
  const file = path.resolve(source);
  const live = sqlitePath(path.resolve(dataDir));
  if (!fs.existsSync(file)) throw refuse(`没有找到备份文件 ${file}：请检查路径`, { file });
  checkHeader(file);
  fs.mkdirSync(path.dirname(live), { recursive: true });
  // Work on a copy inside the data dir: the user's backup is only read, and the final rename is atomic.
  const incoming = `${live}.restoring-${process.pid}`;
  fs.copyFileSync(file, incoming, fs.constants.COPYFILE_EXCL);
  try {
    const summary = await inspectFile(incoming);
    syncFile(incoming);
    const previous = fs.existsSync(live) ? await setAside(live, now) : undefined;
    fs.renameSync(incoming, live);
    syncDir(path.dirname(live));
    return { ...summary, ...(previous && { previous }) };
  } finally {
    fs.rmSync(incoming, { force: true });
  }
}

/** What a lvzhi database file holds; refuses (LVZ_STORE_BACKUP) a file that is not one, or is damaged, or is newer. */
export async function inspectFile(file: string): Promise<DatabaseSummary> {
  checkHeader(file);
  return withFile(file, async (db) => {
    const tables = new Set((await db('sqlite_master').where({ type: 'table' }).select('name')).map((r: { name: string }) => r.name));
    const missing = ['knex_migrations', ...OUR_TABLES].filter((t) => !tables.has(t));
    if (missing.length > 0) throw refuse(`${file} 不是 lvzhi 的数据库（缺少表 ${missing.join('、')}）：请使用 lvzhi backup 生成的备份文件`, { file, missing });
    const [{ quick_check: check }] = await db.raw('PRAGMA quick_check');
    if (check !== 'ok') throw refuse(`${file} 已损坏（${String(check).slice(0, 200)}）：请换一份备份`, { file });
    const names = (await db('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
    const unknown = names.filter((n) => !(n in migrations));
    if (unknown.length > 0) throw refuse(`${file} 由更新版本的 lvzhi 建立（迁移 ${unknown.join('、')} 本版本没有）：请用那个版本恢复`, { file, unknown });
    const count = async (table: string): Promise<number> => Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
    return { migrations: names, instances: await count('instances'), events: await count('events') };
  });
}

function checkHeader(file: string): void {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== 'SQLite format 3\0') throw refuse(`${file} 不是 SQLite 数据库文件：请使用 lvzhi backup 生成的备份文件`, { file });
}

/**
 * Move the current database aside. Taking an exclusive lock first tells whether a server still
 * has it open (its connection holds a shared lock for as long as it runs): then we refuse. With
 * the lock we also fold any WAL left by a crash into the file, so one file carries everything.
 */
async function setAside(live: string, now: Date): Promise<string> {
  await withFile(live, async (db) => {
    await db.raw('PRAGMA busy_timeout = 0');
    await db.raw('PRAGMA locking_mode = EXCLUSIVE');
    try {
      await db.raw('BEGIN EXCLUSIVE');
      await db.raw('COMMIT');
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
      throw refuse(`数据库 ${live} 正被运行中的 lvzhi 服务使用：请先停止服务（所有进程），再恢复`, { file: live });
    }
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.raw('PRAGMA journal_mode = DELETE');
  });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const previous = `${live}.before-restore-${stamp}`;
  if (fs.existsSync(previous)) throw refuse(`${previous} 已存在：请稍候一秒再试`, { file: previous });
  fs.renameSync(live, previous);
  for (const extra of ['-wal', '-shm']) fs.rmSync(live + extra, { force: true });
  return previous;
}

/** Give the finished copy its name without ever replacing a file that appeared meanwhile. */
function publish(partial: string, file: string): void {
  try {
    fs.linkSync(partial, file); // EEXIST if someone created `file` meanwhile
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw refuse(`备份文件 ${file} 已存在，不会覆盖：请换一个文件名`, { file });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    if (fs.existsSync(file)) throw refuse(`备份文件 ${file} 已存在，不会覆盖：请换一个文件名`, { file });
    fs.renameSync(partial, file); // a file system without hard links
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch { /* not every platform can fsync a directory; the rename itself is still atomic */ }
}

/** The commands to use on PostgreSQL (printed by the CLI; docs/deploy.md explains them). */
export function postgresCommands(file: string): { backup: string; restore: string } {
  const f = shellQuote(file);
  return {
    backup: `pg_dump --format=custom --file=${f} "$DATABASE_URL"`,
    restore: `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${f}`,
  };
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// db.ts: open the database (SQLite file under DATA_DIR by default, PostgreSQL by DATABASE_URL)
// and bring its schema up to date with knex migrations.
//
// Migrations are listed in migrations/index.ts (an in-code source rather than a folder scan,
// so they run the same under tsx, vitest and a bundler). Failing to connect and failing to
// migrate are told apart (LVZ_STORE_UNAVAILABLE / LVZ_STORE_MIGRATION): `lvzhi serve` prints the
// message as one line and exits with code 3 (docs/deploy.md).

import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { migrations } from './migrations/index.ts';
import { cacheStatements } from './statement-cache.ts';
import { NodeSqliteClient, NodeSqliteThreadClient } from './node-sqlite-client.ts';

export type Db = Knex;

export interface DbOptions {
  /** Directory for the SQLite file (and uploads, kept elsewhere). */
  dataDir: string;
  /** postgres://… to use PostgreSQL instead of SQLite. */
  databaseUrl?: string;
}

export const SQLITE_FILE = 'lvzhi.sqlite';

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}

export function sqlitePath(dataDir: string): string {
  return path.join(dataDir, SQLITE_FILE);
}

export async function openDb(options: DbOptions): Promise<Db> {
  const where = options.databaseUrl ? safeUrl(options.databaseUrl) : sqlitePath(path.resolve(options.dataDir));
  let opened: Db | undefined;
  try {
    opened = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
    await opened.raw('select 1');
  } catch (e) {
    await opened?.destroy().catch(() => undefined);
    throw unavailable(options, where, e);
  }
  const db = opened;
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw migrationFailed(where, e);
  }
  return db;
}

const LOCK_WAIT_MS = 30_000;

/**
 * Bring the schema up to date. Several processes starting together on one PostgreSQL take turns
 * behind an advisory lock (per schema, held by a transaction that lasts as long as the
 * migration), so knex's own tables are created once and the later ones find nothing to do;
 * without it, knex's check-then-create of its lock table can race and leave two lock rows, which
 * no process could ever take again. On SQLite (one server process) knex's lock table is enough;
 * a start that loses a race there ("locked", "already exists") tries again.
 */
async function migrate(db: Db): Promise<void> {
  const latest = (): Promise<unknown> => db.migrate.latest({ migrationSource: migrationSource() });
  if (isPostgres(db)) {
    await db.transaction(async (trx) => {
      await trx.raw(`set local lock_timeout = '${LOCK_WAIT_MS / 1000}s'`);
      await trx.raw('select pg_advisory_xact_lock(7264, hashtext(current_schema()))');
      await latest();
    });
    return;
  }
  const until = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await latest();
      return;
    } catch (e) {
      const locked = (e as Error).name === 'MigrationLocked';
      if (Date.now() > until || (!locked && (attempt >= 3 || /corrupt/.test((e as Error).message)))) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}

/**
 * Runs the start-up writes (recording the definition files, seeding the demo directory) one
 * process at a time: several processes starting together on one PostgreSQL (`--workers N`)
 * would otherwise both insert the same definition row and one would fail its start. SQLite has
 * one writer anyway.
 */
export async function startupTurn<T>(db: Db, fn: (q: Knex) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return fn(db);
  return db.transaction(async (trx) => {
    await trx.raw(`set local lock_timeout = '${LOCK_WAIT_MS / 1000}s'`);
    await trx.raw('select pg_advisory_xact_lock(7265, hashtext(current_schema()))');
    return fn(trx);
  });
}

function migrationFailed(where: string, e: unknown): LvzError {
  const locked = (e as Error).name === 'MigrationLocked' || (e as { code?: string }).code === '55P03';
  const message = locked
    ? `数据库 ${where} 的迁移锁 ${LOCK_WAIT_MS / 1000} 秒内没有释放（另一个进程正在升级，或升级中途退出）：确认没有别的 lvzhi 在启动后，执行 update knex_migrations_lock set is_locked = 0 再启动`
    : `数据库 ${where} 的表结构无法升级到本版本（${reason(e)}）：如果数据库是更新版本的 lvzhi 建的，请换回那个版本；否则请从备份恢复（docs/deploy.md）`;
  return new LvzError('LVZ_STORE_MIGRATION', message, { cause: e });
}

function unavailable(options: DbOptions, where: string, e: unknown): LvzError {
  const why = reason(e);
  const message = options.databaseUrl
    ? `无法连接数据库 ${where}（${why}）：请检查 DATABASE_URL（postgres://用户:密码@主机:端口/库名）里的主机、端口、用户名、密码和库名，以及 PostgreSQL 是否已启动并允许这台机器连接`
    : `无法打开数据库文件 ${where}（${why}）：请检查 DATA_DIR 是否存在、可写，磁盘是否还有空间`;
  return new LvzError('LVZ_STORE_UNAVAILABLE', message, { cause: e });
}

/** The driver's reason on one line (Node's AggregateError for several addresses has no message of its own). */
function reason(e: unknown): string {
  const err = e as { message?: string; code?: string; errors?: { message?: string }[] };
  const text = err?.message || err?.errors?.map((x) => x.message).filter(Boolean).join('; ') || err?.code || String(e);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The URL without its password, safe to print in a log. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}

/**
 * knex prints a failed connection attempt with its stack, and a failed or locked migration, on
 * stdout; openDb reports those itself, in one line (and retries a lock), so only other warnings
 * pass through.
 */
const QUIET = ['Acquire connection error', "Can't take lock to run migrations", 'If you are sure migrations are not running', 'migration failed with error', 'migration file '];
const log = {
  warn(message: unknown): void {
    if (typeof message === 'string' && QUIET.some((q) => message.startsWith(q))) return;
    console.warn(message);
  },
};

/**
 * SQLite's page cache, in KiB (SQLITE_CACHE_MB, default 8; SQLite's own is 2). Measured at a
 * million instances (docs/benchmarks.md): 2 → 128 MB gave the POST 5.7 → 4.9 ms of CPU and the
 * inbox 7.2 → 6.1, while the cache adds to the server's memory one for one.
 */
export function sqliteCacheKiB(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SQLITE_CACHE_MB;
  const mb = raw === undefined || raw === '' ? 8 : Number(raw);
  if (!Number.isFinite(mb) || mb < 1 || mb > 65_536) throw new Error(`SQLITE_CACHE_MB=${raw}: expected a number of megabytes from 1 to 65536 (default 8)`);
  return Math.round(mb * 1024);
}

interface RawSqlite { run(sql: string, cb: (err: Error | null) => void): void }

/** Runs the pragmas one after the other on a new connection, then hands it to knex's pool. */
function pragmas(statements: string[]) {
  return (conn: RawSqlite, done: (err: Error | null, conn: unknown) => void): void => {
    const next = (i: number): void => {
      if (i === statements.length) return done(null, conn);
      conn.run(statements[i]!, (e) => (e ? done(e, conn) : next(i + 1)));
    };
    next(0);
  };
}

/**
 * Which SQLite driver (SQLITE_DRIVER): `node` (default), Node's own node:sqlite, each statement run
 * synchronously on the calling thread (store/node-sqlite-client.ts); `sqlite3`, node-sqlite3, each
 * statement sent through libuv's thread pool. Measured in docs/benchmarks.md ("What we tried", 20).
 */
export function sqliteDriver(env: NodeJS.ProcessEnv = process.env): 'node' | 'sqlite3' {
  const raw = env.SQLITE_DRIVER;
  if (raw === undefined || raw === '' || raw === 'node') return 'node';
  if (raw === 'sqlite3') return 'sqlite3';
  throw new Error(`SQLITE_DRIVER=${raw}: expected node (Node's node:sqlite, the default) or sqlite3 (node-sqlite3)`);
}

/** A knex instance on the SQLite file with the given per-connection PRAGMAs and pool size. */
export function sqliteKnex(filename: string, pragmaList: string[], pool: { min: number; max: number }, driver: 'node' | 'node-thread' | 'sqlite3' = sqliteDriver()): Db {
  if (driver !== 'sqlite3') {
    return knexFactory({
      client: (driver === 'node' ? NodeSqliteClient : NodeSqliteThreadClient) as unknown as typeof knexFactory.Client,
      connection: { filename, pragmas: pragmaList } as Knex.Sqlite3ConnectionConfig,
      log,
      useNullAsDefault: true,
      pool,
    });
  }
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    log,
    useNullAsDefault: true,
    pool: { ...pool, afterCreate: pragmas(pragmaList) },
  });
  cacheStatements(db);
  return db;
}

function openSqlite(dataDir: string): Db {
  const cacheKiB = sqliteCacheKiB(); // a bad setting fails the start here, with its own message
  fs.mkdirSync(dataDir, { recursive: true });
  // One connection: SQLite has one writer anyway, and a single connection keeps transactions
  // serialised without SQLITE_BUSY retries. Pages read through openReads(db).
  // busy_timeout first: switching a new file to WAL needs a moment's exclusive lock, and another
  // process opening the same file at that moment should wait, not fail.
  return sqliteKnex(sqlitePath(dataDir), ['PRAGMA busy_timeout = 5000', 'PRAGMA journal_mode = WAL', 'PRAGMA foreign_keys = ON', `PRAGMA cache_size = -${cacheKiB}`], { min: 1, max: 1 });
}

/**
 * Connections for reads alone beside the one that writes (SQLite; on PostgreSQL the pool already
 * has several): in WAL mode readers never wait for the writer, so a page is not held up behind a
 * batch of events being committed, and two pages' statements run on two threads. Each statement
 * reads the newest committed state, so a page read after an event was answered shows it.
 * `query_only` makes a write sent here by mistake fail at once instead of becoming a second
 * writer. The engine destroys the pool on close (engine/index.ts).
 */
export const READ_CONNECTIONS = 2;

export function openReads(db: Db, driver = sqliteDriver()): Db {
  if (isPostgres(db)) return db;
  return sqliteKnex(sqliteFileOf(db), readPragmas(), { min: 0, max: READ_CONNECTIONS }, driver);
}

/** A reading connection's PRAGMAs: `query_only`, so a write sent there by mistake fails at once. */
function readPragmas(): string[] {
  return ['PRAGMA busy_timeout = 5000', 'PRAGMA query_only = 1', `PRAGMA cache_size = -${sqliteCacheKiB()}`];
}

/**
 * Connections for the reads that may scan many rows (runtime-context.ts `searches`): with the
 * node:sqlite driver, which runs a statement on the event loop's own thread, a search through
 * 200,000 tasks (seconds) would hold up every other request; these connections run on worker
 * threads instead (node-sqlite-client.ts NodeSqliteThreadClient). With node-sqlite3 (its
 * statements already run on libuv's pool), or on PostgreSQL, the page reads serve.
 */
export const SEARCH_CONNECTIONS = 2;

export function openSearches(db: Db, reads: Db): Db {
  if (isPostgres(db) || sqliteDriver() === 'sqlite3') return reads;
  return sqliteKnex(sqliteFileOf(db), readPragmas(), { min: 0, max: SEARCH_CONNECTIONS }, 'node-thread');
}

/** The file a SQLite knex instance opened. */
export function sqliteFileOf(db: Db): string {
  return (db.client.config.connection as { filename: string }).filename;
}

/**
 * One trivial query, for the readiness probe (Engine.ping). Given up after `timeoutMs`: a database
 * that does not answer (a host dropping packets, a pool held by stuck requests) must fail the probe
 * while the balancer still waits for it, not after the driver's 10 s or the pool's 20 s. The query
 * itself runs on until those limits end it. Messages are short: the probe's answer is public, the
 * driver's reason (hosts, users) goes to the log through `cause`.
 */
export async function ping(db: Db, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LvzError('LVZ_STORE_UNAVAILABLE', `数据库 ${timeoutMs / 1000} 秒内没有响应`)), timeoutMs);
  });
  const answered = db.raw('select 1').then(
    () => undefined,
    (e: unknown) => { throw new LvzError('LVZ_STORE_UNAVAILABLE', '无法访问数据库，原因见服务日志', { cause: e }); },
  );
  try {
    await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

function openPostgres(url: string): Db {
  const u = new URL(url); // throws on a malformed URL: reported as unavailable, with the format to use
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL 应以 postgres:// 开头，而不是 ${u.protocol}//`);
  }
  const db = knexFactory({
    client: 'pg',
    // A host that drops packets fails after 10 s with the driver's reason, not after the pool's
    // 60 s with "Timeout acquiring a connection".
    connection: { connectionString: url, connectionTimeoutMillis: 10_000 },
    acquireConnectionTimeout: 20_000,
    log,
    // Several connections: events on different instances run in parallel; events on one
    // instance are serialised by its row lock (process/instances.ts lockInstance).
    pool: { min: 0, max: 10 },
  });
  // PostgreSQL rejects a NUL character in any text value ("invalid byte sequence", 22021) where
  // SQLite stores it: typed into a login or a search box it would be a 500 on one database
  // only. It can never be stored, so every string bound to a query (transactions share this
  // client) gets U+FFFD in its place: not dropped, so `ad\0min` still does not match `admin`.
  // JSON columns already escape it as \u0000.
  const prep = db.client.prepBindings.bind(db.client);
  db.client.prepBindings = (bindings: unknown[]) => prep(bindings.map((b) => (typeof b === 'string' && b.includes('\0') ? b.replaceAll('\0', '\uFFFD') : b)));
  return db;
}

function migrationSource(): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(migrations).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name]!,
  };
}

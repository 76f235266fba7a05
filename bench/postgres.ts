// postgres.ts: the benchmark on PostgreSQL (BENCH_PG=1). A throwaway cluster started the way the
// tests' PG pass does (test/setup/postgres.ts: initdb and pg_ctl from /usr/lib/postgresql/<newest>/bin
// in a temp dir, as the `postgres` system user when run as root), but durable: fsync, synchronous
// commit and full-page writes stay at PostgreSQL's defaults, as SQLite's `synchronous = full`
// does. The data is the SQLite seed copied table by table (COPY … FROM a CSV file), so both
// databases are measured on the same rows.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { DatabaseSync } from 'node:sqlite';
import { openDb } from '../engine/store/db.ts';
import { freePort } from './servers.ts';
// The cluster is made as the tests make theirs (vitest's global set-up): the same binaries, the same user.
import { asServerUser as serverUser, pgBin } from '../test/setup/postgres.ts';

export interface BenchPostgres {
  version: string;
  /** The URL of a fresh database of this cluster (created here). */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** A directory the server may read (COPY … FROM a file). */
  dir: string;
  /** What was started, for the report. */
  describe: string;
  /** The postmaster and every process it started (backends, writers, autovacuum): the database server's CPU. */
  pids(): number[];
  stop(): Promise<void>;
}

export async function startPostgres(log: (s: string) => void): Promise<BenchPostgres> {
  const user = serverUser();
  const run = (tool: string, args: string[]) => {
    const argv = [...user.prefix, pgBin(tool), ...args];
    execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-bench-pg-'));
  user.chown(dir);
  const data = path.join(dir, 'data');
  const port = await freePort();
  // C collation: text sorts byte-wise, as on SQLite (the tests' set-up does the same).
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const opts = ['-c listen_addresses=127.0.0.1', `-c port=${port}`, `-c unix_socket_directories=${dir}`, '-c max_connections=100'].join(' ');
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  const admin = knexFactory({ client: 'pg', connection: `postgres://postgres@127.0.0.1:${port}/postgres`, pool: { min: 0, max: 1 } });
  const version = String((await admin.raw('show server_version')).rows[0].server_version);
  const describe = `PostgreSQL ${version} (${pgBin('postgres')}), a cluster of its own in ${dir} on 127.0.0.1:${port}, default settings (shared_buffers 128 MB, fsync and synchronous_commit on), max_connections 100`;
  log(`postgres: ${describe}`);
  const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = (): number[] => [postmaster, ...fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster; // field 4: ppid
    } catch {
      return false;
    }
  })];
  return {
    version, dir, describe, pids,
    async createDatabase(name) {
      await admin.raw('create database ??', [name]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async dropDatabase(name) {
      await admin.raw('drop database if exists ?? with (force)', [name]);
    },
    async stop() {
      await admin.destroy();
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

type Row = Record<string, unknown>;

/** One value as CSV: NULL is an empty field, every text quoted (so '' stays an empty string). */
function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return `"\\x${v.toString('hex')}"`;
  return `"${String(v).replaceAll('"', '""')}"`;
}

/**
 * Writes `select cols from table` of the SQLite file to a CSV file; the row count. Read with
 * node:sqlite row by row as arrays (node-sqlite3's `each` went through libuv's pool per row and
 * was most of a 1 M copy's time).
 */
function sqliteToCsv(db: DatabaseSync, table: string, cols: string[], file: string): number {
  const fd = fs.openSync(file, 'w', 0o644);
  let buf: string[] = [];
  let n = 0;
  try {
    const st = db.prepare(`select ${cols.map((c) => `"${c}"`).join(', ')} from "${table}"`);
    st.setReturnArrays(true);
    for (const row of st.iterate() as Iterable<unknown[]>) {
      let line = '';
      for (let i = 0; i < row.length; i++) line += (i > 0 ? ',' : '') + csvValue(row[i] instanceof Uint8Array ? Buffer.from(row[i] as Uint8Array) : row[i]);
      buf.push(line + '\n');
      if (++n % 20_000 === 0) {
        fs.writeSync(fd, buf.join(''));
        buf = [];
      }
    }
    fs.writeSync(fd, buf.join(''));
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

/**
 * Copies every table of a seeded SQLite data directory into the PostgreSQL database at `url`
 * (migrated here by the engine's own openDb, so the schema is the product's): each table written
 * as CSV and loaded with COPY, its secondary indexes dropped first and built again after, triggers and foreign keys off while loading
 * (`session_replication_role = replica`: the tables the triggers keep, such as holder_workflows,
 * are copied too), serial counters moved past the copied ids, then ANALYZE (which autovacuum
 * would run by itself minutes after such a load). Returns the rows copied per table.
 */
export async function copySqliteToPostgres(dataDir: string, url: string, csvDir: string, log: (s: string) => void): Promise<Record<string, number>> {
  const t0 = performance.now();
  const pg = await openDb({ dataDir, databaseUrl: url });
  const lite = new DatabaseSync(path.join(dataDir, 'lvzhi.sqlite'), { readOnly: true });
  const all = (sql: string) => lite.prepare(sql).all() as Row[];
  const copied: Record<string, number> = {};
  try {
    const pgCols = (await pg.raw(`select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name not like 'knex_%' order by table_name, ordinal_position`)).rows as Row[];
    const tables = new Map<string, string[]>();
    for (const r of pgCols) tables.set(String(r.table_name), [...(tables.get(String(r.table_name)) ?? []), String(r.column_name)]);
    const liteTables = new Set(all(`select name from sqlite_master where type = 'table'`).map((r) => String(r.name)));
    const names = [...tables.keys()].filter((t) => liteTables.has(t));
    await pg.transaction(async (tx) => {
      await tx.raw('set local session_replication_role = replica');
      await tx.raw(`truncate ${names.map((t) => `"${t}"`).join(', ')}`);
      // Secondary indexes built once after the load, not kept in order row by row (as bulkLoad does on SQLite).
      const indexes = (await tx.raw(`select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = any(?)
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = current_schema()::regnamespace)`, [names])).rows as { indexname: string; indexdef: string }[];
      for (const ix of indexes) await tx.raw(`drop index "${ix.indexname}"`);
      for (const table of names) {
        const liteCols = new Set(all(`select name from pragma_table_info('${table}')`).map((r) => String(r.name)));
        const cols = tables.get(table)!.filter((c) => liteCols.has(c));
        const file = path.join(csvDir, `${table}.csv`);
        copied[table] = sqliteToCsv(lite, table, cols, file);
        if (copied[table]! > 0) await tx.raw(`copy "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) from '${file}' with (format csv)`);
        fs.rmSync(file, { force: true });
      }
      const t1 = performance.now();
      for (const ix of indexes) await tx.raw(ix.indexdef);
      log(`postgres: ${indexes.length} indexes rebuilt in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      const serials = (await tx.raw(`select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
        from information_schema.columns where table_schema = current_schema() and column_default like 'nextval%'`)).rows as Row[];
      for (const s of serials) {
        if (!s.seq || !names.includes(String(s.table_name))) continue;
        await tx.raw(`select setval(?, coalesce((select max("${String(s.column_name)}") from "${String(s.table_name)}"), 0) + 1, false)`, [s.seq as string]);
      }
    });
    await pg.raw('analyze');
  } finally {
    lite.close();
    await pg.destroy();
  }
  const total = Object.values(copied).reduce((a, b) => a + b, 0);
  log(`postgres: ${total.toLocaleString('en')} rows of ${Object.keys(copied).length} tables copied from SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return copied;
}

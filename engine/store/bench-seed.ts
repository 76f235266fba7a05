// bench-seed.ts: bulk seeding for the benchmark (bench/): clones instances the engine really ran
// (with their tasks, events and timers) into many plausible copies, one `insert … select` per
// template row, so SQLite itself writes the millions of rows.
//
// Cloning rows the runtime wrote, rather than inventing rows here, keeps the copies restorable by
// the engine whatever columns the schema grows; only ids, titles, initiators and times change.
// Not used by the product: the server never imports this file.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from './db.ts';

type Row = Record<string, unknown>;

/** Bound variables per statement: SQLite allows 32,766 since 3.32, PostgreSQL 65,535. */
const MAX_VARS = 30_000;
const DAY = 86_400_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** One template, read once: its rows, and the id slot of each of its tasks and timers. */
interface Template {
  instanceId: string;
  initiatorId: string;
  title: string;
  workflowId: string;
  createdMs: number;
  /** Latest time anywhere in the template (copies are shifted so this lands in the past). */
  endMs: number;
  rows: Record<Table, Row[]>;
  slots: Map<string, number>;
}

type Table = 'instances' | 'tasks' | 'events' | 'timers';
const TABLES: Table[] = ['instances', 'tasks', 'events', 'timers'];

export interface CloneSpec {
  /** An instance the engine created; it is copied as a whole. */
  templateId: string;
  count: number;
  /** Copies spread their history over this many days before now (0: all end about now). */
  spreadDays: number;
  /** Keep up to this many new instance ids and open task ids (for the scenarios). */
  sample?: number;
}

export interface CloneOptions {
  specs: CloneSpec[];
  /** Initiators the copies rotate through (the template's initiator is replaced everywhere). */
  initiators: { id: string; orgId: string }[];
  now: Date;
  /** Title stems: `关于<stem>的建议` / `…的议案`, numbered. */
  topics: string[];
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CloneResult {
  rows: Record<'instances' | 'tasks' | 'events' | 'timers', number>;
  /** Per template id: sampled new instance ids and their open task ids. */
  samples: Map<string, { instanceIds: string[]; openTasks: { taskId: string; instanceId: string; assigneeId: string | null }[] }>;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same mix and times. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readTemplate(db: Db, instanceId: string): Promise<Template> {
  const inst = await db('instances').where({ id: instanceId }).first();
  if (!inst) throw new Error(`bench seed: template instance ${instanceId} not found`);
  const tasks = await db('tasks').where({ instance_id: instanceId }).orderBy('created_at');
  const events = (await db('events').where({ instance_id: instanceId }).orderBy('seq')).map((e: Row) => {
    const { id: _autoincrement, ...rest } = e;
    return rest;
  });
  const timers = await db('timers').where({ instance_id: instanceId });
  let endMs = 0;
  for (const r of [inst, ...tasks, ...events, ...timers] as Row[]) {
    for (const [k, v] of Object.entries(r)) {
      if (k !== 'fire_at' && k !== 'due_at' && typeof v === 'string' && ISO.test(v)) endMs = Math.max(endMs, Date.parse(v));
    }
  }
  const rows: Record<Table, Row[]> = { instances: [inst], tasks, events, timers };
  const slots = new Map<string, number>([...tasks, ...timers].map((r: Row, i) => [String(r.id), i + 1]));
  if (slots.size >= SLOTS) throw new Error(`bench seed: template ${instanceId} has more than ${SLOTS - 1} tasks and timers`);
  return {
    instanceId, initiatorId: String(inst.initiator_id), title: String(inst.title), workflowId: String(inst.workflow_id),
    createdMs: Date.parse(String(inst.created_at)), endMs, rows, slots,
  };
}

/**
 * Ids in the UUID format, time-ordered like UUIDv7 and increasing in insert order: appending to
 * the primary-key B-trees instead of inserting at random places is what makes a million copies
 * take minutes rather than an hour (lookups by id cost the same either way). Copy n owns the
 * numbers x..x+63 (`slot` 0 is the instance, then its tasks, then its timers); SQLite formats
 * them with the same layout in `idSql`.
 */
const ID_BASE = Math.floor(Date.now() / 1000) * 4096 * 1000;
const ID_TAIL = randomUUID().slice(19); // fixed per run: 8xxx-xxxxxxxxxxxx
const SLOTS = 64;
let copiesMade = 0;

export function idOf(x: number): string {
  const hex = x.toString(16).padStart(15, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(12, 15)}-${ID_TAIL}`;
}

function idSql(slot: number): string {
  const x = `(c.x + ${slot})`;
  return `printf('%08x-%04x-7%03x-%s', ${x} >> 28, (${x} >> 12) & 65535, ${x} & 4095, '${ID_TAIL}')`;
}

function jsonText(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** How a copy fills one cell: an SQL expression over the copy row `c`, plus its bound values. */
type Plan = { sql: string; params: unknown[] };

function timeSql(ms: number, due: boolean): string {
  // A pending timer of a copy must not fall due while the benchmark runs (the scheduler would
  // fire thousands at start): it stays at least a day ahead.
  const at = due ? `max(${ms} + c.shift, c.now + ${DAY + (ms % DAY)})` : `(${ms} + c.shift)`;
  return `strftime('%Y-%m-%dT%H:%M:%fZ', ${at} / 1000.0, 'unixepoch')`;
}

interface Ids { instanceId: string; initiatorId: string; title: string; slots: Map<string, number> }

/** JSON text with the template's ids, title and initiator replaced by the copy's. */
function jsonSql(v: string, t: Ids): Plan {
  let sql = '?';
  if (v.includes(t.instanceId)) sql = `replace(${sql}, '${t.instanceId}', c.id)`;
  for (const [id, slot] of t.slots) if (v.includes(id)) sql = `replace(${sql}, '${id}', ${idSql(slot)})`;
  if (t.title && v.includes(jsonText(t.title))) sql = `replace(${sql}, ?, c.title_json)`;
  if (v.includes(`"${t.initiatorId}"`)) sql = `replace(${sql}, ?, '"' || c.initiator_id || '"')`;
  const params: unknown[] = [v];
  if (t.title && v.includes(jsonText(t.title))) params.push(jsonText(t.title));
  if (v.includes(`"${t.initiatorId}"`)) params.push(`"${t.initiatorId}"`);
  return { sql, params };
}

function planCell(t: Ids, table: Table, col: string, v: unknown, row: Row): Plan {
  if (v === null || v === undefined) return { sql: 'null', params: [] };
  if (typeof v !== 'string') return { sql: '?', params: [typeof v === 'boolean' ? Number(v) : v] };
  if (col === 'id' && (table === 'timers' || table === 'tasks')) return { sql: idSql(t.slots.get(String(row.id))!), params: [] };
  if (v === t.instanceId) return { sql: 'c.id', params: [] };
  if (t.slots.has(v)) return { sql: idSql(t.slots.get(v)!), params: [] };
  if (v === t.initiatorId) return { sql: 'c.initiator_id', params: [] };
  if (table === 'instances' && col === 'number') return { sql: 'c.number', params: [] };
  if (table === 'instances' && col === 'title') return { sql: 'c.title', params: [] };
  if (table === 'instances' && col === 'initiator_org') return { sql: 'c.initiator_org', params: [] };
  if (ISO.test(v)) return { sql: timeSql(Date.parse(v), col === 'fire_at' && row.status === 'pending'), params: [] };
  if (v.length > 20 && (v[0] === '{' || v[0] === '[')) return jsonSql(v, t);
  return { sql: '?', params: [v] };
}

/** One `insert … select` per template row: the database writes all copies of that row itself. */
function rowInserts(t: Template, index: number): { table: Table; sql: string; params: unknown[] }[] {
  const ids: Ids = { instanceId: t.instanceId, initiatorId: t.initiatorId, title: t.title, slots: t.slots };
  return TABLES.flatMap((table) => t.rows[table].map((r) => {
    const cols = Object.keys(r);
    const plans = cols.map((col) => planCell(ids, table, col, r[col], r));
    return {
      table,
      sql: `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) select ${plans.map((p) => p.sql).join(', ')} from bench_copies c where c.tpl = ${index} order by c.n`,
      params: plans.flatMap((p) => p.params),
    };
  }));
}

function titleFor(t: Template, topic: string, n: number): string {
  const kind = t.workflowId === 'bill' ? '议案' : '建议';
  const stem = t.workflowId === 'bill' ? `关于制定${topic}条例的${kind}` : `关于${topic}的${kind}`;
  return `${stem}（${n}）`;
}

/** The next human number of a workflow in a year (`2025-0042`), continuing the `sequences` table. */
function numberer(existing: Map<string, number>) {
  return (workflowId: string, year: number): string => {
    const key = `${workflowId}:${year}`;
    const n = (existing.get(key) ?? 0) + 1;
    existing.set(key, n);
    return `${year}-${String(n).padStart(4, '0')}`;
  };
}

/** One copy: what `bench_copies` holds for it. */
interface Copy {
  n: number;
  tpl: number;
  x: number;
  number: string;
  title: string;
  initiator: { id: string; orgId: string };
  shift: number;
}

/**
 * Copies the templates `count` times each (SQLite only). The copies are decided here (template,
 * ids, number, title, initiator, time shift) and written to a temporary table; then one
 * `insert … select` per template row lets SQLite write every copy of that row, so a million
 * instances with their tasks, events and timers pass through the driver as a million short rows.
 */
export async function cloneInstances(db: Db, opts: CloneOptions): Promise<CloneResult> {
  if (db.client.config.client === 'pg') throw new Error('bench seed: bulk copying runs on SQLite only (unset DATABASE_URL)');
  const templates: Template[] = [];
  for (const s of opts.specs) templates.push(await readTemplate(db, s.templateId));
  const seqs = new Map<string, number>((await db('sequences').select('name', 'value')).map((r: Row) => [String(r.name), Number(r.value)]));
  const copies = planCopies(opts, templates, numberer(seqs));
  const result: CloneResult = { rows: { instances: 0, tasks: 0, events: 0, timers: 0 }, samples: new Map() };
  opts.specs.forEach((spec, i) => result.samples.set(spec.templateId, sampleOf(copies, i, templates[i]!, spec.sample ?? 0)));
  const conn = await rawConnection(db);
  try {
    await conn.run('create temp table bench_copies (n integer primary key, tpl integer, id text, x integer, number text, title text, title_json text, initiator_id text, initiator_org text, shift integer, now integer)');
    const cols = ['n', 'tpl', 'id', 'x', 'number', 'title', 'title_json', 'initiator_id', 'initiator_org', 'shift', 'now'];
    const values = copies.map((c) => [c.n, c.tpl, idOf(c.x), c.x, c.number, c.title, jsonText(c.title), c.initiator.id, c.initiator.orgId, c.shift, opts.now.getTime()]);
    await conn.run('begin');
    for (const st of statements('bench_copies', cols, values)) await conn.run(st.sql, st.params);
    await conn.run('commit');
    await conn.run('create index bench_copies_tpl on bench_copies (tpl, n)');
    let step = 0;
    const steps = templates.reduce((a, t) => a + TABLES.reduce((b, table) => b + t.rows[table].length, 0), 0);
    for (const [i, t] of templates.entries()) {
      for (const st of rowInserts(t, i)) {
        const changes = await conn.run(st.sql, st.params);
        result.rows[st.table] += changes;
        opts.onProgress?.(++step, steps);
      }
    }
    await conn.run('drop table bench_copies');
  } finally {
    await conn.release();
  }
  await saveSequences(db, seqs);
  return result;
}

/** Decides every copy: which template (interleaved at random), its ids, number, title, initiator and time shift. */
function planCopies(opts: CloneOptions, templates: Template[], nextNumber: (wf: string, year: number) => string): Copy[] {
  const rnd = prng(opts.seed ?? 1);
  const total = opts.specs.reduce((a, s) => a + s.count, 0);
  const left = opts.specs.map((s) => s.count);
  const copies: Copy[] = [];
  for (let k = 0; k < total; k++) {
    const tpl = pickSpec(left, total - k, rnd);
    left[tpl]!--;
    const t = templates[tpl]!;
    const shift = opts.now.getTime() - t.endMs - Math.floor(rnd() * opts.specs[tpl]!.spreadDays * DAY) - 60_000;
    const n = copiesMade++;
    copies.push({
      n, tpl, x: ID_BASE + n * SLOTS, shift,
      number: nextNumber(t.workflowId, new Date(t.createdMs + shift).getUTCFullYear()),
      title: titleFor(t, opts.topics[n % opts.topics.length]!, n + 1),
      initiator: opts.initiators[n % opts.initiators.length]!,
    });
  }
  return copies;
}

function sampleOf(copies: Copy[], tpl: number, t: Template, max: number): CloneResult['samples'] extends Map<string, infer V> ? V : never {
  const mine = copies.filter((c) => c.tpl === tpl).slice(0, max);
  const open = t.rows.tasks.filter((r) => r.status === 'open');
  return {
    instanceIds: mine.map((c) => idOf(c.x)),
    openTasks: mine.flatMap((c) => open.map((r) => ({
      taskId: idOf(c.x + t.slots.get(String(r.id))!), instanceId: idOf(c.x),
      assigneeId: r.assignee_id === t.initiatorId ? c.initiator.id : ((r.assignee_id as string | null) ?? null),
    }))),
  };
}

interface SqliteDriver {
  run(sql: string, params: unknown[], cb: (this: { changes: number }, err: Error | null) => void): void;
}
/** node:sqlite's connection as store/node-sqlite-client.ts holds it. */
interface NodeSqliteDriver { db: { prepare(sql: string): { run(...params: unknown[]): { changes: number | bigint } } } }

/** knex's one SQLite connection, held for the whole copy (the temporary table lives on it); either driver. */
async function rawConnection(db: Db): Promise<{ run(sql: string, params?: unknown[]): Promise<number>; release(): Promise<void> }> {
  const conn = (await db.client.acquireConnection()) as SqliteDriver | NodeSqliteDriver;
  return {
    run: (sql, params = []) => 'db' in conn
      ? Promise.resolve(Number(conn.db.prepare(sql).run(...params).changes))
      : new Promise((resolve, reject) => conn.run(sql, params, function (e) {
        if (e) reject(e);
        else resolve(this.changes);
      })),
    release: async () => db.client.releaseConnection(conn),
  };
}

/** Multi-row insert statements, as many rows each as the bound-variable limit allows. */
function statements(table: string, cols: string[], values: unknown[][]): { sql: string; params: unknown[] }[] {
  const per = Math.max(1, Math.floor(MAX_VARS / cols.length));
  const tuple = `(${cols.map(() => '?').join(',')})`;
  const head = `insert into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values `;
  const out: { sql: string; params: unknown[] }[] = [];
  for (let i = 0; i < values.length; i += per) {
    const chunk = values.slice(i, i + per);
    out.push({ sql: head + Array(chunk.length).fill(tuple).join(','), params: chunk.flat() });
  }
  return out;
}

/** Picks a spec in proportion to what each still has to make, so the kinds are interleaved. */
function pickSpec(left: number[], remaining: number, rnd: () => number): number {
  let r = Math.floor(rnd() * remaining);
  for (let i = 0; i < left.length; i++) {
    if (r < left[i]!) return i;
    r -= left[i]!;
  }
  return left.findIndex((n) => n > 0);
}

async function saveSequences(db: Db, seqs: Map<string, number>): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [name, value] of seqs) {
      await tx('sequences').insert({ name, value }).onConflict('name').merge({ value });
    }
  });
}

/**
 * Adds `count` deputies (`bench-deputy-0001` …) who can log in with the password of `likeUserId`
 * (its hash is copied), split over the given delegations. Returns their ids and orgs.
 */
export async function addBenchDeputies(db: Db, count: number, likeUserId: string, orgIds: string[], names: (i: number) => string): Promise<{ id: string; orgId: string }[]> {
  const like = await db('users').where({ id: likeUserId }).first();
  if (!like) throw new Error(`bench seed: user ${likeUserId} not found (seed the demo directory first)`);
  const users = Array.from({ length: count }, (_, i) => ({ id: `bench-deputy-${String(i + 1).padStart(4, '0')}`, orgId: orgIds[i % orgIds.length]! }));
  const cols = Object.keys(like);
  const values = users.map((u, i) => cols.map((col) => {
    if (col === 'id') return u.id;
    if (col === 'name') return names(i);
    if (col === 'org_id') return u.orgId;
    if (col === 'is_demo') return false;
    return like[col];
  }));
  await db.transaction(async (tx) => {
    for (const st of statements('users', cols, values)) await tx.raw(st.sql, st.params as Knex.RawBinding[]);
  });
  return users;
}

/** Row counts of the process tables, and how many tasks a user holds open and has done. */
export async function benchCounts(db: Db, userId: string, role: string): Promise<Record<string, number>> {
  const n = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }))[0]!.n);
  return {
    instances: await n(db('instances')),
    tasks: await n(db('tasks')),
    events: await n(db('events')),
    timers: await n(db('timers')),
    openRoleTasks: await n(db('tasks').where({ status: 'open', role }).whereNull('assignee_id')),
    doneByUser: await n(db('tasks').where({ status: 'done', completed_by: userId })),
  };
}

/** The database engine's version, for the report. */
export async function databaseVersion(db: Db): Promise<string> {
  if (db.client.config.client === 'pg') {
    const r = await db.raw('show server_version');
    return `PostgreSQL ${r.rows[0].server_version}`;
  }
  const rows = await db.raw('select sqlite_version() as v');
  return `SQLite ${rows[0].v}`;
}

/**
 * Runs a bulk load on SQLite: no journal, no fsync and no foreign-key checks (the copies are
 * consistent by construction, and a half-written benchmark database is thrown away), a 1 GB page
 * cache, and the secondary indexes of the process tables dropped and built again at the end (one
 * sort per index beats keeping a dozen B-trees in order row by row). WAL is back on afterwards.
 * Other databases run `fn` as it is.
 */
export async function bulkLoad<T>(db: Db, fn: () => Promise<T>, log?: (s: string) => void): Promise<T> {
  if (db.client.config.client === 'pg') return fn();
  for (const pragma of ['cache_size = -1048576', 'synchronous = off', 'foreign_keys = off', 'journal_mode = off']) await db.raw(`pragma ${pragma}`);
  const indexes: { name: string; sql: string }[] = await db.raw(
    `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('instances', 'tasks', 'events', 'timers')`);
  for (const ix of indexes) await db.raw(`drop index "${ix.name}"`);
  const result = await fn();
  const t0 = performance.now();
  for (const ix of indexes) await db.raw(ix.sql);
  log?.(`seed: ${indexes.length} indexes rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const pragma of ['journal_mode = wal', 'synchronous = full', 'foreign_keys = on', 'cache_size = -2000']) await db.raw(`pragma ${pragma}`);
  return result;
}

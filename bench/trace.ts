// trace.ts: `npx tsx bench/trace.ts <dataDir>`: the SQL one request of each benchmark scenario
// runs (in-process, through fastify's inject), with each statement's time, on a data directory
// a bench run kept (BENCH_KEEP=1); statements over 10 ms are printed with their bindings. It
// completes two of the pool's tasks. A tool for reading the profile, not part of `npm run bench`.

import { performance } from 'node:perf_hooks';
import { createEngine } from '../engine/index.ts';
import { buildApp } from '../server/app.ts';
import { openDb } from '../engine/store/db.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: tsx bench/trace.ts <dataDir>');

const db = await openDb({ dataDir });
const pool = await db('tasks as t').where({ 't.assignee_id': 'deputy11', 't.status': 'open' }).select('t.id').limit(3);
await db.destroy();

const engine = await createEngine({ dataDir, demo: true });
const app = await buildApp({ engine, dataDir, logger: { level: 'error' } });

const lines: string[] = [];
let on = false;
// Every knex instance of the process runs its statements through Client#query: time them there.
type Query = { sql?: string; bindings?: unknown[] } | string;
const clientModule = 'knex/lib/client.js'; // a variable: the module has no type declarations
const { default: Client } = (await import(clientModule)) as { default: { prototype: { query(conn: unknown, obj: Query): Promise<unknown> } } };
const origQuery = Client.prototype.query;
Client.prototype.query = async function (this: unknown, conn: unknown, obj: Query) {
  const t0 = performance.now();
  try { return await origQuery.call(this, conn, obj); } finally {
    const sql = typeof obj === 'string' ? obj : String(obj.sql);
    if (on && performance.now() - t0 > 10) console.error('slow:', sql, JSON.stringify(typeof obj === 'string' ? [] : obj.bindings));
    if (on) lines.push(`${(performance.now() - t0).toFixed(2).padStart(7)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 220)}`);
  }
};

async function login(username: string): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/login' });
  const pre = String(page.headers['set-cookie']).split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const r = await app.inject({ method: 'POST', url: '/login', headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, username, password: 'lvzhi2026' }).toString() });
  const sid = ([] as string[]).concat(r.headers['set-cookie'] as string[]).find((c) => c.startsWith('lvzhi_sid='))!.split(';')[0]!;
  return sid;
}

async function traced(label: string, run: () => Promise<{ statusCode: number }>): Promise<void> {
  await run(); // warm
  lines.length = 0; on = true;
  const t0 = performance.now();
  const r = await run();
  const ms = performance.now() - t0;
  on = false;
  console.log(`\n## ${label}: ${r.statusCode}, ${ms.toFixed(1)} ms, ${lines.length} statements`);
  for (const l of lines) console.log(l);
}

const review = await login('review1');
await traced('inbox', () => app.inject({ method: 'GET', url: '/inbox', headers: { cookie: review } }));
await traced('list p3', () => app.inject({ method: 'GET', url: '/instances?page=3', headers: { cookie: review } }));
const inst = await app.inject({ method: 'GET', url: '/instances?page=2', headers: { cookie: review } });
const id = /href="\/instances\/([0-9a-f-]{36})"/.exec(inst.body)?.[1];
await traced('instance', () => app.inject({ method: 'GET', url: `/instances/${id}`, headers: { cookie: review } }));

const dep = await login('deputy11');
let i = 0;
await traced('submit', async () => {
  const taskId = pool[i++]!.id;
  const form = await app.inject({ method: 'GET', url: `/tasks/${taskId}`, headers: { cookie: dep } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const version = /name="_version" value="([^"]+)"/.exec(form.body)![1]!;
  lines.length = 0;
  const res = await app.inject({ method: 'POST', url: `/tasks/${taskId}`, headers: { cookie: dep, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, _version: version, _event: 'agree' }).toString() });
  if (res.statusCode >= 400) console.log(res.statusCode);
  return res;
});
await app.close();
process.exit(0);

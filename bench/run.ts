// run.ts: `npm run bench`: seed, measure the bare route and the real server's scenarios, profile
// the POST, write docs/benchmarks.md, and print `submit/bare ratio: X.XXX` as the last line.
//
// Environment: BENCH_INSTANCES (default 1e6), BENCH_SCALES=10000,100000,1000000 (the same
// scenarios at each instance count, each on a database seeded for it; the largest is the one
// the main tables and the profile describe), BENCH_PG=1 (each scale also on PostgreSQL: a copy of
// the SQLite seed in a throwaway cluster, bench/postgres.ts, with BENCH_PG_PROCESSES servers,
// default 1,2; BENCH_PG_SCALES: only these scales on PostgreSQL), BENCH_RESULTS (default bench/results.json), BENCH_POOL (POST pool, default a
// tenth of the instances, 10,000 to 50,000),
// BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_RATE (req/s of the
// steady run after each scenario's saturated one, default 100 as issue 16 asks, 0: none), BENCH_PROFILE=0 (skip the
// profile), BENCH_KEEP=1 (keep the data directory), BENCH_REPORT (default docs/benchmarks.md),
// BENCH_DATA=<dir> (measure on a directory an earlier BENCH_KEEP=1 run seeded, kept afterwards:
// its pool tasks already completed are skipped), BENCH_PROFILE_OF=inbox (with BENCH_ONLY=profile: which scenario to profile, default submit), BENCH_ONLY=bare,submit (run only these
// scenarios and print them, no report: for trying a change; `profile` there profiles the POST
// and prints the summary), BENCH_NODE_ARGS (Node flags for the lvzhi processes, e.g.
// --max-semi-space-size=8: for trying a runtime setting).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestSpec } from 'autocannon';
import { csrfOf, inputOf, login, page, type Session } from './client.ts';
import { measure, type LoadOptions, type Measurement, type Scenario } from './load.ts';
import { mainThreadProfile, summariseProfile } from './profile.ts';
import { cpuModel, keptPart, renderReport, submitRatio, type MeasuredSet, type RunInfo } from './report.ts';
import { benchResults, gitCommit, writeResults } from './results.ts';
import { copySqliteToPostgres, startPostgres } from './postgres.ts';
import { seedBench, type SeedResult } from './seed.ts';
import { openDb } from '../engine/store/db.ts';
import { ROOT, startBare, startLvzhi, type Child } from './servers.ts';
import { groupLine, type GroupBenchResult } from './group-step.ts';

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name}=${raw}: expected a number ≥ ${min}`);
  return Math.floor(n);
}

const config = {
  instances: envNumber('BENCH_INSTANCES', 1_000_000, 100),
  pool: envNumber('BENCH_POOL', 50_000, 100),
  duration: envNumber('BENCH_DURATION', 10, 1),
  connections: envNumber('BENCH_CONNECTIONS', 50, 1),
  warmup: 0,
  rate: envNumber('BENCH_RATE', 100, 0),
};
config.warmup = Math.min(3, Math.max(1, Math.round(config.duration / 4)));
const log = (s: string) => console.log(s);

function html(session: Session, p: string): RequestSpec {
  return { method: 'GET', path: p, headers: { cookie: session.cookie } };
}

/** Cycles through a list, for scenarios that may repeat (GETs). */
function cycle<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

/** The POST: each request completes a different pool task (the last co-signer's 同意附议). */
async function submitScenario(base: string, seed: SeedResult, cursor: { i: number }): Promise<Scenario> {
  const session = await login(base, seed.submitUser);
  const first = seed.pool[cursor.i]!;
  const form = await page(base, session, `/tasks/${first.taskId}`);
  const csrf = csrfOf(form);
  const version = inputOf(form, '_version');
  if (!version) throw new Error('bench: the task page has no _version field');
  if (!/name="_event" value="agree"/.test(form)) throw new Error('bench: the co-signing page has no 同意附议 (agree) button');
  // Every pool bill is a copy of one template, so all stand at the same version; check another.
  const other = seed.pool[seed.pool.length - 1]!;
  if (inputOf(await page(base, session, `/tasks/${other.taskId}`), '_version') !== version) throw new Error('bench: pool tasks differ in version');
  const headers = { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  return {
    name: 'submit',
    what: `POST /tasks/:id 同意附议 as ${seed.submitUser} (validate, restore, transition to 主席团决定 with a new task, persist, 303)`,
    next: () => {
      const t = seed.pool[cursor.i++];
      if (!t) return undefined;
      const body = new URLSearchParams({ _csrf: csrf, _version: version, _event: 'agree' }).toString();
      return { method: 'POST', path: `/tasks/${t.taskId}`, headers, body };
    },
    ok: (status, h) => status === 303 && (h.location ?? h.Location ?? '').startsWith('/instances/'),
  };
}

/** The scenarios of the real server, each built on a fresh process (logged in, pages checked). */
function serverScenarios(seed: SeedResult, cursor: { i: number }): [string, (base: string) => Promise<Scenario>][] {
  const instance = cycle(seed.pageInstances);
  const listPage = cycle(Array.from({ length: 10 }, (_, i) => i + 1));
  const viewing = (name: string, what: string, url: () => string) => async (base: string): Promise<Scenario> => {
    const viewer = await login(base, seed.viewUser);
    const first = url();
    await page(base, viewer, first); // fails loudly now rather than as 100% errors later
    return { name, what, next: () => html(viewer, url()), ok: (status) => status === 200 };
  };
  return [
    ['inbox', viewing('inbox', `GET /inbox (待办) as ${seed.viewUser}`, () => '/inbox')],
    ['instance', viewing('instance', `GET /instances/:id of a closed suggestion as ${seed.viewUser}`, () => `/instances/${instance()}`)],
    ['list', viewing('list', `GET /instances?page=1…10 as ${seed.viewUser}`, () => `/instances?page=${listPage()}`)],
    ['submit', (base) => submitScenario(base, seed, cursor)],
  ];
}

function loadOptions(child: Child, rate = 0): LoadOptions {
  return { port: child.port, pid: child.pid, connections: config.connections, duration: config.duration, warmup: config.warmup, rate };
}

function show(m: Measurement): void {
  log(`${m.name.padEnd(9)} ${m.rps.toFixed(0).padStart(7)} req/s  alone ${m.aloneMs.toFixed(1)}  p50 ${m.p50.toFixed(1)}  p95 ${m.p95.toFixed(1)}  p99 ${m.p99.toFixed(1)} ms  `
    + `CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req (main ${m.mainCpuMsPerRequest.toFixed(2)}${Number.isNaN(m.databaseCpuMsPerRequest) ? '' : `, PostgreSQL ${m.databaseCpuMsPerRequest.toFixed(2)}`})  RSS ${m.peakRssMb.toFixed(0)} MB  errors ${m.errors}${m.errorDetail ? ` (${m.errorDetail})` : ''}${m.exhausted ? '  POOL RAN OUT' : ''}`);
  if (m.paced) log(`${''.padEnd(9)} at ${m.paced.rate} req/s: ${m.paced.rps.toFixed(0)} req/s  p50 ${m.paced.p50.toFixed(1)}  p95 ${m.paced.p95.toFixed(1)}  p99 ${m.paced.p99.toFixed(1)} ms  errors ${m.paced.errors}`);
}

/** Runs `fn` on a started server and stops it after (SIGKILL after `graceMs`: a slow scenario leaves a queue). */
async function withChild<T>(child: Child, fn: (c: Child) => Promise<T>, graceMs = 5_000): Promise<T> {
  try {
    return await fn(child);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- server output ---\n${child.tail()}`);
  } finally {
    await child.stop(graceMs);
  }
}

/** A second server under --cpu-prof for the POST alone; the profile is written when it exits. */
async function profileSubmit(dataDir: string, seed: SeedResult, cursor: { i: number }, of = 'submit'): Promise<RunInfo['profile']> {
  const dir = path.join(dataDir, 'cpu-prof');
  const make = serverScenarios(seed, cursor).find(([name]) => name === of)?.[1];
  if (!make) throw new Error(`BENCH_PROFILE_OF=${of}: expected inbox, instance, list or submit`);
  // The sources, not the bundle: the profile then names our files (engine/runtime, engine/store …).
  const child = await startLvzhi(dataDir, ['--cpu-prof', `--cpu-prof-dir=${dir}`], { LVZHI_NO_BUNDLE: '1' });
  const m = await withChild(child, async (c) => measure({ ...loadOptions(c), warmup: 1 }, await make(`http://127.0.0.1:${c.port}`)), 60_000);
  const file = mainThreadProfile(dir, child.pid);
  if (!file) throw new Error(`bench: no .cpuprofile was written to ${dir}`);
  log(`profile: ${file}`);
  const summary = summariseProfile(file, 25, m.windowUs);
  if (summary.totalMs + summary.idleMs < 100) throw new Error(`bench: the profile ${file} has no samples in the measured run`);
  return { summary, requests: m.responses, seconds: m.seconds };
}

/** bench/group-step.ts in a child process (GROUP_JSON=1), with the flags `npm start` gives the server. */
async function groupStepsInChild(): Promise<GroupBenchResult> {
  const args = ['--max-old-space-size=512', '--max-semi-space-size=16', ...nodeArgs(), '--import', 'tsx', 'bench/group-step.ts'];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, GROUP_JSON: '1', MALLOC_ARENA_MAX: '2' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench/group-step.ts exited with ${code}: ${text.slice(-500)}`))));
  });
  return JSON.parse(out.trim().split('\n').pop()!) as GroupBenchResult;
}

const SEED_FILE = 'bench-seed.json';

/** The seed an earlier run wrote, its pool cut to the tasks still open. */
async function reuseSeed(dataDir: string): Promise<SeedResult> {
  const file = path.join(dataDir, SEED_FILE);
  if (!fs.existsSync(file)) throw new Error(`BENCH_DATA=${dataDir}: no ${SEED_FILE}; seed one with BENCH_KEEP=1 first`);
  const seed = JSON.parse(fs.readFileSync(file, 'utf8')) as SeedResult;
  const db = await openDb({ dataDir });
  try {
    const open = new Set<string>();
    for (let i = 0; i < seed.pool.length; i += 500) {
      const ids = seed.pool.slice(i, i + 500).map((t) => t.taskId);
      for (const r of await db('tasks').whereIn('id', ids).where('status', 'open').select('id')) open.add(String(r.id));
    }
    log(`seed: reusing ${dataDir}; ${open.size.toLocaleString('en')} of ${seed.pool.length.toLocaleString('en')} pool tasks still open`);
    return { ...seed, pool: seed.pool.filter((t) => open.has(t.taskId)) };
  } finally {
    await db.destroy();
  }
}

interface Place { dataDir: string; databaseUrl?: string }

/** `processes` servers on one database (each its own port, as behind a load balancer). */
/** BENCH_NODE_ARGS: Node flags for the lvzhi processes (e.g. `--max-semi-space-size=8`), for trying a runtime setting. */
function nodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
}

async function startServers(place: Place, processes: number): Promise<Child[]> {
  const env = place.databaseUrl ? { DATABASE_URL: place.databaseUrl } : {};
  const children: Child[] = [];
  try {
    for (let i = 0; i < processes; i++) children.push(await startLvzhi(place.dataDir, nodeArgs(), env));
  } catch (e) {
    await Promise.all(children.map((c) => c.stop(5_000)));
    throw e;
  }
  return children;
}

/** The four scenarios of the real server on one place, a fresh set of processes for each. */
async function measureSet(place: Place, processes: number, seed: SeedResult, cursor: { i: number }, only: Set<string> | undefined, label: string, databasePids?: () => number[]): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const [name, make] of serverScenarios(seed, cursor)) {
    if (only && !only.has(name)) continue;
    const children = await startServers(place, processes);
    const [first, ...more] = children;
    try {
      const opts = { ...loadOptions(first!, config.rate), also: more.map((c) => ({ port: c.port, pid: c.pid })), ...(databasePids && { databasePids }) };
      const m = await measure(opts, await make(`http://127.0.0.1:${first!.port}`));
      log(`[${label}]`);
      show(m);
      out.push(m);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- server output ---\n${children.map((c) => c.tail()).join('\n')}`);
    } finally {
      await Promise.all(children.map((c) => c.stop(5_000)));
    }
  }
  return out;
}

/**
 * BENCH_PG_SCALES=10000,100000: the scales PostgreSQL is measured at too (default every scale).
 * The copy of a 1 M seed into PostgreSQL takes many minutes (bench/postgres.ts), so a run with
 * little time can leave that scale to SQLite.
 */
function pgScales(sizes: number[]): number[] {
  const raw = process.env.BENCH_PG_SCALES;
  if (!raw) return sizes;
  const list = raw.split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !sizes.includes(n))) throw new Error(`BENCH_PG_SCALES=${raw}: each must be one of BENCH_SCALES (${sizes.join(',')})`);
  return list;
}

/** BENCH_SCALES=10000,100000 (instances; each seeded on a database of its own), else BENCH_INSTANCES alone. */
function scales(): number[] {
  const raw = process.env.BENCH_SCALES;
  if (!raw) return [config.instances];
  const list = raw.split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`BENCH_SCALES=${raw}: expected instance counts ≥ 100, comma-separated`);
  return [...new Set(list)].sort((a, b) => a - b);
}

/** The POST pool at a scale: BENCH_POOL, else a tenth of the instances, at least 10,000 and at most 50,000. */
function poolFor(instances: number): number {
  return process.env.BENCH_POOL ? config.pool : Math.min(50_000, Math.max(10_000, Math.round(instances / 10)));
}

/** BENCH_PG_PROCESSES=1,2: how many `lvzhi serve` processes share the PostgreSQL database, one set each. */
function pgProcesses(): number[] {
  const list = (process.env.BENCH_PG_PROCESSES ?? '1,2').split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new Error(`BENCH_PG_PROCESSES=${process.env.BENCH_PG_PROCESSES}: expected 1 to 8, comma-separated`);
  return list;
}

async function main(): Promise<void> {
  const started = new Date();
  const commit = gitCommit(ROOT); // before the run writes its files
  const loadBefore = os.loadavg();
  const reused = process.env.BENCH_DATA;
  const sizes = scales();
  if (reused && sizes.length > 1) throw new Error('BENCH_DATA measures one kept database: not with BENCH_SCALES');
  config.instances = sizes[sizes.length - 1]!;
  config.pool = poolFor(config.instances);
  const withPg = process.env.BENCH_PG === '1';
  log(`bench: ${sizes.map((n) => n.toLocaleString('en')).join(', ')} instances${withPg ? ', SQLite and PostgreSQL' : ''}; -c ${config.connections} -d ${config.duration} (warm-up ${config.warmup} s); load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : undefined;
  const pg = withPg ? await startPostgres(log) : undefined;
  // Interrupted: stop the cluster too (the servers are killed on exit, servers.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void (pg ? pg.stop() : Promise.resolve()).finally(() => process.exit(130)));
  const sets: MeasuredSet[] = [];
  let primary: { seed: SeedResult; scenarios: Measurement[]; profile?: RunInfo['profile'] } | undefined;
  try {
    const bare = only && !only.has('bare') ? undefined : await withChild(await startBare(), (c) => measure(loadOptions(c), {
      name: 'bare', what: 'GET / on bare fastify (cookie, formbody, logger at warn)', next: () => ({ method: 'GET', path: '/' }),
    }));
    if (bare) show(bare);

    for (const instances of sizes) {
      const pool = poolFor(instances);
      const dataDir = reused ? path.resolve(reused) : fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-bench-'));
      log(`bench: ${instances.toLocaleString('en')} instances, pool ${pool.toLocaleString('en')}; data in ${dataDir}`);
      const dbName = `lvzhi_bench_${instances}`;
      try {
        const seed = reused ? await reuseSeed(dataDir) : await seedBench(dataDir, { instances, pool }, log);
        if (!reused) fs.writeFileSync(path.join(dataDir, SEED_FILE), JSON.stringify(seed));
        log(`seed: done in ${seed.seconds.toFixed(1)} s (${seed.counts.instances!.toLocaleString('en')} instances, ${seed.counts.tasks!.toLocaleString('en')} tasks, ${seed.counts.events!.toLocaleString('en')} events)`);
        const common = { instances, instancesInDatabase: seed.counts.instances! };
        // PostgreSQL gets a copy before SQLite's POSTs use up part of the pool: both start from the same rows.
        const pgHere = pg && pgScales(sizes).includes(instances) ? pg : undefined;
        const pgUrl = pgHere ? await pgHere.createDatabase(dbName) : undefined;
        if (pgHere && pgUrl) await copySqliteToPostgres(dataDir, pgUrl, pgHere.dir, log);

        // A fresh server per scenario: a slow one leaves requests queued that would run into the next.
        const cursor = { i: 0 };
        const scenarios = await measureSet({ dataDir }, 1, seed, cursor, only, `SQLite, ${instances.toLocaleString('en')}`);
        sets.push({ database: 'sqlite', processes: 1, ...common, scenarios });
        if (instances === config.instances) {
          primary = { seed, scenarios };
          if (only?.has('profile')) {
            const of = process.env.BENCH_PROFILE_OF ?? 'submit';
            const p = (await profileSubmit(dataDir, seed, cursor, of))!;
            log(`profile: ${(p.summary.totalMs / p.requests).toFixed(2)} ms of main-thread CPU per ${of}, idle ${(100 * p.summary.idleMs / (p.summary.totalMs + p.summary.idleMs)).toFixed(0)} %`);
            for (const m of p.summary.modules.slice(0, 12)) log(`  ${m.module.padEnd(40)} ${(100 * m.share).toFixed(1).padStart(5)} %`);
            for (const f of p.summary.functions.slice(0, 25)) log(`  ${(f.fn + ' ' + f.module).padEnd(60)} ${(100 * f.share).toFixed(1).padStart(5)} %`);
          } else if (!only && bare && process.env.BENCH_PROFILE !== '0') {
            primary.profile = await profileSubmit(dataDir, seed, cursor);
          }
        }
        if (pgUrl) {
          const pgCursor = { i: 0 };
          for (const processes of pgProcesses()) {
            const m = await measureSet({ dataDir, databaseUrl: pgUrl }, processes, seed, pgCursor, only, `PostgreSQL, ${processes} process(es), ${instances.toLocaleString('en')}`, pg!.pids);
            sets.push({ database: 'postgres', processes, ...common, scenarios: m });
          }
        }
      } finally {
        if (pg && pgScales(sizes).includes(instances)) await pg.dropDatabase(dbName);
        if (process.env.BENCH_KEEP !== '1' && !reused) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }

    // Issue 15's group-step targets, on a database of their own (bench/group-step.ts), in a process of
    // its own with the server's heap flags, so its peak RSS is the engine's with a 6,007-member step open.
    const group = only && !only.has('group') ? undefined : await groupStepsInChild();
    if (group) log(groupLine(group));
    if (only || !bare || !primary) return; // a partial run: printed above, no report

    const run: RunInfo = {
      started, machine: { cpu: cpuModel(), cores: os.cpus().length }, config, seed: primary.seed, bare, scenarios: primary.scenarios,
      serverPeakRssMb: Math.max(...sets.flatMap((s) => s.scenarios.map((m) => m.peakRssMb))), profile: primary.profile,
      loadBefore, loadAfter: os.loadavg(), sets, ...(pg && { postgres: pg.describe }), ...(group && { group }),
    };
    const report = path.resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
    fs.writeFileSync(report, renderReport(run, keptPart(report)));
    log(`report: ${path.relative(ROOT, report)}`);
    const results = path.resolve(ROOT, process.env.BENCH_RESULTS ?? 'bench/results.json');
    writeResults(results, benchResults(run, { date: started.toISOString(), commit, node: process.version }));
    log(`results: ${path.relative(ROOT, results)}`);
    console.log(`submit/bare ratio: ${submitRatio(run).toFixed(3)}`);
  } finally {
    await pg?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

// run.ts: `npm run bench`: seed, measure the bare route and the real server's scenarios, profile
// the POST, write docs/benchmarks.md, and print `submit/bare ratio: X.XXX` as the last line.
//
// Environment: BENCH_INSTANCES (default 1e6), BENCH_POOL (POST pool, default 50000),
// BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_RATE (req/s of the
// steady run after each scenario's saturated one, default 50, 0: none), BENCH_PROFILE=0 (skip the
// profile), BENCH_KEEP=1 (keep the data directory), BENCH_REPORT (default docs/benchmarks.md),
// BENCH_DATA=<dir> (measure on a directory an earlier BENCH_KEEP=1 run seeded, kept afterwards:
// its pool tasks already completed are skipped), BENCH_ONLY=bare,submit (run only these
// scenarios and print them, no report: for trying a change; `profile` there profiles the POST
// and prints the summary).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestSpec } from 'autocannon';
import { csrfOf, inputOf, login, page, type Session } from './client.ts';
import { measure, type LoadOptions, type Measurement, type Scenario } from './load.ts';
import { mainThreadProfile, summariseProfile } from './profile.ts';
import { keptPart, renderReport, submitRatio, type RunInfo } from './report.ts';
import { seedBench, type SeedResult } from './seed.ts';
import { openDb } from '../engine/store/db.ts';
import { ROOT, startBare, startLvzhi, type Child } from './servers.ts';
import { groupLine, measureGroupSteps } from './group-step.ts';

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
  rate: envNumber('BENCH_RATE', 50, 0),
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
    + `CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req (main ${m.mainCpuMsPerRequest.toFixed(2)})  RSS ${m.peakRssMb.toFixed(0)} MB  errors ${m.errors}${m.errorDetail ? ` (${m.errorDetail})` : ''}${m.exhausted ? '  POOL RAN OUT' : ''}`);
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
async function profileSubmit(dataDir: string, seed: SeedResult, cursor: { i: number }): Promise<RunInfo['profile']> {
  const dir = path.join(dataDir, 'cpu-prof');
  // The sources, not the bundle: the profile then names our files (engine/runtime, engine/store …).
  const child = await startLvzhi(dataDir, ['--cpu-prof', `--cpu-prof-dir=${dir}`], { LVZHI_NO_BUNDLE: '1' });
  const m = await withChild(child, async (c) => measure({ ...loadOptions(c), warmup: 1 }, await submitScenario(`http://127.0.0.1:${c.port}`, seed, cursor)), 60_000);
  const file = mainThreadProfile(dir, child.pid);
  if (!file) throw new Error(`bench: no .cpuprofile was written to ${dir}`);
  log(`profile: ${file}`);
  const summary = summariseProfile(file, 25, m.windowUs);
  if (summary.totalMs + summary.idleMs < 100) throw new Error(`bench: the profile ${file} has no samples in the measured run`);
  return { summary, requests: m.responses, seconds: m.seconds };
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

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  const reused = process.env.BENCH_DATA;
  const dataDir = reused ? path.resolve(reused) : fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-bench-'));
  log(`bench: ${config.instances.toLocaleString('en')} instances, pool ${config.pool.toLocaleString('en')}, -c ${config.connections} -d ${config.duration} (warm-up ${config.warmup} s); data in ${dataDir}`);
  try {
    const seed = reused ? await reuseSeed(dataDir) : await seedBench(dataDir, { instances: config.instances, pool: config.pool }, log);
    if (!reused) fs.writeFileSync(path.join(dataDir, SEED_FILE), JSON.stringify(seed));
    log(`seed: done in ${seed.seconds.toFixed(1)} s (${seed.counts.instances!.toLocaleString('en')} instances, ${seed.counts.tasks!.toLocaleString('en')} tasks, ${seed.counts.events!.toLocaleString('en')} events)`);

    const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : undefined;
    const bare = only && !only.has('bare') ? undefined : await withChild(await startBare(), (c) => measure(loadOptions(c), {
      name: 'bare', what: 'GET / on bare fastify (cookie, formbody, logger at warn)', next: () => ({ method: 'GET', path: '/' }),
    }));
    if (bare) show(bare);

    // A fresh server per scenario: a slow one leaves requests queued that would run into the next.
    const cursor = { i: 0 };
    const scenarios: Measurement[] = [];
    for (const [name, make] of serverScenarios(seed, cursor)) {
      if (only && !only.has(name)) continue;
      const m = await withChild(await startLvzhi(dataDir), async (c) => measure(loadOptions(c, config.rate), await make(`http://127.0.0.1:${c.port}`)));
      show(m);
      scenarios.push(m);
    }
    const serverPeakRssMb = Math.max(...scenarios.map((m) => m.peakRssMb));
    if (only?.has('profile')) {
      const p = (await profileSubmit(dataDir, seed, cursor))!;
      log(`profile: ${(p.summary.totalMs / p.requests).toFixed(2)} ms of main-thread CPU per POST, idle ${(100 * p.summary.idleMs / (p.summary.totalMs + p.summary.idleMs)).toFixed(0)} %`);
      for (const m of p.summary.modules.slice(0, 12)) log(`  ${m.module.padEnd(40)} ${(100 * m.share).toFixed(1).padStart(5)} %`);
      for (const f of p.summary.functions.slice(0, 25)) log(`  ${(f.fn + ' ' + f.module).padEnd(60)} ${(100 * f.share).toFixed(1).padStart(5)} %`);
    }
    // Issue 15's group-step targets, in process on a database of their own (bench/group-step.ts).
    const group = only && !only.has('group') ? undefined : await measureGroupSteps();
    if (group) log(groupLine(group));
    if (only || !bare) return; // a partial run: printed above, no report

    const profile = process.env.BENCH_PROFILE === '0' ? undefined : await profileSubmit(dataDir, seed, cursor);
    const run: RunInfo = { started, config, seed, bare, scenarios, serverPeakRssMb, profile, loadBefore, ...(group && { group }) };
    const report = path.resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
    fs.writeFileSync(report, renderReport(run, keptPart(report)));
    log(`report: ${path.relative(ROOT, report)}`);
    console.log(`submit/bare ratio: ${submitRatio(run).toFixed(3)}`);
  } finally {
    if (process.env.BENCH_KEEP !== '1' && !reused) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

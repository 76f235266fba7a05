// report.ts: docs/benchmarks.md from one run: machine, versions, seeding, the scenario table, the
// issue-5 targets, and the CPU profile of the POST. Text after the KEEP marker is hand-written
// (what was tried and what it gave) and survives every run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PACED_CONNECTIONS, type Measurement } from './load.ts';
import type { GroupBenchResult } from './group-step.ts';
import { ROOT } from './servers.ts';
import { scaleRecords, type ScaleRecord } from './results.ts';

export const KEEP = '<!-- Everything below this line is written by hand and kept by `npm run bench`. -->';

export type { MeasuredSet, RunInfo } from './run-info.ts';
import type { MeasuredSet, RunInfo } from './run-info.ts';

export function cpuModel(): string {
  const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  return /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  try {
    const rel = fs.readFileSync('/etc/os-release', 'utf8');
    return `${/PRETTY_NAME="([^"]+)"/.exec(rel)?.[1] ?? os.type()}, Linux ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

function version(pkg: string): string {
  const require = createRequire(path.join(ROOT, 'package.json'));
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return '?';
  }
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const int = (n: number) => Math.round(n).toLocaleString('en');

export function submitRatio(run: RunInfo): number {
  const submit = run.scenarios.find((s) => s.name === 'submit');
  return submit && run.bare.rps > 0 ? submit.rps / run.bare.rps : NaN;
}

function scenarioTable(run: RunInfo): string[] {
  const rows = [run.bare, ...run.scenarios].map((m) => {
    const ratio = run.bare.rps > 0 ? m.rps / run.bare.rps : NaN;
    const errors = m.errors === 0 ? '0' : `${int(m.errors)} (${m.errorDetail})`;
    return `| ${m.name} | ${m.what} | ${int(m.rps)} | ${f1(m.aloneMs)} | ${f1(m.p50)} | ${f1(m.p95)} | ${f1(m.p99)} | ${f2(m.cpuMsPerRequest)} | ${f2(m.mainCpuMsPerRequest)} | ${ratio.toFixed(3)} | ${errors}${m.exhausted ? ' (pool ran out)' : ''} | ${int(m.peakRssMb)} |`;
  });
  return [
    '| Scenario | Request | req/s | alone ms | p50 ms | p95 ms | p99 ms | server CPU ms/req | of which main thread | × bare req/s | errors | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...rows,
  ];
}

function pacedTable(run: RunInfo): string[] {
  const paced = run.scenarios.filter((m) => m.paced);
  if (paced.length === 0) return ['(No steady run: BENCH_RATE=0.)'];
  return [
    `The same scenarios on a fresh server, offered a steady ${run.config.rate} requests per second over ${PACED_CONNECTIONS} connections for ${run.config.duration} s (autocannon \`overallRate\`), after the saturated run above: the latency a user sees when the server is busy but not overrun. For scale: 6,007 deputies and the congress staff each opening a page every minute would be about 100 pages a second at the busiest moment of a session.`,
    '',
    '| Scenario | offered req/s | served req/s | p50 ms | p95 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...paced.map((m) => `| ${m.name} | ${m.paced!.rate} | ${int(m.paced!.rps)} | ${f1(m.paced!.p50)} | ${f1(m.paced!.p95)} | ${f1(m.paced!.p99)} | ${int(m.paced!.errors)} |`),
  ];
}

function targets(run: RunInfo): string[] {
  const at1m = run.config.instances >= 1_000_000;
  const p95 = (name: string) => run.scenarios.find((s) => s.name === name)?.p95 ?? NaN;
  const scale = at1m ? '' : ` (measured at ${int(run.config.instances)} instances, not 1 M: not a verdict)`;
  const verdict = (ok: boolean, scaled = true) => (!scaled || at1m ? (ok ? '**met**' : '**not met**') : ok ? 'met at this size' : 'not met at this size');
  const ratio = submitRatio(run);
  return [
    '| Target | Measured | Verdict |',
    '|---|---|---|',
    ...issue16Targets(run, verdict, scale),
    `| (issue 5) form POST ≥ 0.20 × bare req/s | ${ratio.toFixed(3)} | ${verdict(ratio >= 0.2, false)} |`,
    `| (issue 5) inbox p95 < 20 ms at 1 M instances | ${f1(p95('inbox'))} ms${scale} | ${verdict(p95('inbox') < 20)} |`,
    `| (issue 5) list p95 < 20 ms at 1 M instances | ${f1(p95('list'))} ms${scale} | ${verdict(p95('list') < 20)} |`,
    ...groupTargets(run.group),
  ];
}

/** Issue 16's targets, on the largest SQLite set (and PostgreSQL's where it says so). */
function issue16Targets(run: RunInfo, verdict: (ok: boolean, scaled?: boolean) => string, scale: string): string[] {
  const bare = run.bare.rps;
  const of = (name: string) => run.scenarios.find((s) => s.name === name);
  const rows: string[] = [];
  const submit = of('submit');
  if (submit) {
    const x = submit.rps / bare;
    rows.push(`| (issue 16) completion POST ≥ 0.05 × bare req/s, server CPU ≤ 1.6 ms per completion | ${x.toFixed(4)} × bare, ${f2(submit.cpuMsPerRequest)} ms${scale} | ${verdict(x >= 0.05 && submit.cpuMsPerRequest <= 1.6)} |`);
  }
  for (const name of ['inbox', 'instance', 'list']) {
    const m = of(name);
    if (!m) continue;
    const x = m.rps / bare;
    rows.push(`| (issue 16) ${name}: server CPU ≤ 1.0 ms per request, ≥ 0.10 × bare req/s | ${f2(m.cpuMsPerRequest)} ms, ${x.toFixed(4)} × bare${scale} | ${verdict(m.cpuMsPerRequest <= 1.0 && x >= 0.1)} |`);
    if (m.paced) {
      const note = m.paced.rate === 100 ? '' : ` (at ${m.paced.rate} req/s, not the target's 100: not a verdict)`;
      rows.push(`| (issue 16) ${name}: p95 < 15 ms at a steady 100 req/s | ${f1(m.paced.p95)} ms${note}${scale} | ${note ? '–' : verdict(m.paced.p95 < 15)} |`);
    }
  }
  const scales = [...new Set(run.sets.map((s) => s.instances))].sort((a, b) => a - b);
  const spreads = scaleRecords(run).filter((r) => r.cpuSpread !== null);
  if (spreads.length > 0) {
    const full = scales.includes(10_000) && scales.includes(100_000) && scales.includes(1_000_000);
    const groups = [...new Set(spreads.map((r) => setName(r)))];
    const widest = groups.map((g) => spreads.filter((r) => setName(r) === g).reduce((a, b) => (b.cpuSpread! > a.cpuSpread! ? b : a)));
    const ok = spreads.every((r) => r.cpuSpread! <= 0.2);
    rows.push(`| (issue 16) CPU per request within 20 % across 10 K, 100 K and 1 M instances | widest spread across ${scales.map(int).join(', ')}: ${widest.map((w) => `${setName(w)} ${pct(w.cpuSpread)} (${w.scenario})`).join('; ')} | ${full ? (ok ? '**met**' : '**not met**') : ok ? 'met across these scales' : 'not met across these scales'} |`);
  }
  const pgSets = run.sets.filter((s) => s.database === 'postgres');
  rows.push(`| (issue 16) the same scenarios on PostgreSQL, one process and two | ${pgSets.length > 0 ? `measured: ${[...new Set(pgSets.map((s) => s.processes))].join(' and ')} process(es) at ${[...new Set(pgSets.map((s) => int(s.instances)))].join(', ')} instances (Every set)` : 'not measured (BENCH_PG=1)'} | ${pgSets.length > 0 ? 'measured' : '–'} |`);
  const g = run.group?.peakRssMb;
  const withGroup = g === undefined || g === null ? '' : `; with a ${int(run.group!.members)}-member group step open: ${int(g)} MB (bench/group-step.ts in a process of its own with the server's flags: the engine in process, its sources through tsx, not the bundle \`lvzhi serve\` runs)`;
  rows.push(`| (issue 16) peak RSS of lvzhi serve < 200 MB through every scenario at 1 M instances, and with a 6,007-member group step open | ${int(run.serverPeakRssMb)} MB (largest over every set)${scale}${withGroup} | ${verdict(run.serverPeakRssMb < 200 && (g === undefined || g === null || g < 200))} |`);
  return rows;
}

/** Issue 15: entering a step for 6,007 members under 2 s; a member's completion within 2× a single task's. */
function groupTargets(g: GroupBenchResult | undefined): string[] {
  if (!g) return [];
  const ratio = g.memberMedianMs / g.singleMedianMs;
  return [
    `| (issue 15) entering a group step for ${int(g.members)} members < 2 s | ${int(g.enterMedianMs)} ms (median of ${g.enterMs.length}, SQLite, in process) | ${g.enterMedianMs < 2000 ? '**met**' : '**not met**'} |`,
    `| (issue 15) a member's completion at ${int(g.members)} within 2× a single task's | ${f1(g.memberMedianMs)} ms vs ${f1(g.singleMedianMs)} ms: ${f2(ratio)}× (medians of ${g.memberMs.length}, alternating) | ${ratio <= 2 ? '**met**' : '**not met**'} |`,
  ];
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(0)} %`);
const fx = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
const setName = (r: { database: string; processes: number }) => `${r.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.processes} process${r.processes > 1 ? 'es' : ''}`;

/** Scenario × scale: CPU ms/req, req/s and × bare at each instance count, with the spread of the CPU. */
function scaleSection(run: RunInfo): string[] {
  const rows = scaleRecords(run);
  const scales = [...new Set(run.sets.map((s) => s.instances))].sort((a, b) => a - b);
  if (scales.length < 2) return [`(One scale only, ${int(scales[0] ?? run.config.instances)} instances: set BENCH_SCALES for the table.)`];
  const cell = (r: ScaleRecord, n: number) => {
    const p = r.points.find((x) => x.instances === n);
    return p ? `${fx(p.cpuMsPerRequest, 2)} ms · ${p.reqPerSec === null ? '–' : int(p.reqPerSec)} req/s · ${fx(p.xBare, 4)}` : '–';
  };
  return [
    'Each cell: server CPU ms per request · req/s · × bare req/s, each scale on a database seeded for it alone (the same mix, so the number of instances is what changes). Spread: (largest − smallest) ÷ smallest CPU ms/req across the scales (target: within 20 %).',
    '',
    `| Scenario | Database | ${scales.map((n) => `${int(n)} instances`).join(' | ')} | CPU spread |`,
    `|---|---|${scales.map(() => '---:').join('|')}|---:|`,
    ...rows.map((r) => `| ${r.scenario} | ${setName(r)} | ${scales.map((n) => cell(r, n)).join(' | ')} | ${pct(r.cpuSpread)} |`),
  ];
}

/** Every measured set in one table: SQLite and PostgreSQL side by side per scale. */
function setsSection(run: RunInfo): string[] {
  if (run.sets.length < 2) return ['(One set only: the results table above.)'];
  const order = (m: string) => ['inbox', 'instance', 'list', 'submit'].indexOf(m);
  const rows = run.sets.flatMap((s) => s.scenarios.map((m) => ({ s, m })))
    .sort((a, b) => a.s.instances - b.s.instances || order(a.m.name) - order(b.m.name) || (a.s.database === 'sqlite' ? 0 : 1) - (b.s.database === 'sqlite' ? 0 : 1) || a.s.processes - b.s.processes);
  return [
    'Server CPU: the lvzhi processes and, on PostgreSQL, the database server\'s processes (the postmaster and its children, /proc), per response; on SQLite the database works inside lvzhi\'s process. With two processes autocannon spreads its connections over both ports (round-robin, as a load balancer would), CPU is summed over both, peak RSS is the larger.',
    '',
    '| Instances | Scenario | Database | req/s | server CPU ms/req | of which main thread | of which PostgreSQL | p50 ms | p95 ms | p99 ms | × bare | errors | peak RSS MB | steady p95 ms |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
    ...rows.map(({ s, m }) => `| ${int(s.instances)} | ${m.name} | ${setName(s)} | ${int(m.rps)} | ${f2(m.cpuMsPerRequest)} | ${f2(m.mainCpuMsPerRequest)} | ${f2(m.databaseCpuMsPerRequest)} | ${f1(m.p50)} | ${f1(m.p95)} | ${f1(m.p99)} | ${(m.rps / run.bare.rps).toFixed(4)} | ${m.errors === 0 ? '0' : `${int(m.errors)} (${m.errorDetail})`}${m.exhausted ? ' (pool ran out)' : ''} | ${int(m.peakRssMb)} | ${m.paced ? f1(m.paced.p95) : '–'} |`),
  ];
}

function profileSection(run: RunInfo): string[] {
  if (!run.profile) return ['(Profile skipped: BENCH_PROFILE=0.)'];
  const { summary, requests, seconds } = run.profile;
  const perReq = requests > 0 ? summary.totalMs / requests : NaN;
  return [
    `\`node --cpu-prof\` on a fresh \`lvzhi serve\` (its TypeScript sources through tsx, LVZHI_NO_BUNDLE=1, so the profile names our files) during ${f1(seconds)} s of the submit scenario (${int(requests)} requests; `
      + `${int(summary.totalMs)} ms of sampled main-thread CPU, ${f2(perReq)} ms per request; SQLite's own work runs on the libuv `
      + 'thread pool and is not in this profile, only in the CPU ms/req column above; `(program)` is native code V8 cannot attribute, '
      + 'such as the C++ half of the sqlite3 binding and HTTP parsing). Self time by module:',
    '',
    '| Module | self ms | share |',
    '|---|---:|---:|',
    // The top 15, plus the modules the question is about wherever they rank.
    ...summary.modules.filter((m, i) => i < 15 || /^(xstate|knex|sqlite3|handlebars|JSON|ours:)/.test(m.module))
      .map((m) => `| ${m.module} | ${int(m.ms)} | ${(m.share * 100).toFixed(1)}% |`),
    '',
    'Top functions by self time:',
    '',
    '| Function | Module | share |',
    '|---|---|---:|',
    ...summary.functions.slice(0, 20).map((f) => `| \`${f.fn.replaceAll('|', '\\|')}\` | ${f.module} | ${(f.share * 100).toFixed(1)}% |`),
  ];
}

/** What each key of bench/results.json means (bench/results.ts writes it; test/bench/results.test.ts checks the shape). */
export const RESULTS_KEYS = `The same run's figures for a machine to read, keys in this order (numbers rounded; \`null\` where a figure could not be measured, such as CPU per request when no response came back):

\`\`\`
{
  "format": "lvzhi-bench-results/1",       // this layout
  "date": string,                          // start of the run, ISO 8601 UTC
  "commit": string,                        // git rev-parse --short HEAD, "-dirty" when a tracked file had changes
  "node": string,                          // process.version of the run (the servers run the same Node)
  "machine": { "cpu": string, "cores": number, "loadAverageBefore": [1, 5, 15 min], "loadAverageAfter": [1, 5, 15 min] },
  "config": { "durationSeconds", "connections", "warmupSeconds", "steadyReqPerSec", "pool" },   // pool: POST pool at the largest scale
  "databases": { "sqlite": string, "postgres": string | null },                                // versions (and how PostgreSQL ran)
  "bare": Record,                          // the bare fastify route, the × bare baseline
  "scenarios": [Record],                   // one per scenario × database × scale × server processes
  "scale": [{                              // the scale table, per database, process count and scenario
    "scenario", "database", "processes",
    "points": [{ "instances", "cpuMsPerRequest", "reqPerSec", "xBare" }],                      // smallest scale first
    "cpuSpread": number | null             // (largest − smallest) ÷ smallest cpuMsPerRequest; target ≤ 0.20
  }],
  "groupStep": { "mode", "members", "database", "enterMedianMs", "memberCompletionMedianMs",
                 "singleCompletionMedianMs", "memberOverSingle", "runs", "peakRssMb" } | null                // issue 15, in process
}
Record = {
  "scenario": "bare" | "inbox" | "instance" | "list" | "submit",
  "request": string,                       // what one request does
  "database": "sqlite" | "postgres",
  "instances": number,                     // the scale asked for (BENCH_SCALES / BENCH_INSTANCES); 0 for bare
  "instancesInDatabase": number,           // instances in the database: the scale plus the POST pool and the templates
  "processes": number,                     // lvzhi serve processes sharing the load (PostgreSQL: 1 or 2)
  "reqPerSec": number,                     // responses ÷ seconds of the measured (saturated) run
  "cpuMsPerRequest": number,               // server CPU (utime+stime) per response: lvzhi's processes, plus PostgreSQL's on postgres
  "mainThreadCpuMsPerRequest": number,     // of which lvzhi's main thread(s): JavaScript, HTTP, knex
  "mainThreadShare": number,               // mainThreadCpuMsPerRequest ÷ cpuMsPerRequest
  "databaseCpuMsPerRequest": number|null,  // of which the PostgreSQL server's processes; null on SQLite (in process)
  "aloneMs": number,                       // median latency of requests sent one at a time to the idle server
  "p50Ms", "p95Ms", "p99Ms": number,       // latency percentiles of every response of the saturated run
  "xBare": number,                         // reqPerSec ÷ the bare route's reqPerSec of the same run
  "errors": number, "errorDetail": string, // responses other than the scenario's success, socket errors, timeouts
  "poolRanOut": boolean,                   // submit only: the pool of open tasks was used up before the run ended
  "peakRssMb": number,                     // VmHWM of the lvzhi process (the larger of two)
  "steady": { "offeredReqPerSec", "reqPerSec", "p50Ms", "p95Ms", "p99Ms", "errors" } | null,   // the paced run
  "date", "commit", "node": string         // as at the top, so one record stands alone
}
\`\`\``;

/** The command that reproduces this run (the environment it was given). */
function runCommand(run: RunInfo): string {
  const env = Object.entries(process.env).filter(([k]) => /^BENCH_|^GROUP_RUNS$/.test(k) && k !== 'BENCH_REPORT' && k !== 'BENCH_RESULTS');
  return [...env.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`), 'npm run bench'].join(' ') || `BENCH_INSTANCES=${run.config.instances} npm run bench`;
}

export function renderReport(run: RunInfo, kept: string): string {
  const c = run.config;
  const s = run.seed;
  const gb = (os.totalmem() / 1024 ** 3).toFixed(1);
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${run.started.toISOString().slice(0, 16).replace('T', ' ')} UTC, with bench/results.json beside it. Do not edit above the marker at the end; rerun instead.`,
    '',
    `This run: \`${runCommand(run)}\`. The full run the issue asks for (10 K, 100 K and 1 M instances, SQLite and PostgreSQL, one and two processes; the 1 M seed alone takes minutes of both cores): \`BENCH_SCALES=10000,100000,1000000 BENCH_PG=1 npm run bench\`.`,
    '',
    '## bench/results.json',
    '',
    RESULTS_KEYS,
    '',
    '## Machine and versions',
    '',
    `- CPU: ${run.machine.cpu}, ${run.machine.cores} cores; RAM ${gb} GB; load average (1 / 5 / 15 min) before the run ${run.loadBefore.map((l) => l.toFixed(2)).join(' / ')}${run.loadAfter ? `, after it ${run.loadAfter.map((l) => l.toFixed(2)).join(' / ')}` : ''}`,
    `- OS: ${osName()}`,
    `- Node ${process.version}; ${s.database} (sqlite3 ${version('sqlite3')}, knex ${version('knex')}${run.postgres ? `, pg ${version('pg')}` : ''}); fastify ${version('fastify')}, xstate ${version('xstate')}, handlebars ${version('handlebars')}; autocannon ${version('autocannon')}`,
    ...(run.postgres ? [`- ${run.postgres}`] : []),
    '',
    '## How it runs',
    '',
    `- Data: ${int(c.instances)} instances copied from instances the engine really ran (bench/seed.ts, engine/store/bench-seed.ts): 81% closed suggestions, the rest bills and suggestions at every step, spread over three years and ${int(6000)} generated deputies; plus a pool of ${int(c.pool)} bills waiting for their last co-signer. Rows: ${int(s.counts.instances!)} instances, ${int(s.counts.tasks!)} tasks, ${int(s.counts.events!)} events, ${int(s.counts.timers!)} timers. Seeding took ${f1(s.seconds)} s (templates through the engine ${f1(s.templateSeconds)} s, copies ${f1(s.cloneSeconds)} s).`,
    `- \`${s.viewUser}\` (审查交办, 代表工委) is the viewer of the inbox, instance and list scenarios: ${int(s.counts.openRoleTasks!)} open review-office tasks, ${int(s.counts.doneByUser!)} done.`,
    `- Each scenario: autocannon in the parent process, ${c.connections} connections on 127.0.0.1, ${c.warmup} s warm-up (not counted), then ${c.duration} s measured. Servers are child processes, both with Node's --max-old-space-size=512, lvzhi also with --max-semi-space-size=16 and MALLOC_ARENA_MAX=2 (as \`npm start\` runs it): the bare route (bench/bare-server.ts) and \`node bin/lvzhi.mjs serve --demo\` (the bundle \`npm run build:server\` made) with LOG_LEVEL=warn on the seeded DATA_DIR.`,
    '- alone ms: the median of up to five requests sent one at a time to the idle server after the warm-up (the service time without queueing).',
    '- CPU ms/req: the server process\'s utime+stime (/proc/<pid>/stat, all threads including SQLite\'s) over the measured run, divided by the responses it got (– when none came back); of which main thread: the same for the main thread alone (/proc/<pid>/task/<pid>/stat: JavaScript, HTTP, knex), the rest being SQLite\'s statements on libuv\'s thread pool and V8\'s GC helpers. Peak RSS: VmHWM. Latencies: every response (a timeout counts as 10 s). Errors: any status other than the scenario\'s success (2xx/3xx; for submit only a 303 to the instance page), socket errors and timeouts.',
    '- The load generator shares the 2 cores with the server, so req/s is the noisier figure; CPU ms/req is the steadier one.',
    `- Scales (\`BENCH_SCALES\`, smallest first): each instance count is seeded on a data directory of its own by the same code (bench/seed.ts: the same templates and mix, a POST pool of a tenth of the instances, at least 10,000 and at most 50,000 unless \`BENCH_POOL\` says), measured, and removed before the next; the tables above the scale table describe the largest, on SQLite.`,
    ...(run.postgres ? [
      `- PostgreSQL (\`BENCH_PG=1\`, bench/postgres.ts): ${run.postgres}; started as the tests' PG pass starts theirs (test/setup/postgres.ts: \`initdb\` and \`pg_ctl\` from /usr/lib/postgresql/<newest>/bin in a temp dir, as the \`postgres\` system user under root, C collation), but with durability left on. Per scale, a database of its own is migrated by the engine (\`openDb\`) and filled with a copy of the SQLite seed made before SQLite's POSTs run (every table as CSV, \`COPY … FROM\`, triggers off while loading, serial counters moved on, then \`ANALYZE\`). Then the same scenarios with one \`lvzhi serve\` (DATABASE_URL), then two on their own ports behind the same database: autocannon spreads its connections over both ports round-robin (as a load balancer would), the warm-up sends one connection to each, and CPU counts both lvzhi processes plus the postmaster and its children; the two-process run continues the POST pool where the one-process run left it.`,
    ] : []),
    '',
    '## Results',
    '',
    `SQLite, one process, ${int(c.instances)} instances (the largest scale of the run):`,
    '',
    ...scenarioTable(run),
    '',
    '### At a steady rate',
    '',
    ...pacedTable(run),
    '',
    '## Scale',
    '',
    ...scaleSection(run),
    '',
    '## Every set: SQLite and PostgreSQL',
    '',
    ...setsSection(run),
    '',
    '## Targets',
    '',
    ...targets(run),
    '',
    '## Profile of the form POST',
    '',
    ...profileSection(run),
    '',
    KEEP,
    '',
    kept.trim() ? kept.trim() : [
      '## What we tried',
      '',
      '(Nothing yet: this is the first measurement, before any optimisation. Record each attempt here with the run that measured it.)',
    ].join('\n'),
    '',
  ].join('\n');
}

/** The hand-written part of an existing docs/benchmarks.md (after the marker), or ''. */
export function keptPart(file: string): string {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf(KEEP);
  return at >= 0 ? text.slice(at + KEEP.length) : '';
}

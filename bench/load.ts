// load.ts: one scenario against one server process: autocannon from this process on loopback,
// latencies from every response, and the server's CPU time and peak RSS read from /proc.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import autocannon, { type RequestSpec, type Result } from 'autocannon';

export interface Scenario {
  name: string;
  /** What the scenario does, for the report. */
  what: string;
  /** The next request; undefined when there is nothing left to send (the POST pool ran out). */
  next(): RequestSpec | undefined;
  /** Whether a response is a success (default: 2xx or 3xx). */
  ok?(status: number, headers: Record<string, string>): boolean;
}

export interface LoadOptions {
  port: number;
  pid: number;
  /** More server processes behind the same database: autocannon spreads its connections over all the ports (round-robin), CPU is summed over all the processes, peak RSS is the largest. */
  also?: { port: number; pid: number }[];
  /** The database server's processes (PostgreSQL: the postmaster and its children), read at the start and end of the measured run. */
  databasePids?: () => number[];
  connections: number;
  duration: number;
  warmup: number;
  /** Also measure the latencies at this steady rate (req/s over PACED_CONNECTIONS connections); 0: not. */
  rate?: number;
}

/** Latencies at a steady offered rate, below what the server can take: its service time, little queueing. */
export interface Paced {
  rate: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

export interface Measurement {
  name: string;
  what: string;
  seconds: number;
  responses: number;
  sent: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Status codes and failures that counted as errors, e.g. `422×3`. */
  errorDetail: string;
  /** All server-side CPU per response: the lvzhi processes, and the database server's processes when it has its own (PostgreSQL). */
  cpuMsPerRequest: number;
  /** Of which the database server's processes (NaN on SQLite, which runs inside lvzhi's process). */
  databaseCpuMsPerRequest: number;
  /** Of which lvzhi's main thread(s) (mainThreadCpuMs). */
  mainCpuMsPerRequest: number;
  /** Median latency of a few requests sent one at a time on an idle server (the service time). */
  aloneMs: number;
  peakRssMb: number;
  /** The scenario stopped early because `next()` ran out. */
  exhausted: boolean;
  /** The measured run on the monotonic clock, µs (the clock V8's profiler stamps samples with). */
  windowUs: [number, number];
  paced?: Paced;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in ms. */
export function cpuMs(pid: number): number {
  return statCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime 14 and stime 15 (proc(5)).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/**
 * The main thread's utime + stime, in ms: JavaScript and HTTP. The rest of cpuMs is other
 * threads: libuv's pool, where node-sqlite3 runs every statement, and V8's GC helpers (Node's
 * threads carry no names that would tell these apart).
 */
export function mainThreadCpuMs(pid: number): number {
  return statCpuMs(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
}

/** Peak resident set (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const pidsOf = (opts: LoadOptions): number[] => [opts.pid, ...(opts.also ?? []).map((o) => o.pid)];

/** utime + stime per process, ms; a process gone meanwhile is left out. */
function cpuByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuMs(pid));
    } catch {
      // exited between listing and reading
    }
  }
  return out;
}

/** CPU the processes listed at the end used since `before` (a process started meanwhile counts from 0; one that exited meanwhile is lost). */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the server uses under ~5% of a core for three samples in a row (requests the load
 * generator gave up on, the scheduler's first tick), at most `maxMs`.
 */
export async function waitIdle(pid: number, maxMs = 60_000): Promise<void> {
  const until = Date.now() + maxMs;
  let quiet = 0;
  let last = cpuMs(pid);
  while (Date.now() < until && quiet < 3) {
    await sleep(250);
    const now = cpuMs(pid);
    quiet = now - last <= 12.5 ? quiet + 1 : 0;
    last = now;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Run {
  result: Result;
  latencies: number[];
  bad: Map<string, number>;
  exhausted: boolean;
}

function run(opts: LoadOptions, scenario: Scenario, seconds: number, connections = opts.connections, overallRate?: number): Promise<Run> {
  const latencies: number[] = [];
  const bad = new Map<string, number>();
  let exhausted = false;
  const count = (k: string) => bad.set(k, (bad.get(k) ?? 0) + 1);
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: [opts.port, ...(opts.also ?? []).map((o) => o.port)].map((p) => `http://127.0.0.1:${p}`),
      connections,
      duration: seconds,
      timeout: 10,
      ...(overallRate && { overallRate }),
      requests: [{
        setupRequest: (req) => {
          const next = scenario.next();
          if (next) return { ...req, ...next };
          // Nothing left: stop, and send a harmless request meanwhile (it is not counted).
          if (!exhausted) setImmediate(() => instance.stop());
          exhausted = true;
          return { ...req, method: 'GET', path: '/static/htmx.min.js', headers: {}, body: undefined };
        },
        onResponse: (status, _body, _ctx, headers) => {
          if (exhausted) return;
          const ok = scenario.ok ? scenario.ok(status, headers) : status >= 200 && status < 400;
          if (!ok) count(String(status));
        },
      }],
    }, (err, result) => (err ? reject(err) : resolve({ result, latencies, bad, exhausted })));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      if (!exhausted) latencies.push(ms);
    });
  });
}

/** Up to five requests one after the other (at most ~30 s in all); the median latency. */
async function alone(opts: LoadOptions, scenario: Scenario): Promise<number> {
  const times: number[] = [];
  const until = Date.now() + 30_000;
  for (let i = 0; i < 5 && Date.now() < until; i++) {
    const req = scenario.next();
    if (!req) break;
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${opts.port}${req.path}`, {
      method: req.method, headers: req.headers, body: typeof req.body === 'string' ? req.body : undefined, redirect: 'manual', signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/**
 * Warm-up on one connection (JIT, caches; a slow scenario leaves at most one request behind), a
 * wait until the server is idle, then the measured run. CPU is read over the measured run only and
 * divided by the responses it got: at most `connections` requests are cut off at the end, and
 * the server is idle at the start, so the error is small unless responses are very few.
 */
/** Responses, percentiles and errors of one run. */
function statsOf(r: Run): { responses: number; rps: number; p50: number; p95: number; p99: number; errors: number; errorDetail: string } {
  const responses = r.latencies.length;
  // A request that timed out counts at the timeout, so it cannot flatter the percentiles.
  const sorted = [...r.latencies, ...new Array<number>(r.result.timeouts).fill(10_000)].sort((a, b) => a - b);
  // autocannon counts a timeout in `errors` too.
  const errors = [...r.bad.values()].reduce((a, b) => a + b, 0) + r.result.errors;
  const detail = [...r.bad].map(([k, n]) => `${k}×${n}`);
  if (r.result.timeouts > 0) detail.push(`timeout×${r.result.timeouts}`);
  if (r.result.errors - r.result.timeouts > 0) detail.push(`socket error×${r.result.errors - r.result.timeouts}`);
  return {
    responses, rps: responses / r.result.duration, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
    errors, errorDetail: detail.join(', '),
  };
}

export async function measure(opts: LoadOptions, scenario: Scenario): Promise<Measurement> {
  // One connection per server process, so each is warmed (JIT, caches) before the measured run.
  if (opts.warmup > 0) await run(opts, scenario, opts.warmup, pidsOf(opts).length);
  const pids = pidsOf(opts);
  for (const pid of pids) await waitIdle(pid, 30_000);
  const aloneMs = await alone(opts, scenario);
  for (const pid of pids) await waitIdle(pid, 30_000);
  const cpu0 = sum(pids.map(cpuMs));
  const main0 = sum(pids.map(mainThreadCpuMs));
  const db0 = opts.databasePids ? cpuByPid(opts.databasePids()) : undefined;
  const t0 = monotonicUs();
  const r = await run(opts, scenario, opts.duration);
  const t1 = monotonicUs();
  const cpu1 = sum(pids.map(cpuMs));
  const main1 = sum(pids.map(mainThreadCpuMs));
  const dbMs = db0 && opts.databasePids ? cpuSince(db0, cpuByPid(opts.databasePids())) : NaN;
  const stats = statsOf(r);
  const paced = opts.rate ? await pacedRun(opts, scenario, opts.rate) : undefined;
  return {
    ...(paced && { paced }),
    name: scenario.name, what: scenario.what, seconds: r.result.duration, responses: stats.responses, sent: r.result.requests.sent,
    rps: stats.rps, p50: stats.p50, p95: stats.p95, p99: stats.p99, errors: stats.errors, errorDetail: stats.errorDetail,
    cpuMsPerRequest: stats.responses > 0 ? (cpu1 - cpu0 + (Number.isNaN(dbMs) ? 0 : dbMs)) / stats.responses : NaN, aloneMs,
    databaseCpuMsPerRequest: stats.responses > 0 ? dbMs / stats.responses : NaN,
    mainCpuMsPerRequest: stats.responses > 0 ? (main1 - main0) / stats.responses : NaN,
    peakRssMb: Math.max(...pids.map(peakRssMb)), exhausted: r.exhausted, windowUs: [t0, t1],
  };
}

/**
 * Connections of the steady run: autocannon spreads the rate over them and their timers start
 * together, so each tick sends one request per connection at once; five keeps those bursts small.
 */
export const PACED_CONNECTIONS = 5;

/** `rate` requests per second over PACED_CONNECTIONS connections for the scenario's duration, after the server is idle again. */
async function pacedRun(opts: LoadOptions, scenario: Scenario, rate: number): Promise<Paced> {
  for (const pid of pidsOf(opts)) await waitIdle(pid, 30_000);
  const { rps, p50, p95, p99, errors } = statsOf(await run(opts, scenario, opts.duration, Math.min(PACED_CONNECTIONS, opts.connections), rate));
  return { rate, rps, p50, p95, p99, errors };
}

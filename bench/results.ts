// results.ts: bench/results.json, the figures of one `npm run bench` for a machine to read: one
// record per scenario and measured set (database, scale, server processes), the scale table with
// its spread, and the group-step figures. Keys are written in a fixed order and numbers rounded,
// so two runs diff line by line. docs/benchmarks.md ("bench/results.json") says what each key means.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Measurement } from './load.ts';
import type { MeasuredSet, RunInfo } from './run-info.ts';

export const RESULTS_FORMAT = 'lvzhi-bench-results/1';

/** Who made the figures: written into every record. */
export interface ResultsMeta {
  date: string;
  commit: string;
  node: string;
}

export interface SteadyRecord { offeredReqPerSec: number; reqPerSec: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; errors: number }

export interface ScenarioRecord {
  scenario: string;
  request: string;
  database: 'sqlite' | 'postgres';
  instances: number;
  instancesInDatabase: number;
  processes: number;
  reqPerSec: number | null;
  cpuMsPerRequest: number | null;
  mainThreadCpuMsPerRequest: number | null;
  mainThreadShare: number | null;
  databaseCpuMsPerRequest: number | null;
  aloneMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  xBare: number | null;
  errors: number;
  errorDetail: string;
  poolRanOut: boolean;
  peakRssMb: number | null;
  steady: SteadyRecord | null;
  date: string;
  commit: string;
  node: string;
}

export interface ScaleRecord {
  scenario: string;
  database: 'sqlite' | 'postgres';
  processes: number;
  points: { instances: number; cpuMsPerRequest: number | null; reqPerSec: number | null; xBare: number | null }[];
  /** (largest − smallest) ÷ smallest CPU ms/req over the points; null with fewer than two. */
  cpuSpread: number | null;
}

/** Rounded to `digits` decimals; NaN and ±Infinity become null (JSON has no NaN). */
export function num(x: number, digits = 3): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function steadyOf(m: Measurement): SteadyRecord | null {
  if (!m.paced) return null;
  return { offeredReqPerSec: m.paced.rate, reqPerSec: num(m.paced.rps, 1), p50Ms: num(m.paced.p50, 1), p95Ms: num(m.paced.p95, 1), p99Ms: num(m.paced.p99, 1), errors: m.paced.errors };
}

function recordOf(m: Measurement, set: Omit<MeasuredSet, 'scenarios'>, bareRps: number, meta: ResultsMeta): ScenarioRecord {
  return {
    scenario: m.name,
    request: m.what,
    database: set.database,
    instances: set.instances,
    instancesInDatabase: set.instancesInDatabase,
    processes: set.processes,
    reqPerSec: num(m.rps, 1),
    cpuMsPerRequest: num(m.cpuMsPerRequest),
    mainThreadCpuMsPerRequest: num(m.mainCpuMsPerRequest),
    mainThreadShare: num(m.mainCpuMsPerRequest / m.cpuMsPerRequest),
    databaseCpuMsPerRequest: num(m.databaseCpuMsPerRequest),
    aloneMs: num(m.aloneMs, 1),
    p50Ms: num(m.p50, 1),
    p95Ms: num(m.p95, 1),
    p99Ms: num(m.p99, 1),
    xBare: num(bareRps > 0 ? m.rps / bareRps : NaN, 4),
    errors: m.errors,
    errorDetail: m.errorDetail,
    poolRanOut: m.exhausted,
    peakRssMb: num(m.peakRssMb, 0),
    steady: steadyOf(m),
    date: meta.date,
    commit: meta.commit,
    node: meta.node,
  };
}

/** The scale table: per database, process count and scenario, CPU ms/req and req/s at each instance count. */
export function scaleRecords(run: Pick<RunInfo, 'sets' | 'bare'>): ScaleRecord[] {
  const out: ScaleRecord[] = [];
  const groups = new Map<string, MeasuredSet[]>();
  for (const s of run.sets) groups.set(`${s.database}:${s.processes}`, [...(groups.get(`${s.database}:${s.processes}`) ?? []), s]);
  for (const sets of groups.values()) {
    const byScale = [...sets].sort((a, b) => a.instances - b.instances);
    const names = [...new Set(byScale.flatMap((s) => s.scenarios.map((m) => m.name)))];
    for (const name of names) {
      const points = byScale.flatMap((s) => s.scenarios.filter((m) => m.name === name).map((m) => ({
        instances: s.instances, cpuMsPerRequest: num(m.cpuMsPerRequest), reqPerSec: num(m.rps, 1), xBare: num(run.bare.rps > 0 ? m.rps / run.bare.rps : NaN, 4),
      })));
      const cpu = points.map((p) => p.cpuMsPerRequest).filter((x): x is number => x !== null && x > 0);
      out.push({
        scenario: name, database: byScale[0]!.database, processes: byScale[0]!.processes, points,
        cpuSpread: cpu.length >= 2 ? num((Math.max(...cpu) - Math.min(...cpu)) / Math.min(...cpu)) : null,
      });
    }
  }
  return out;
}

/** The whole file, keys in a fixed order. */
export function benchResults(run: RunInfo, meta: ResultsMeta) {
  const bareSet = { database: 'sqlite' as const, instances: 0, instancesInDatabase: 0, processes: 1 };
  const g = run.group;
  return {
    format: RESULTS_FORMAT,
    date: meta.date,
    commit: meta.commit,
    node: meta.node,
    machine: { cpu: run.machine.cpu, cores: run.machine.cores, loadAverageBefore: run.loadBefore.map((x) => num(x, 2)), loadAverageAfter: (run.loadAfter ?? []).map((x) => num(x, 2)) },
    config: { durationSeconds: run.config.duration, connections: run.config.connections, warmupSeconds: run.config.warmup, steadyReqPerSec: run.config.rate, pool: run.config.pool },
    databases: { sqlite: run.seed.database, postgres: run.postgres ?? null },
    bare: recordOf(run.bare, bareSet, run.bare.rps, meta),
    scenarios: run.sets.flatMap((s) => s.scenarios.map((m) => recordOf(m, s, run.bare.rps, meta))),
    scale: scaleRecords(run),
    groupStep: g ? {
      mode: g.mode, members: g.members, database: 'sqlite',
      enterMedianMs: num(g.enterMedianMs, 1), memberCompletionMedianMs: num(g.memberMedianMs, 2), singleCompletionMedianMs: num(g.singleMedianMs, 2),
      memberOverSingle: num(g.memberMedianMs / g.singleMedianMs), runs: g.memberMs.length, peakRssMb: g.peakRssMb === null ? null : num(g.peakRssMb, 0),
    } : null,
  };
}

export type BenchResults = ReturnType<typeof benchResults>;

/** The short commit, with `-dirty` when the work tree has changes; `unknown` outside git. */
export function gitCommit(root: string): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${hash}-dirty` : hash;
  } catch {
    return 'unknown';
  }
}

export function writeResults(file: string, results: BenchResults): void {
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

// run-info.ts: what one `npm run bench` measured, as report.ts writes it into docs/benchmarks.md and
// results.ts into bench/results.json (both read it; neither imports the other's shapes).

import type { GroupBenchResult } from './group-step.ts';
import type { Measurement } from './load.ts';
import type { ProfileSummary } from './profile.ts';
import type { SeedResult } from './seed.ts';

/** The scenarios measured on one database at one scale with one or more server processes. */
export interface MeasuredSet {
  database: 'sqlite' | 'postgres';
  /** Instances asked for (BENCH_SCALES or BENCH_INSTANCES). */
  instances: number;
  /** Instances in the database: those plus the POST pool (and the templates). */
  instancesInDatabase: number;
  /** `lvzhi serve` processes behind the database, the load spread over them. */
  processes: number;
  scenarios: Measurement[];
}

export interface RunInfo {
  started: Date;
  machine: { cpu: string; cores: number };
  config: { instances: number; pool: number; duration: number; connections: number; warmup: number; rate: number };
  seed: SeedResult;
  bare: Measurement;
  scenarios: Measurement[];
  /** Peak RSS of the real server over all its scenarios. */
  serverPeakRssMb: number;
  profile?: { summary: ProfileSummary; requests: number; seconds: number };
  loadBefore: number[];
  loadAfter?: number[];
  /** Every measured set (the primary one, whose scenarios are `scenarios`, among them). */
  sets: MeasuredSet[];
  /** The PostgreSQL server the postgres sets ran on (BENCH_PG=1). */
  postgres?: string;
  /** Issue 15's group-step targets (bench/group-step.ts). */
  group?: GroupBenchResult;
}

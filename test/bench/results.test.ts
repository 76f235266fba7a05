// bench/results.json: the shape `npm run bench` writes, from a small made-up run (no timings are
// measured here: the figures are given, the writer's arithmetic, key order and rounding are checked).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../bench/load.ts';
import type { RunInfo } from '../../bench/report.ts';
import { benchResults, gitCommit, RESULTS_FORMAT, scaleRecords, writeResults } from '../../bench/results.ts';

function m(name: string, rps: number, cpu: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    name, what: `GET /${name}`, seconds: 10, responses: rps * 10, sent: rps * 10, rps, p50: 10.04, p95: 20.06, p99: 30.01,
    errors: 0, errorDetail: '', cpuMsPerRequest: cpu, databaseCpuMsPerRequest: NaN, mainCpuMsPerRequest: cpu / 2, aloneMs: 5,
    peakRssMb: 150.4, exhausted: false, windowUs: [0, 1], ...extra,
  };
}

function run(): RunInfo {
  const bare = m('bare', 20_000, 0.03);
  const small = [m('inbox', 400, 3), m('submit', 200, 4, { paced: { rate: 50, rps: 49.96, p50: 12, p95: 18.04, p99: 30, errors: 0 } })];
  const large = [m('inbox', 380, 3.3), m('submit', 150, 5, { errors: 2, errorDetail: '409×2', exhausted: true })];
  const pg = [m('inbox', 300, 4.5, { databaseCpuMsPerRequest: 1.25 }), m('submit', 100, NaN)];
  return {
    started: new Date('2026-12-03T18:00:00Z'), machine: { cpu: 'Test CPU', cores: 2 },
    config: { instances: 100_000, pool: 10_000, duration: 10, connections: 50, warmup: 3, rate: 50 },
    seed: { seconds: 1, templateSeconds: 1, cloneSeconds: 0, counts: { instances: 110_009 }, database: 'SQLite 3.52.0', pool: [], submitUser: 'deputy11', pageInstances: [], viewUser: 'review1' },
    bare, scenarios: large, serverPeakRssMb: 150, loadBefore: [7.861, 10.35, 11.3], loadAfter: [8, 9, 10],
    sets: [
      { database: 'sqlite', instances: 10_000, instancesInDatabase: 20_009, processes: 1, scenarios: small },
      { database: 'sqlite', instances: 100_000, instancesInDatabase: 110_009, processes: 1, scenarios: large },
      { database: 'postgres', instances: 10_000, instancesInDatabase: 20_009, processes: 2, scenarios: pg },
    ],
    postgres: 'PostgreSQL 15',
    group: { mode: 'group', members: 6007, enterMs: [80, 90], memberMs: [3, 4], singleMs: [4, 4], enterMedianMs: 84.26, memberMedianMs: 3.5, singleMedianMs: 3.9, peakRssMb: 187.6 },
  };
}

const meta = { date: '2026-12-03T18:00:00.000Z', commit: 'abc1234-dirty', node: 'v24.0.0' };

describe('bench/results.json', () => {
  it('has its keys in a fixed order, one record per scenario and set, each naming its database, scale, date, commit and Node', () => {
    const r = benchResults(run(), meta);
    expect(Object.keys(r)).toEqual(['format', 'date', 'commit', 'node', 'machine', 'config', 'databases', 'bare', 'scenarios', 'scale', 'groupStep']);
    expect(r.format).toBe(RESULTS_FORMAT);
    expect(r.machine).toEqual({ cpu: 'Test CPU', cores: 2, loadAverageBefore: [7.86, 10.35, 11.3], loadAverageAfter: [8, 9, 10] });
    expect(r.scenarios).toHaveLength(6);
    expect(Object.keys(r.scenarios[0]!)).toEqual([
      'scenario', 'request', 'database', 'instances', 'instancesInDatabase', 'processes', 'reqPerSec', 'cpuMsPerRequest',
      'mainThreadCpuMsPerRequest', 'mainThreadShare', 'databaseCpuMsPerRequest', 'aloneMs', 'p50Ms', 'p95Ms', 'p99Ms', 'xBare', 'errors',
      'errorDetail', 'poolRanOut', 'peakRssMb', 'steady', 'date', 'commit', 'node',
    ]);
    expect(r.scenarios[1]).toMatchObject({
      scenario: 'submit', database: 'sqlite', instances: 10_000, instancesInDatabase: 20_009, processes: 1, reqPerSec: 200, cpuMsPerRequest: 4,
      mainThreadCpuMsPerRequest: 2, mainThreadShare: 0.5, databaseCpuMsPerRequest: null, p50Ms: 10, p95Ms: 20.1, xBare: 0.01, peakRssMb: 150,
      steady: { offeredReqPerSec: 50, reqPerSec: 50, p50Ms: 12, p95Ms: 18, p99Ms: 30, errors: 0 }, date: meta.date, commit: 'abc1234-dirty', node: 'v24.0.0',
    });
    expect(r.scenarios[3]).toMatchObject({ scenario: 'submit', instances: 100_000, errors: 2, errorDetail: '409×2', poolRanOut: true, steady: null });
    expect(r.scenarios[4]).toMatchObject({ scenario: 'inbox', database: 'postgres', processes: 2, databaseCpuMsPerRequest: 1.25 });
    // A figure that could not be measured is null, never NaN (which JSON cannot hold).
    expect(r.scenarios[5]).toMatchObject({ cpuMsPerRequest: null, mainThreadShare: null });
    expect(r.bare).toMatchObject({ scenario: 'bare', xBare: 1, instances: 0 });
    expect(r.groupStep).toEqual({ mode: 'group', members: 6007, database: 'sqlite', enterMedianMs: 84.3, memberCompletionMedianMs: 3.5, singleCompletionMedianMs: 3.9, memberOverSingle: 0.897, runs: 2, peakRssMb: 188 });
  });

  it('gives the scale table per database and process count, with the spread of CPU ms/req', () => {
    const rows = scaleRecords(run());
    expect(rows.map((x) => `${x.database}/${x.processes}/${x.scenario}`)).toEqual(['sqlite/1/inbox', 'sqlite/1/submit', 'postgres/2/inbox', 'postgres/2/submit']);
    expect(rows[0]).toEqual({
      scenario: 'inbox', database: 'sqlite', processes: 1, cpuSpread: 0.1,
      points: [{ instances: 10_000, cpuMsPerRequest: 3, reqPerSec: 400, xBare: 0.02 }, { instances: 100_000, cpuMsPerRequest: 3.3, reqPerSec: 380, xBare: 0.019 }],
    });
    expect(rows[1]!.cpuSpread).toBe(0.25);
    expect(rows[2]!.cpuSpread).toBeNull(); // one scale only
  });

  it('writes pretty-printed JSON that reads back the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-results-'));
    try {
      const file = path.join(dir, 'results.json');
      const r = benchResults(run(), meta);
      writeResults(file, r);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith('{\n  "format": ')).toBe(true);
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toEqual(r);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the commit, with -dirty when a tracked file has changed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-results-git-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
      git('init', '-q');
      fs.writeFileSync(path.join(dir, 'a.txt'), 'one');
      git('add', 'a.txt');
      git('commit', '-q', '-m', 'one');
      const hash = git('rev-parse', '--short', 'HEAD');
      expect(gitCommit(dir)).toBe(hash);
      fs.writeFileSync(path.join(dir, 'a.txt'), 'two');
      expect(gitCommit(dir)).toBe(`${hash}-dirty`);
      expect(gitCommit(path.join(dir, 'no-such-dir'))).toBe('unknown');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

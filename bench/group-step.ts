// group-step.ts: the two group-step targets of issue 15 (docs/group-steps.md, docs/benchmarks.md):
// entering a step for 6,007 members, and one member's completion at 6,007 members against a single
// task's. In process (as pickers.ts), SQLite by default, PostgreSQL with DATABASE_URL. Run with
// `npx tsx bench/group-step.ts`; GROUP_MODE=for_each measures today's `tasks: [{ for_each }]` instead.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, type Engine } from '../engine/index.ts';
import { DEPUTY_TOTAL, seedDeputies } from '../test/helpers/deputies.ts';
import type { TestServer } from '../test/helpers/http.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const FOR_EACH = `id: asked
version: 1
title: 征求意见
roles: [deputy, presidium]
starters: [presidium]
record: bill
title_from: data.title
initial: draft
states:
  draft:
    task: { assignee: initiator, fields: { edit: [title, content, cosigners] } }
    on: { submit: ask }
  ask:
    title: 征求意见
    tasks:
      - id: ask
        for_each: data.cosigners
        assignee: item
        outcomes: [{ id: agree, label: 同意 }, { id: decline, label: 不同意 }]
        complete_when: all
    on: { done: decide }
  decide:
    task: { role: presidium }
    on: { done: closed }
  closed: { final: true }
`;

/** The single task the completion is compared with: one presidium task, nothing else. */
const SINGLE = `id: single
version: 1
title: 单人办理
roles: [presidium]
starters: [presidium]
record: bill
title_from: data.title
initial: draft
states:
  draft:
    task: { assignee: initiator, fields: { edit: [title, content] } }
    on: { submit: decide }
  decide:
    title: 主席团决定
    task: { role: presidium, outcomes: [{ id: agree, label: 同意 }, { id: decline, label: 不同意 }] }
    on: { agree: closed, decline: closed }
  closed: { final: true }
`;

export const GROUP = `id: asked
version: 1
title: 征求意见
roles: [deputy, presidium]
starters: [presidium]
record: bill
title_from: data.title
initial: draft
states:
  draft:
    task: { assignee: initiator, fields: { edit: [title, content] } }
    on: { submit: ask }
  ask:
    title: 征求意见
    group:
      to: { deputies: {} }
      outcomes: [{ id: agree, label: 同意 }, { id: decline, label: 不同意 }]
      complete_when: all
      close_by: [presidium]
    on: { done: decide }
  decide:
    task: { role: presidium }
    on: { done: closed }
  closed: { final: true }
`;

export function benchProject(yaml: string): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-group-proj-'));
  for (const dir of ['calendars', 'forms', 'directory']) fs.cpSync(path.join(ROOT, dir), path.join(project, dir), { recursive: true });
  fs.mkdirSync(path.join(project, 'workflows'));
  fs.writeFileSync(path.join(project, 'workflows/asked.yaml'), yaml);
  fs.writeFileSync(path.join(project, 'workflows/single.yaml'), SINGLE);
  return project;
}

export interface GroupBench { engine: Engine; clock: { now: Date }; close(): Promise<void> }

export async function openGroupBench(mode: 'group' | 'for_each'): Promise<GroupBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-group-bench-'));
  const projectDir = benchProject(mode === 'group' ? GROUP : FOR_EACH);
  const clock = { now: new Date('2026-03-02T01:00:00Z') };
  const databaseUrl = process.env.DATABASE_URL;
  const engine = await createEngine({ dataDir, projectDir, demo: true, now: () => clock.now, ...(databaseUrl && { databaseUrl }) });
  await seedDeputies({ dataDir, clock, ...(databaseUrl && { databaseUrl }) } as TestServer);
  return {
    engine, clock,
    async close() {
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(projectDir, { recursive: true, force: true });
    },
  };
}

/** Start an instance whose first task (the drafter's) is done at once: the step for everyone is entered. */
export async function enterOnce(b: GroupBench, mode: 'group' | 'for_each', deputies: string[]): Promise<{ instanceId: string; ms: number }> {
  const actor = (await b.engine.login('presidium1', 'lvzhi2026')).actor;
  const input: Record<string, unknown> = { title: '征求意见稿', content: '内容' };
  if (mode === 'for_each') input.cosigners = deputies;
  const t0 = performance.now();
  const { instanceId } = await b.engine.start(actor, 'asked', { event: 'submit', version: 0, input });
  return { instanceId, ms: performance.now() - t0 };
}

/** The 6,007 deputies seedDeputies leaves: the demo's 14, dep0000 …, and its two named ones. */
export function allDeputies(): string[] {
  const demo = Array.from({ length: 14 }, (_, i) => `deputy${i + 1}`);
  const more = Array.from({ length: DEPUTY_TOTAL - 16 }, (_, i) => `dep${String(i).padStart(4, '0')}`);
  return [...demo, ...more, 'zhangwei-zc', 'html-name'];
}

type Actor = Awaited<ReturnType<Engine['login']>>['actor'];

/** Each deputy's open task at the step (read through the engine as the deputy would). */
export async function memberTask(b: GroupBench, who: Actor, instanceId: string): Promise<{ taskId: string; version: number }> {
  const page = await b.engine.inbox(who, 'todo', { page: 1, pageSize: 50 });
  const row = page.items.find((t) => t.instanceId === instanceId);
  if (!row) throw new Error(`no task for ${who.userId}`);
  const view = await b.engine.task(who, row.taskId);
  return { taskId: row.taskId, version: view.version };
}

/** Median ms of `n` member completions at the open step (each member's page read first, untimed). */
export async function timeMemberCompletions(b: GroupBench, instanceId: string, members: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const m of members) {
    const who = (await b.engine.login(m, 'lvzhi2026')).actor;
    const t = await memberTask(b, who, instanceId);
    const t0 = performance.now();
    await b.engine.complete(who, t.taskId, { event: 'agree', input: {}, version: t.version });
    out.push(performance.now() - t0);
  }
  return out;
}

/** ms of `n` single-task completions (主席团决定 of `n` fresh instances). */
export async function timeSingleCompletions(b: GroupBench, n: number): Promise<number[]> {
  const who = (await b.engine.login('presidium1', 'lvzhi2026')).actor;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await b.engine.start(who, 'single', { event: 'submit', version: 0, input: { title: `单件${i}`, content: '内容' } })).instanceId);
  const out: number[] = [];
  for (const id of ids) {
    const t = await memberTask(b, who, id);
    const t0 = performance.now();
    await b.engine.complete(who, t.taskId, { event: 'agree', input: {}, version: t.version });
    out.push(performance.now() - t0);
  }
  return out;
}

/** µs on the monotonic clock V8 stamps profile samples with (bench/profile.ts summariseProfile's window). */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);
const windows: Record<string, [number, number]> = {};

const RUNS = Number(process.env.GROUP_RUNS ?? 30);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What run.ts reports (docs/benchmarks.md, Targets: issue 15). */
export interface GroupBenchResult {
  mode: 'group' | 'for_each';
  members: number;
  enterMs: number[];
  memberMs: number[];
  singleMs: number[];
  enterMedianMs: number;
  memberMedianMs: number;
  singleMedianMs: number;
  /**
   * VmHWM of the process that ran it, MB: the engine with a 6,007-member step open, its members'
   * pages read and answered (run.ts runs it in a process of its own, with the server's heap flags).
   */
  peakRssMb: number | null;
}

/** The process's peak resident memory (VmHWM), MB; null where /proc is not there. */
function ownPeakRssMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Entry: the median of 5 fresh instances entering the step (engine.start: the drafter's task done and
 * the step for all 6,007 entered in one transaction). Completion: after 5 untimed of each, member and
 * single-task completions alternate, so both see the same warm-up, garbage collection and file growth.
 */
export async function measureGroupSteps(mode: 'group' | 'for_each' = 'group', runs = RUNS): Promise<GroupBenchResult> {
  const b = await openGroupBench(mode);
  try {
    const deputies = allDeputies();
    const enterMs: number[] = [];
    const w0 = monotonicUs();
    for (let i = 0; i < 5; i++) enterMs.push((await enterOnce(b, mode, deputies)).ms);
    windows.enter = [w0, monotonicUs()];
    const { instanceId } = await enterOnce(b, mode, deputies);
    await timeMemberCompletions(b, instanceId, deputies.slice(50, 55));
    await timeSingleCompletions(b, 5);
    const memberMs: number[] = [];
    const singleMs: number[] = [];
    const w1 = monotonicUs();
    for (let i = 0; i < runs; i++) {
      memberMs.push(...await timeMemberCompletions(b, instanceId, [deputies[100 + i]!]));
      singleMs.push(...await timeSingleCompletions(b, 1));
    }
    windows.completions = [w1, monotonicUs()];
    if (process.env.GROUP_WINDOWS) fs.writeFileSync(process.env.GROUP_WINDOWS, JSON.stringify(windows));
    return {
      mode, members: deputies.length, enterMs, memberMs, singleMs,
      enterMedianMs: median(enterMs), memberMedianMs: median(memberMs), singleMedianMs: median(singleMs), peakRssMb: ownPeakRssMb(),
    };
  } finally {
    await b.close();
  }
}

/** The result in one line, as run.ts logs it. */
export function groupLine(r: GroupBenchResult): string {
  return `group step (${r.mode}): enter ${r.members} members, median ${r.enterMedianMs.toFixed(0)} ms of ${r.enterMs.map((x) => x.toFixed(0)).join(', ')}; `
    + `a member's completion ${r.memberMedianMs.toFixed(1)} ms vs a single task's ${r.singleMedianMs.toFixed(1)} ms (medians of ${r.memberMs.length}): ${(r.memberMedianMs / r.singleMedianMs).toFixed(2)}×`
    + (r.peakRssMb === null ? '' : `; peak RSS ${r.peakRssMb.toFixed(0)} MB`);
}

/** GROUP_JSON=1: the result as JSON on the last line (run.ts runs this file in a process of its own). */
async function main(): Promise<void> {
  const r = await measureGroupSteps(process.env.GROUP_MODE === 'for_each' ? 'for_each' : 'group');
  console.log(process.env.GROUP_JSON === '1' ? JSON.stringify(r) : groupLine(r));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();

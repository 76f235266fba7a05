// advance.ts: move one instance inside a transaction: restore the snapshot, run pure
// transitions, turn their entered/left markers into rows, and persist with the version check.
//
// Issue 5 (group commit): everything here takes the transaction it is given and keeps no state
// between calls, so a batcher can run many events' advance() in one transaction.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CONSTRUCT_RUNS, runsAt, waitersAt } from '../constructs/runs.ts';
import type { CompiledWorkflow, StateDef, TaskGroupDef } from '../dsl/types.ts';
import {
  cancelOpenTasks, cancelTimers, insertInstance, tasksOfVisit, updateInstance, type InstanceRow, type TaskRow,
} from '../store/process/index.ts';
import type { ChangeScope, Moves } from './construct-run.ts';
import { createCopies, createWork } from './entry-rows.ts';
import { nextInstanceNumber } from './instance-number.ts';
import {
  GOTO, exprOf, celVars, needsDirectory, placedActor, restore, startMachine, step, stateName,
  type CelActor, type Effect, type MachineContext, type RunEvent,
} from './machine.ts';
import { stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import { conflict, contextOf, enterInput, type NewInstance, type Working } from './working.ts';

export { conflict, contextOf, setData, type NewInstance, type Working } from './working.ts';

export function openWorking(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, data: Record<string, unknown>): Working {
  const ctx: MachineContext = { data, tally: inst.snapshot.tally ?? {}, visits: inst.snapshot.visits ?? {} };
  return { rc, tx, inst, wf, snapshot: restore(wf, inst.state, ctx), now: rc.now(), notes: [], children: [] };
}

/**
 * The directory snapshot for the workflow's expressions, read in the operation's transaction (SQLite has
 * one writer connection) before the synchronous evaluation; undefined when no expression reads it.
 */
export async function directoryOf(w: Working): Promise<DirectorySnapshot | undefined> {
  if (!w.dir && needsDirectory(w.wf)) w.dir = await w.rc.snapshot(w.tx);
  return w.dir;
}


/** The event as expressions see it: its actor placed in the directory (district, groups) when it is read. */
function placed(event: RunEvent, dir: DirectorySnapshot | undefined): RunEvent {
  return dir && event.actor ? { ...event, actor: placedActor(event.actor, dir) } : event;
}

/**
 * Leaving a step: the constructs written there close their open rows (a group's counts) or refuse (an
 * open ballot). The caller cancels the step's tasks and timers.
 */
export async function leaveConstructs(rc: RuntimeContext, tx: Knex, inst: InstanceRow, state: string, now: Date): Promise<void> {
  const s = workflowOf(rc, inst.workflowId, inst.workflowVersion).def.states[state];
  if (!s) return;
  for (const { run, def } of runsAt(s)) await run.left?.(def, { rc, tx, instanceId: inst.id, state, now });
}

/** A change to instances (发布, 迁移, 调整办理步骤, 撤销, 终止) refused while a construct's rows are frozen (an open ballot). */
export async function refuseChange(tx: Knex, scope: ChangeScope, what: string): Promise<void> {
  for (const run of CONSTRUCT_RUNS) await run.refuseChange?.(tx, scope, what);
}

async function applyEffects(w: Working, effects: Effect[], event?: RunEvent): Promise<void> {
  const active = stateName(w.snapshot);
  const lastEntered = effects.map((e) => e.type).lastIndexOf('entered');
  for (const [i, eff] of effects.entries()) {
    if (eff.type === 'left') {
      await cancelOpenTasks(w.tx, w.inst.id, eff.state);
      await cancelTimers(w.tx, w.inst.id, eff.state);
      for (const { run, def } of runsAt(stateOf(w.wf, eff.state))) await run.left?.(def, { rc: w.rc, tx: w.tx, instanceId: w.inst.id, state: eff.state, now: w.now });
    } else if (eff.type === 'entered') {
      const s = stateOf(w.wf, eff.state);
      // Tasks only for the state the macrostep rests in, not for states an `always` passed through.
      const resting = i === lastEntered && eff.state === active;
      await createCopies(enterInput(w, event), s);
      for (const { run, def } of runsAt(s)) await run.entered?.(def, w, s, { resting, ...(event && { event }) }, moves);
      if (resting && s.tasks.length > 0) await createWork(enterInput(w, event), s);
    } else if (eff.note) {
      w.notes.push(eff.note);
    }
  }
}

/** Send one event; false when no transition was enabled (nothing changed). */
export async function send(w: Working, event: RunEvent): Promise<boolean> {
  const before = w.snapshot;
  const dir = await directoryOf(w);
  const seen = placed(event, dir);
  const r = step(w.wf, before, seen, dir);
  if (r.snapshot === before) return false;
  w.snapshot = r.snapshot;
  await applyEffects(w, r.effects, seen);
  return true;
}

/** Whether a group's completion rule holds for this visit's tasks. */
export function isGroupComplete(g: TaskGroupDef, tasks: TaskRow[]): boolean {
  const mine = tasks.filter((t) => t.grp === g.id && t.status !== 'cancelled');
  // 加签 (after): an added signer still to act keeps the step open.
  if (mine.some((t) => t.kind === 'signer' && (t.status === 'open' || t.status === 'waiting'))) return false;
  const main = mine.filter((t) => t.kind === 'task');
  const done = main.filter((t) => t.status === 'done');
  const first = g.outcomes[0]?.id;
  const yes = done.filter((t) => t.outcome === first).length;
  const n = main.length;
  switch (g.complete_when.kind) {
    case 'any': return n === 0 || done.length > 0;
    case 'ratio': return done.length === n || yes >= Math.ceil(g.complete_when.ratio * n);
    case 'count': return done.length === n || yes >= g.complete_when.count;
    default: return done.length === n; // all, sequential
  }
}

/** Whether the state's task groups are complete (tasks a construct made itself are its to count: `ready`). */
async function areGroupsComplete(w: Working, s: StateDef, runs: ReturnType<typeof runsAt>): Promise<boolean> {
  if (runs.some(({ run }) => run.makeTasks)) return true;
  const visit = contextOf(w).visits[s.name] ?? 1;
  const tasks = await tasksOfVisit(w.tx, w.inst.id, s.name, visit);
  return s.tasks.every((g) => isGroupComplete(g, tasks));
}

/**
 * After an event: while the resting state's task groups are all complete and its constructs are ready
 * (a group step's count reached, the children a spawn waits for reported), raise `done` (bounded).
 */
export async function settle(w: Working, actor?: CelActor): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const s = stateOf(w.wf, stateName(w.snapshot));
    const runs = waitersAt(s);
    if (s.final || (s.tasks.length === 0 && runs.length === 0) || !s.on.done) return;
    if (s.tasks.length > 0 && !(await areGroupsComplete(w, s, runs))) return;
    for (const { run, def } of runs) if (!(await run.ready!(def, w, s))) return;
    if (!(await send(w, { type: 'done', ...(actor && { actor }) }))) return;
  }
}

/**
 * Leave the instance's current step (its open tasks and timers cancelled) and enter `target` of
 * `wf` afresh by the `lvzhi.goto.<state>` transition, so its tasks, deadlines and copies are made
 * as on any entry; persisted with the version check. 调整办理步骤 and a migration move this way.
 */
export async function reenter(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, target: string, actor: CelActor): Promise<Working> {
  // The constructs of the step left first (an open ballot refuses: its rules are frozen).
  await leaveConstructs(rc, tx, inst, inst.state, rc.now());
  await cancelOpenTasks(tx, inst.id, inst.state);
  await cancelTimers(tx, inst.id, inst.state);
  // Restored at the target (which exists in wf), then re-entered as a return does.
  const w = openWorking(rc, tx, { ...inst, state: target }, wf, inst.data);
  await send(w, { type: GOTO + target, actor });
  await settle(w, actor);
  await persist(w);
  return w;
}

export function titleOf(wf: CompiledWorkflow, data: Record<string, unknown>, dir?: DirectorySnapshot): string {
  if (wf.def.title_from) {
    try {
      const v = exprOf(wf, wf.def.title_from).evaluate(celVars({ data, tally: {}, visits: {} }), { directory: dir });
      if (typeof v === 'string' && v) return v.slice(0, 500);
    } catch { /* fall back to the record's title */ }
  }
  return typeof data.title === 'string' && data.title ? data.title.slice(0, 500) : wf.def.title;
}

/** Write snapshot and data if nobody else did since we read; else LVZ_RUN_CONFLICT (the caller's transaction rolls back). */
export async function persist(w: Working, opts: { status?: InstanceRow['status'] } = {}): Promise<void> {
  const ctx = contextOf(w);
  const state = stateName(w.snapshot);
  const isDone = w.snapshot.status === 'done';
  let status = opts.status ?? (isDone ? 'completed' : w.inst.status);
  if (status === 'draft' && state !== w.wf.def.initial) status = 'active';
  const dir = await directoryOf(w);
  const ok = await updateInstance(w.tx, w.inst.id, w.inst.version, {
    title: titleOf(w.wf, ctx.data, dir), state, status, data: ctx.data,
    snapshot: { value: state, tally: ctx.tally, visits: ctx.visits },
    updatedAt: w.now.toISOString(),
    ...((isDone || status === 'cancelled' || status === 'terminated') && { endedAt: w.now.toISOString() }),
  });
  if (!ok) throw conflict();
  // In the same transaction, so nothing is lost to a crash (a spawned child's report to its parent).
  if (status !== w.inst.status) for (const run of CONSTRUCT_RUNS) await run.statusChanged?.(w, w.inst.status, status);
  w.inst = { ...w.inst, version: w.inst.version + 1, state, status, data: ctx.data };
}


/** Insert an instance and enter its initial state; the caller appends its start event. */
export async function createInstance(rc: RuntimeContext, tx: Knex, input: NewInstance, now: Date): Promise<Working> {
  const wf = workflowOf(rc, input.workflowId);
  const dir = needsDirectory(wf) ? await rc.snapshot(tx) : undefined;
  const first = startMachine(wf, input.data, dir);
  const state = stateName(first.snapshot);
  const inst: InstanceRow = {
    id: randomUUID(), number: await nextInstanceNumber(tx, wf.def, now), workflowId: wf.def.id,
    workflowVersion: wf.def.version, title: titleOf(wf, input.data, dir), state, status: input.draft ? 'draft' : 'active',
    initiatorId: input.initiatorId, initiatorOrg: input.initiatorOrg, data: input.data,
    snapshot: { value: state, tally: {}, visits: {} }, version: 0, parentId: input.parentId ?? null,
    ...(input.spawnedBy && { spawnedBy: input.spawnedBy }),
    createdAt: now.toISOString(), updatedAt: now.toISOString(), endedAt: null,
  };
  await insertInstance(tx, inst);
  const w: Working = { rc, tx, inst, wf, snapshot: first.snapshot, now, notes: [], children: [], ...(dir && { dir }) };
  await applyEffects(w, first.effects, input.actor && placed({ type: '', actor: input.actor }, dir));
  await settle(w, input.actor);
  return w;
}

/**
 * What a construct's runtime half is lent (construct-run.ts), in its hooks and in the Engine's operations
 * it offers (a ballot's close, a group's 提前结束): it never imports this file, which calls it.
 */
export const moves: Moves = { open: openWorking, send, settle, persist, createInstance, directoryOf };

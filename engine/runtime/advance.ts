// advance.ts: move one instance inside a transaction: restore the snapshot, run pure
// transitions, turn their entered/left markers into rows, and persist with the version check.
//
// Issue 5 (group commit): everything here takes the transaction it is given and keeps no state
// between calls, so a batcher can run many events' advance() in one transaction.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AnyMachineSnapshot } from 'xstate';
import type { CompiledWorkflow, StateDef, TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import {
  appendEvent, cancelOpenTasks, cancelTimers, closeGroupsOfState, insertInstance, tasksOfVisit, updateInstance,
  type InstanceRow, type TaskRow,
} from '../store/process/index.ts';
import { createCopies, createWork, type EnterInput } from './entry-rows.ts';
import { nextInstanceNumber } from './instance-number.ts';
import {
  GOTO, exprOf, celVars, needsDirectory, placedActor, restore, startMachine, step, stateName,
  type CelActor, type Effect, type MachineContext, type RunEvent,
} from './machine.ts';
import { stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import { loadGroupTally } from './group/tally.ts';
import { createBallots, leaveBallots } from './ballots/enter.ts';

export interface Working {
  rc: RuntimeContext;
  tx: Knex;
  inst: InstanceRow;
  wf: CompiledWorkflow;
  snapshot: AnyMachineSnapshot;
  now: Date;
  /** Notes of the transitions taken (重新办理 …), for the history line. */
  notes: string[];
  children: { id: string; workflowId: string }[];
  /** The directory snapshot its expressions read, loaded once per operation (directoryOf). */
  dir?: DirectorySnapshot;
}

export function contextOf(w: Working): MachineContext {
  return w.snapshot.context as MachineContext;
}

export function openWorking(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, data: Record<string, unknown>): Working {
  const ctx: MachineContext = { data, tally: inst.snapshot.tally ?? {}, visits: inst.snapshot.visits ?? {} };
  return { rc, tx, inst, wf, snapshot: restore(wf, inst.state, ctx), now: rc.now(), notes: [], children: [] };
}

/**
 * The directory snapshot for the workflow's expressions, read in the operation's transaction (SQLite has
 * one writer connection) before the synchronous evaluation; undefined when no expression reads it.
 */
async function directoryOf(w: Working): Promise<DirectorySnapshot | undefined> {
  if (!w.dir && needsDirectory(w.wf)) w.dir = await w.rc.snapshot(w.tx);
  return w.dir;
}

function enterInput(w: Working, event?: RunEvent): EnterInput {
  return {
    rc: w.rc, tx: w.tx, wf: w.wf, instanceId: w.inst.id, initiatorId: w.inst.initiatorId, ctx: contextOf(w), now: w.now,
    ...(event && { event }), ...(w.dir && { dir: w.dir }),
  };
}

/** The event as expressions see it: its actor placed in the directory (district, groups) when it is read. */
function placed(event: RunEvent, dir: DirectorySnapshot | undefined): RunEvent {
  return dir && event.actor ? { ...event, actor: placedActor(event.actor, dir) } : event;
}

async function applyEffects(w: Working, effects: Effect[], event?: RunEvent): Promise<void> {
  const active = stateName(w.snapshot);
  const lastEntered = effects.map((e) => e.type).lastIndexOf('entered');
  for (const [i, eff] of effects.entries()) {
    if (eff.type === 'left') {
      await cancelOpenTasks(w.tx, w.inst.id, eff.state);
      await cancelTimers(w.tx, w.inst.id, eff.state);
      if (stateOf(w.wf, eff.state).tasks.some((g) => g.to)) await closeGroupsOfState(w.tx, w.inst.id, eff.state, w.now.toISOString());
      if (stateOf(w.wf, eff.state).ballot) await leaveBallots(w.tx, w.inst.id, eff.state);
    } else if (eff.type === 'entered') {
      const s = stateOf(w.wf, eff.state);
      await createCopies(enterInput(w, event), s);
      if (s.spawn) await spawnChild(w, s);
      // Tasks only for the state the macrostep rests in, not for states an `always` passed through.
      if (i === lastEntered && eff.state === active && s.tasks.length > 0) await createWork(enterInput(w, event), s);
      if (i === lastEntered && eff.state === active && s.ballot) await createBallots(enterInput(w, event), s);
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

export async function areGroupsComplete(w: Working, s: StateDef): Promise<boolean> {
  // Group steps are read from their counts row (closed or not), never from their thousands of tasks.
  if (s.tasks.some((g) => g.to) && !(await loadGroupTally(w.tx, w.inst.id, s, contextOf(w)))) return false;
  const listed = s.tasks.filter((g) => !g.to);
  if (listed.length === 0) return true;
  const visit = contextOf(w).visits[s.name] ?? 1;
  const tasks = await tasksOfVisit(w.tx, w.inst.id, s.name, visit);
  return listed.every((g) => isGroupComplete(g, tasks));
}

/** After an event: while the resting state's groups are all complete, raise `done` (bounded). */
export async function settle(w: Working, actor?: CelActor): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const s = stateOf(w.wf, stateName(w.snapshot));
    if (s.final || s.tasks.length === 0 || !s.on.done) return;
    if (!(await areGroupsComplete(w, s))) return;
    if (!(await send(w, { type: 'done', ...(actor && { actor }) }))) return;
  }
}

/**
 * Leave the instance's current step (its open tasks and timers cancelled) and enter `target` of
 * `wf` afresh by the `lvzhi.goto.<state>` transition, so its tasks, deadlines and copies are made
 * as on any entry; persisted with the version check. 调整办理步骤 and a migration move this way.
 */
export async function reenter(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, target: string, actor: CelActor): Promise<Working> {
  // An open ballot's rules are frozen (LVZ_BALLOT_IN_PROGRESS); one never opened goes with its step.
  await leaveBallots(tx, inst.id, inst.state);
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
  w.inst = { ...w.inst, version: w.inst.version + 1, state, status, data: ctx.data };
}

export function conflict(): LvzError {
  return new LvzError('LVZ_RUN_CONFLICT', '其他人刚刚处理了这份件，您看到的内容已过期：请刷新页面，查看最新情况后再操作', {});
}

export interface NewInstance {
  workflowId: string;
  initiatorId: string;
  initiatorOrg: string;
  data: Record<string, unknown>;
  parentId?: string;
  draft?: boolean;
  actor?: CelActor;
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
    createdAt: now.toISOString(), updatedAt: now.toISOString(), endedAt: null,
  };
  await insertInstance(tx, inst);
  const w: Working = { rc, tx, inst, wf, snapshot: first.snapshot, now, notes: [], children: [], ...(dir && { dir }) };
  await applyEffects(w, first.effects, input.actor && placed({ type: '', actor: input.actor }, dir));
  await settle(w, input.actor);
  return w;
}

/** 一个被否决的议案转为建议: start the linked workflow with data mapped from this one. */
async function spawnChild(w: Working, s: StateDef): Promise<void> {
  const spec = s.spawn!;
  const vars = celVars(contextOf(w));
  const data: Record<string, unknown> = {};
  const directory = await directoryOf(w);
  for (const [field, src] of Object.entries(spec.data)) data[field] = exprOf(w.wf, src).evaluate(vars, { directory });
  const child = await createInstance(w.rc, w.tx, {
    workflowId: spec.workflow, initiatorId: w.inst.initiatorId, initiatorOrg: w.inst.initiatorOrg, data, parentId: w.inst.id,
  }, w.now);
  await persist(child);
  await appendEvent(w.tx, {
    instanceId: child.inst.id, at: w.now.toISOString(), actorId: null, onBehalfOf: null, type: 'instance.started',
    taskId: null, fromState: null, toState: child.inst.state, payload: { parentId: w.inst.id, parentWorkflow: w.wf.def.id },
  });
  w.children.push({ id: child.inst.id, workflowId: spec.workflow });
}

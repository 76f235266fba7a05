// working.ts: one instance being moved inside a transaction (advance.ts moves it), and what entering a
// state is handed. A leaf: the constructs' runtime halves (engine/constructs/<name>/run/) read these
// shapes, and advance.ts, which calls them, lends its moves through `Moves` (constructs/run-types.ts).

import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import type { AnyMachineSnapshot } from 'xstate';
import type { CompiledWorkflow } from '../dsl/types.ts';
import type { InstanceRow, SpawnedBy } from '../store/process/index.ts';
import type { CelActor, MachineContext, RunEvent } from './machine.ts';
import type { RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';

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

/**
 * Replaces the record the machine holds. The snapshot is this operation's own (restored, or just
 * returned by transition()), so its context may be changed in place before it is persisted.
 */
export function setData(w: Working, data: Record<string, unknown>): void {
  contextOf(w).data = data;
}

/** What entering a state is handed (entry-rows.ts and the constructs' runtime halves). */
export interface EnterInput {
  rc: RuntimeContext;
  tx: Knex;
  wf: CompiledWorkflow;
  instanceId: string;
  initiatorId: string;
  ctx: MachineContext;
  now: Date;
  /** The event that entered the state: its `actor` is who caused the entry (none for a deadline). */
  event?: RunEvent;
  /** The directory snapshot, when the workflow's expressions read it (machine.ts needsDirectory). */
  dir?: DirectorySnapshot;
}

/** What entering a state is handed, from the instance being moved and the event that entered it. */
export function enterInput(w: Working, event?: RunEvent): EnterInput {
  return {
    rc: w.rc, tx: w.tx, wf: w.wf, instanceId: w.inst.id, initiatorId: w.inst.initiatorId, ctx: contextOf(w), now: w.now,
    ...(event && { event }), ...(w.dir && { dir: w.dir }),
  };
}

/** When a site's tasks are due, and whether that is an estimate (a year the calendar lacks). */
export interface Due { at: Date; provisional: boolean }

/** A new instance (a start, or a spawned child). */
export interface NewInstance {
  workflowId: string;
  initiatorId: string;
  initiatorOrg: string;
  data: Record<string, unknown>;
  parentId?: string;
  spawnedBy?: SpawnedBy;
  draft?: boolean;
  actor?: CelActor;
}

/** Where a completed task left its instance. */
export interface CompleteResult { instanceId: string; state: string; stateTitle: string }

/** Whether a timer's step was left (the instance ended, moved on, or entered it again since): its timer is stale. */
export function isStepLeft(inst: InstanceRow | undefined, t: { state: string; visit: number }): boolean {
  if (!inst || inst.status === 'completed' || inst.status === 'cancelled' || inst.status === 'terminated') return true;
  return inst.state !== t.state || (inst.snapshot.visits[t.state] ?? 0) !== t.visit;
}

/** Someone else moved the instance since the page was read. */
export function conflict(): LvzError {
  return new LvzError('LVZ_RUN_CONFLICT', '其他人刚刚处理了这份件，您看到的内容已过期：请刷新页面，查看最新情况后再操作', {});
}

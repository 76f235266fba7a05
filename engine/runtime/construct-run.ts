// construct-run.ts: what a construct's runtime half is (docs/constructs.md, "Runtime halves"). A
// construct that writes rows of its own (a group step's tasks and counts, a ballot's sitting, a
// spawn's children) keeps them in engine/constructs/<name>/run/, on the runtime layer, and exports one
// ConstructRun; engine/constructs/runs.ts lists them. Generic code (advance.ts, entry-rows.ts,
// complete.ts, fire-timers.ts, the instance actions, publish and migrate) loops over that list and
// names no construct.
//
// A runtime half never imports advance.ts (which calls it): moving an instance is lent to it as
// `Moves`, and the shapes it reads are in working.ts.

import type { Knex } from 'knex';
import type { StateDef, TaskGroupDef } from '../dsl/types.ts';
import type { InstanceRow, InstanceStatus, TimerRow } from '../store/process/index.ts';
import type { CelActor, RunEvent } from './machine.ts';
import type { RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import type { CompleteResult, Due, EnterInput, NewInstance, Working } from './working.ts';
import type { Loaded } from './load.ts';
import type { Actor, CompleteInput } from './types.ts';

/** What advance.ts lends a runtime half: opening, moving and saving an instance inside the caller's transaction. */
export interface Moves {
  /** Opens an instance for moving, with `data` as its record. */
  open(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: Working['wf'], data: Record<string, unknown>): Working;
  /** Sends one event; false when no transition was enabled. */
  send(w: Working, event: RunEvent): Promise<boolean>;
  /** Raises `done` while the resting state is ready (its groups complete, its constructs ready). */
  settle(w: Working, actor?: CelActor): Promise<void>;
  /** Saves with the version check (LVZ_RUN_CONFLICT). */
  persist(w: Working, opts?: { status?: InstanceStatus }): Promise<void>;
  /** Inserts an instance and enters its initial state (a spawned child). */
  createInstance(rc: RuntimeContext, tx: Knex, input: NewInstance, now: Date): Promise<Working>;
  /** The directory snapshot the workflow's expressions read (undefined when none reads it). */
  directoryOf(w: Working): Promise<DirectorySnapshot | undefined>;
}

/** Where an instance leaves a step: the transaction, the instance, the step, and why (for a refusal). */
export interface Leaving {
  rc: RuntimeContext;
  tx: Knex;
  instanceId: string;
  state: string;
  now: Date;
}

/** A timer firing: the instance is locked (undefined when it is gone) and the timer claimed. */
export interface Firing {
  rc: RuntimeContext;
  tx: Knex;
  inst: InstanceRow | undefined;
  now: Date;
}

/** What a change to instances is (a refusal names it): 发布, 迁移, 调整办理步骤, 撤销, 终止. */
export type ChangeScope = { instanceIds: readonly string[] } | { workflowId: string };

/**
 * A construct's runtime half. `key` is the construct's YAML key: state hooks run when the state holds
 * that key (`def` is its value). Every hook is optional.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds halves of every D
export interface ConstructRun<D = any> {
  readonly key: string;
  /** Entering its state; `resting`: the macrostep rests there (a state an `always` passes through is entered, not rested in). */
  entered?(def: D, w: Working, s: StateDef, at: { resting: boolean; event?: RunEvent }, moves: Moves): Promise<void>;
  /** Makes its state's tasks itself (a group step: one per member, in one statement); returns how many. */
  makeTasks?(def: D, e: EnterInput, s: StateDef, g: TaskGroupDef, visit: number, due: Due | undefined): Promise<number>;
  /** Leaving its state (moved on, 退回, 调整办理步骤, 撤销, 终止): its open rows closed; may refuse. */
  left?(def: D, at: Leaving): Promise<void>;
  /** Whether its state, where the instance rests, may raise `done` now (a group's counts, a spawn's wait). */
  ready?(def: D, w: Working, s: StateDef): Promise<boolean>;
  /**
   * Takes the completion of a task of its state instead of the generic one (a group member's answer:
   * no version check, no instance write). The task is loaded, the actor may act on it, and it is open.
   */
  answer?(def: D, at: { rc: RuntimeContext; tx: Knex; actor: Actor; loaded: Loaded; input: CompleteInput }, moves: Moves): Promise<CompleteResult>;
  /** The timer kinds its `timerFired` handles (a fired timer of a step since left is passed too: it decides). */
  readonly timerKinds?: readonly string[];
  timerFired?(t: TimerRow, at: Firing, moves: Moves): Promise<void>;
  /** After a timer of its kinds fired and committed (a ballot's close truncates the WAL). */
  afterTimer?(rc: RuntimeContext): Promise<void>;
  /** An instance is saved whose status changes from `from` (a spawned child that ends reports to its parent). */
  statusChanged?(w: Working, from: InstanceStatus, to: InstanceStatus): Promise<void>;
  /** Refuses a change to instances while its rows are frozen (an open ballot): throws an LvzError. */
  refuseChange?(tx: Knex, scope: ChangeScope, what: string): Promise<void>;
}

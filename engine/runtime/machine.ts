// machine.ts: a WorkflowDef -> an xstate v5 machine, built once per (id, version) and cached.
//
// The config is plain data: guards and actions are referenced by name with params and supplied
// through setup(), as xstate intends for machines compiled from text. The machine holds only the
// process-level state and { data, tally, visits }; tasks, timers and copies are rows the runtime
// writes when it sees the `entered`/`left` actions that the pure transition() hands back.

import { assign, setup, transition, initialTransition, type AnyStateMachine, type AnyMachineSnapshot } from 'xstate';
import { compileExpr, isTrue, withDirectory, type CompiledExpr } from '../expr/index.ts';
import type { CompiledWorkflow, StateDef, TransitionDef, WorkflowDef } from '../dsl/types.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';

export interface MachineContext {
  data: Record<string, unknown>;
  tally: Record<string, Record<string, number>>;
  visits: Record<string, number>;
}

/** `actor` as CEL sees it; `district` and `groups` are added from the directory when a workflow reads it. */
export interface CelActor {
  id: string;
  org: string;
  roles: string[];
  district?: string;
  groups?: string[];
}

export interface RunEvent {
  type: string;
  actor?: CelActor;
  /** task.done */
  group?: string;
  outcome?: string;
}

/** The work a transition asks for, in the order xstate produced it. */
export type Effect =
  | { type: 'entered'; state: string }
  | { type: 'left'; state: string }
  | { type: 'took'; event: string; to: string; note?: string };

/** Prefix of the system events that jump to a state: return (退回), withdraw (撤回), migration (issue 4). */
export const GOTO = 'lvzhi.goto.';

const exprCache = new Map<string, CompiledExpr>();

/** The error a guard threw (LVZ_EXPR_LIMIT: over its budget) during the transition() running now. */
let guardError: unknown;

function withGuardErrors<T>(run: () => T): T {
  guardError = undefined;
  try {
    return run();
  } catch (e) {
    throw guardError ?? e;
  } finally {
    guardError = undefined;
  }
}

export function exprOf(wf: CompiledWorkflow | undefined, source: string): CompiledExpr {
  const hit = wf?.exprs.get(source) ?? exprCache.get(source);
  if (hit) return hit;
  const e = compileExpr(source);
  exprCache.set(source, e);
  return e;
}

/**
 * Whether any expression of the workflow reads the directory (user(), org(), members(), actor.district,
 * actor.groups): only then is its snapshot loaded for an operation. Worked out once per compiled workflow.
 */
export function needsDirectory(wf: CompiledWorkflow): boolean {
  let hit = readsDirectory.get(wf);
  if (hit === undefined) {
    hit = [...wf.exprs.values()].some((e) => e.directoryCalls.length > 0 || e.refs.includes('actor.district') || e.refs.includes('actor.groups'));
    readsDirectory.set(wf, hit);
  }
  return hit;
}

const readsDirectory = new WeakMap<CompiledWorkflow, boolean>();

/** The actor with its district (of their org; '' for the city's) and member groups from the directory. */
export function placedActor(actor: CelActor, dir: DirectorySnapshot): CelActor {
  const person = dir.people.get(actor.id);
  const district = dir.orgs.get(actor.org)?.district ?? person?.district ?? '';
  return { ...actor, district, groups: person ? [...person.groups] : [] };
}

export function celVars(ctx: MachineContext, event?: RunEvent, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: ctx.data, tally: ctx.tally, visits: ctx.visits,
    actor: event?.actor ?? { id: '', org: '', roles: [], district: '', groups: [] },
    event: { type: event?.type ?? '' },
    ...extra,
  };
}

/** Evaluate `field: CEL` pairs into a copy of data. */
export function applySet(wf: CompiledWorkflow | undefined, ctx: MachineContext, set: Record<string, string>, event?: RunEvent): Record<string, unknown> {
  const data = { ...ctx.data };
  const vars = celVars({ ...ctx, data }, event);
  for (const [field, src] of Object.entries(set)) data[field] = exprOf(wf, src).evaluate(vars);
  return data;
}

function buildMachine(wf: CompiledWorkflow): AnyStateMachine {
  const def = wf.def;
  type Args = { context: MachineContext; event: RunEvent };
  const impl = setup({
    types: {} as { context: MachineContext; events: RunEvent; input: { data: Record<string, unknown> } },
    actions: {
      visit: assign(({ context }: Args, p: { state: string }) => ({
        visits: { ...context.visits, [p.state]: (context.visits[p.state] ?? 0) + 1 },
      })),
      set: assign(({ context, event }: Args, p: { set: Record<string, string> }) => ({ data: applySet(wf, context, p.set, event) })),
      tally: assign(({ context, event }: Args) => {
        const g = event.group ?? 'main';
        const row = { ...(context.tally[g] ?? {}) };
        if (event.outcome) row[event.outcome] = (row[event.outcome] ?? 0) + 1;
        row.total = (row.total ?? 0) + 1;
        return { tally: { ...context.tally, [g]: row } };
      }),
      // Markers: no-ops here; transition() returns them and the runtime turns them into rows.
      entered: () => undefined,
      left: () => undefined,
      took: () => undefined,
    },
    guards: {
      cel: ({ context, event }: Args, p: { expr: string }) => {
        try {
          return isTrue(exprOf(wf, p.expr), celVars(context, event));
        } catch (e) {
          guardError = e; // xstate rethrows a plain Error with only the message; withGuardErrors() restores this one
          throw e;
        }
      },
    },
  });
  return impl.createMachine({
    id: def.id,
    initial: def.initial,
    context: ({ input }: { input: { data: Record<string, unknown> } }) => ({ data: input.data ?? {}, tally: {}, visits: {} }),
    states: Object.fromEntries(Object.values(def.states).map((s) => [s.name, stateConfig(def, s)])),
  } as never) as unknown as AnyStateMachine;
}

function stateConfig(def: WorkflowDef, s: StateDef): Record<string, unknown> {
  const entry: unknown[] = [{ type: 'visit', params: { state: s.name } }];
  if (s.set) entry.push({ type: 'set', params: { set: s.set } });
  entry.push({ type: 'entered', params: { state: s.name } });
  if (s.final) return { type: 'final', entry };
  const on: Record<string, unknown> = {};
  for (const [event, candidates] of Object.entries(s.on)) on[event] = candidates.map((t) => transitionConfig(event, t));
  if (s.tasks.length > 0 && !on['task.done']) on['task.done'] = { actions: [{ type: 'tally' }] };
  for (const target of Object.keys(def.states)) on[GOTO + target] = { target, reenter: true };
  return {
    entry,
    exit: [{ type: 'left', params: { state: s.name } }],
    on,
    ...(s.always.length > 0 && { always: s.always.map((t) => transitionConfig('always', t)) }),
  };
}

function transitionConfig(event: string, t: TransitionDef): Record<string, unknown> {
  const actions: unknown[] = [];
  if (t.set) actions.push({ type: 'set', params: { set: t.set } });
  actions.push({ type: 'took', params: { event, to: t.to, ...(t.note && { note: t.note }) } });
  return {
    target: t.to,
    reenter: true,
    ...(t.when && { guard: { type: 'cel', params: { expr: t.when } } }),
    actions,
  };
}

const machines = new Map<string, { wf: CompiledWorkflow; machine: AnyStateMachine }>();

/** The machine for a compiled workflow, built once per (id, version) and kept. */
export function machineFor(wf: CompiledWorkflow): AnyStateMachine {
  const key = `${wf.def.id}@${wf.def.version}`;
  const hit = machines.get(key);
  if (hit && hit.wf === wf) return hit.machine;
  const machine = buildMachine(wf);
  machines.set(key, { wf, machine });
  return machine;
}

function effectsOf(actions: { type: string; params?: unknown }[]): Effect[] {
  const out: Effect[] = [];
  for (const a of actions) {
    const p = (a.params ?? {}) as Record<string, string>;
    if (a.type === 'entered' || a.type === 'left') out.push({ type: a.type, state: p.state! });
    else if (a.type === 'took') out.push({ type: 'took', event: p.event!, to: p.to!, ...(p.note && { note: p.note }) });
  }
  return out;
}

export interface Step {
  snapshot: AnyMachineSnapshot;
  effects: Effect[];
}

/** The first step; guards and `set` read `dir` (the directory snapshot) when the workflow uses it. */
export function startMachine(wf: CompiledWorkflow, data: Record<string, unknown>, dir?: DirectorySnapshot): Step {
  const [snapshot, actions] = withDirectory(dir, () => withGuardErrors(() => initialTransition(machineFor(wf), { data })));
  return { snapshot, effects: effectsOf(actions as never) };
}

export function restore(wf: CompiledWorkflow, value: string, context: MachineContext): AnyMachineSnapshot {
  return machineFor(wf).resolveState({ value, context });
}

/** One pure step; no effects and the same value means no transition was enabled. Guards and `set` read `dir`. */
export function step(wf: CompiledWorkflow, snapshot: AnyMachineSnapshot, event: RunEvent, dir?: DirectorySnapshot): Step {
  const [next, actions] = withDirectory(dir, () => withGuardErrors(() => transition(machineFor(wf), snapshot, event as never)));
  return { snapshot: next, effects: effectsOf(actions as never) };
}

export function stateName(snapshot: AnyMachineSnapshot): string {
  const v = snapshot.value;
  return typeof v === 'string' ? v : Object.keys(v as object).join(',');
}

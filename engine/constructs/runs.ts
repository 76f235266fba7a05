// runs.ts: the constructs' runtime halves (docs/constructs.md, "Runtime halves"): one line each, as
// index.ts lists the constructs. This file and every engine/constructs/<name>/run/ stand on the runtime
// layer (test/engine/boundaries.test.ts): they write rows. Generic runtime code (advance.ts,
// entry-rows.ts, complete.ts, fire-timers.ts, the instance actions, publish, migrate) loops over
// CONSTRUCT_RUNS and names none of them; the Engine's operations and pages a construct offers reach
// its half through the namespaces below.

import type { StateDef } from '../dsl/types.ts';
import { constructValue } from '../dsl/walk.ts';
import type { ConstructRun } from '../runtime/construct-run.ts';
import { CONSTRUCTS } from './index.ts';
import { ballotRun } from './ballot/run/index.ts';
import { groupRun } from './group/run/index.ts';
import { spawnRun } from './spawn/run/index.ts';

export const CONSTRUCT_RUNS: readonly ConstructRun[] = [ballotRun, groupRun, spawnRun];

/** The Engine's ballot operations, the secret's warnings and `lvzhi verify` (engine.ts, cli/verify.ts). */
export * as ballotRuntime from './ballot/run/index.ts';
/** A group step's 提前结束 and 办理进度 (engine.ts, views.ts). */
export * as groupRuntime from './group/run/index.ts';
/** The spawn's children for the instance page, and the wake after a child's report (engine.ts). */
export * as spawnRuntime from './spawn/run/index.ts';

/** The runtime halves whose key the state holds, each with its value there. */
export function runsAt(s: StateDef): { run: ConstructRun; def: unknown }[] {
  const out: { run: ConstructRun; def: unknown }[] = [];
  for (const run of CONSTRUCT_RUNS) {
    const def = constructValue(s, run.key);
    if (def !== undefined) out.push({ run, def });
  }
  return out;
}

/**
 * The halves that keep the state until they are `ready`: those with `ready`, unless the construct says
 * the value does not wait (a spawn without `wait:`; constructs/types.ts `waits`).
 */
export function waitersAt(s: StateDef): { run: ConstructRun; def: unknown }[] {
  return runsAt(s).filter(({ run, def }) => run.ready && (CONSTRUCTS.find((c) => c.key === run.key)?.waits?.(def as never) ?? true));
}

/** The runtime half that fires timers of a kind, if one does. */
export function runFiring(kind: string): ConstructRun | undefined {
  return CONSTRUCT_RUNS.find((r) => r.timerKinds?.includes(kind));
}

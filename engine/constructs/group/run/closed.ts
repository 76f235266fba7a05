// closed.ts: a group step closes once, by its rule, 提前结束 (close.ts) or its deadline (`close:
// true`): the counts row is marked closed by exactly one transaction, the open tasks are cancelled,
// the counts become tally.<group> and `done` is sent (docs/group-steps.md, step 5).

import type { Knex } from 'knex';
import type { CompiledWorkflow, StateDef, TaskGroupDef } from '../../../dsl/types.ts';
import type { Actor } from '../../../model/actor.ts';
import { appendEvent, cancelOpenTasks, closeGroup, type GroupKey, type InstanceRow } from '../../../store/process/index.ts';
import type { Moves } from '../../../runtime/construct-run.ts';
import { contextOf, type Working } from '../../../runtime/working.ts';
import { stateOf, type RuntimeContext } from '../../../runtime/runtime-context.ts';
import type { CelActor } from '../../../runtime/machine.ts';

export type CloseHow = 'rule' | 'early' | 'deadline';

/** The counted group of a state (a `group:` step has one), if any. */
export function countedGroup(s: StateDef): TaskGroupDef | undefined {
  return s.tasks.find((g) => g.to !== undefined);
}

export function keyOf(inst: { id: string }, s: StateDef, g: TaskGroupDef, visit: number): GroupKey {
  return { instanceId: inst.id, state: s.name, visit, grp: g.id };
}

/** After the one closer marked the row: cancel the rest, send `done`, persist, log group.closed. */
export async function advanceClosed(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, g: TaskGroupDef, how: CloseHow, by: { actor?: Actor; reason?: string; taskId?: string }, moves: Moves): Promise<Working> {
  await cancelOpenTasks(tx, inst.id, inst.state);
  const w = moves.open(rc, tx, inst, wf, inst.data);
  const who: CelActor | undefined = by.actor && { id: by.actor.userId, org: by.actor.orgId, roles: [...by.actor.roles] };
  await moves.settle(w, who);
  await moves.persist(w);
  await appendEvent(tx, {
    instanceId: inst.id, at: w.now.toISOString(), actorId: by.actor?.userId ?? null, onBehalfOf: null, type: 'group.closed',
    taskId: by.taskId ?? null, fromState: inst.state, toState: w.inst.state,
    payload: { group: g.id, how, tally: contextOf(w).tally[g.id] ?? {}, ...(by.reason && { reason: by.reason }), ...(w.notes.length > 0 && { note: w.notes.join('；') }) },
  });
  return w;
}

/** A deadline with `close: true` at a group step: closes it as 提前结束 would, by the system; the state after, or undefined. */
export async function closeByDeadline(rc: RuntimeContext, tx: Knex, inst: InstanceRow, wf: CompiledWorkflow, moves: Moves): Promise<string | undefined> {
  const s = stateOf(wf, inst.state);
  const g = countedGroup(s);
  if (!g) return undefined;
  const visit = inst.snapshot.visits[s.name] ?? 1;
  if (!(await closeGroup(tx, keyOf(inst, s, g, visit), 'deadline', rc.now().toISOString()))) return undefined;
  return (await advanceClosed(rc, tx, inst, wf, g, 'deadline', {}, moves)).inst.state;
}

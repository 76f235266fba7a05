// walk.ts: the lists every check iterates over (transitions, task groups, deadlines), in file order.

import type { DeadlineDef, StateDef, TaskGroupDef, TransitionDef, WorkflowDef } from './types.ts';

export interface TransitionSite {
  from: StateDef;
  /** The `on:` event, or undefined for an `always:` transition. */
  event?: string;
  t: TransitionDef;
}

export function transitionsOf(wf: WorkflowDef): TransitionSite[] {
  const out: TransitionSite[] = [];
  for (const from of Object.values(wf.states)) {
    for (const [event, ts] of Object.entries(from.on)) for (const t of ts) out.push({ from, event, t });
    for (const t of from.always) out.push({ from, t });
  }
  return out;
}

export interface GroupSite {
  state: StateDef;
  group: TaskGroupDef;
  /** JSON pointer of the group (`/states/review/task`). */
  path: string;
}

export function groupsOf(wf: WorkflowDef): GroupSite[] {
  return Object.values(wf.states).flatMap((state) =>
    state.tasks.map((group, i) => ({ state, group, path: group.path ?? `/states/${state.name}/tasks/${i}` })),
  );
}

export interface DeadlineSite {
  state: StateDef;
  deadline: DeadlineDef;
  path: string;
}

/** State deadlines and group deadlines; a group's escalation event is still its state's `on:` key. */
export function deadlinesOf(wf: WorkflowDef): DeadlineSite[] {
  const out: DeadlineSite[] = [];
  for (const state of Object.values(wf.states)) {
    if (state.deadline) out.push({ state, deadline: state.deadline, path: `/states/${state.name}/deadline` });
  }
  for (const { state, group, path } of groupsOf(wf)) {
    if (group.deadline) out.push({ state, deadline: group.deadline, path: `${path}/deadline` });
  }
  return out;
}

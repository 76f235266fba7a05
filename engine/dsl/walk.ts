// walk.ts: the lists every check iterates over (transitions, task groups, deadlines, constructs), in file order.

import { constructsAt } from '../constructs/index.ts';
import type { AnyConstruct, SiteView } from '../constructs/index.ts';
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

/** One construct value written in the definition (a state's or a group's `deadline:` …) and where it sits. */
export interface ConstructUse {
  construct: AnyConstruct;
  def: unknown;
  /** What the construct's hooks are shown of its place. */
  site: SiteView;
  state: StateDef;
  group?: TaskGroupDef;
}

/** Every construct value, construct by construct in registry order; for each, state values then group values. */
export function constructUsesOf(wf: WorkflowDef): ConstructUse[] {
  const out: ConstructUse[] = [];
  const view = (s: StateDef) => ({ name: s.name, final: s.final, events: Object.keys(s.on) });
  const groups = groupsOf(wf);
  for (const construct of constructsAt()) {
    const key = construct.key;
    if (construct.sites.includes('state')) {
      for (const state of Object.values(wf.states)) {
        const def = (state as unknown as Record<string, unknown>)[key];
        if (def !== undefined) out.push({ construct, def, state, site: { state: view(state), path: `/states/${state.name}/${key}` } });
      }
    }
    if (construct.sites.includes('group')) {
      for (const { state, group, path } of groups) {
        const def = (group as unknown as Record<string, unknown>)[key];
        if (def !== undefined) {
          out.push({ construct, def, state, group, site: { state: view(state), group: { id: group.id }, path: `${path}/${key}` } });
        }
      }
    }
  }
  return out;
}

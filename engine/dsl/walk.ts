// walk.ts: the lists every check iterates over (transitions, task groups, constructs), in file order.

import { constructsAt } from '../constructs/index.ts';
import type { AnyConstruct, SiteView } from '../constructs/index.ts';
import type { StateDef, TaskGroupDef, TransitionDef, WorkflowDef } from './types.ts';

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

/** The value a construct's key holds on a state or a group (`state.deadline`), as its hooks take it. */
export function constructValue(holder: StateDef | TaskGroupDef, key: string): unknown {
  return (holder as unknown as Record<string, unknown>)[key];
}

/**
 * Events the state's constructs send themselves, not buttons (a deadline's escalate): its own constructs',
 * and with `groups` its task groups' too (a group's escalation event is still its state's `on:` key).
 */
export function systemEventsOf(state: StateDef, groups = false): string[] {
  const of = (site: 'state' | 'group', holder: StateDef | TaskGroupDef): string[] =>
    constructsAt(site).flatMap((c) => {
      const def = constructValue(holder, c.key);
      return def !== undefined && c.systemEvents ? c.systemEvents(def) : [];
    });
  return [...of('state', state), ...(groups ? state.tasks.flatMap((g) => of('group', g)) : [])];
}

/** The diagram's label of a system event of the state's constructs (表决结束), when one gives it. */
export function systemEventLabel(state: StateDef, event: string): string | undefined {
  for (const holder of [state, ...state.tasks]) {
    for (const c of constructsAt(holder === state ? 'state' : 'group')) {
      const def = constructValue(holder, c.key);
      const label = def !== undefined ? c.eventLabel?.(def, event) : undefined;
      if (label) return label;
    }
  }
  return undefined;
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

/** Where a construct's value sits (under `key` of a state, or of one of its groups at `group.path`), as the construct sees it. */
export function siteOf(state: StateDef, key: string, group?: { id: string; path: string }): SiteView {
  const at = group ? group.path : `/states/${state.name}`;
  return { state: { name: state.name, final: state.final, events: Object.keys(state.on) }, ...(group && { group: { id: group.id } }), path: `${at}/${key}` };
}

/** Every construct value, construct by construct in registry order; for each, state values then group values. */
export function constructUsesOf(wf: WorkflowDef): ConstructUse[] {
  const out: ConstructUse[] = [];
  const groups = groupsOf(wf);
  for (const construct of constructsAt()) {
    const key = construct.key;
    if (construct.sites.includes('state')) {
      for (const state of Object.values(wf.states)) {
        const def = constructValue(state, key);
        if (def !== undefined) out.push({ construct, def, state, site: siteOf(state, key) });
      }
    }
    if (construct.sites.includes('group')) {
      for (const { state, group, path } of groups) {
        const def = constructValue(group, key);
        if (def !== undefined) out.push({ construct, def, state, group, site: siteOf(state, key, { id: group.id, path }) });
      }
    }
  }
  return out;
}

// unreachable-state.ts: every state can be reached from the initial one (a typo in a target leaves one stranded).

import { LvzError } from '../../errors.ts';
import type { WorkflowDef } from '../types.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

/** States in breadth-first order from the initial state; the diagram lays out layers the same way. */
export function reachableStates(wf: WorkflowDef): string[] {
  if (!(wf.initial in wf.states)) return [];
  const seen = new Set([wf.initial]);
  const queue = [wf.initial];
  while (queue.length > 0) {
    const s = wf.states[queue.shift()!]!;
    const targets = [...Object.values(s.on).flat(), ...s.always].map((t) => t.to);
    for (const to of targets) {
      if (to in wf.states && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return [...seen];
}

export const unreachableState: Check = (wf, src) => {
  if (!(wf.initial in wf.states)) return []; // reported by unknown-state; everything would be unreachable
  const reached = new Set(reachableStates(wf));
  return Object.keys(wf.states)
    .filter((name) => !reached.has(name))
    .map(
      (name) =>
        new LvzError(
          'LVZ_DSL_UNREACHABLE_STATE',
          `从初始步骤${q(wf.initial)}无法到达步骤${q(name)}：请添加一个转向它的流转，或删除这个步骤`,
          { where: src.at(`/states/${name}`), path: `/states/${name}`, params: { state: name } },
        ),
    );
};

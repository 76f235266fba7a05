// no-way-out.ts: a state that is not final can be left: it has transitions, and someone or something can fire them.

import { LvzError } from '../../errors.ts';
import type { StateDef } from '../types.ts';
import type { Check } from './types.ts';

export const noWayOut: Check = (wf, src) =>
  Object.values(wf.states)
    .filter((s) => !s.final)
    .flatMap((s) => {
      const problem = whyStuck(s);
      if (!problem) return [];
      const path = `/states/${s.name}`;
      return [new LvzError('LVZ_DSL_NO_WAY_OUT', `state "${s.name}" ${problem}`, { where: src.at(path), path, params: { state: s.name } })];
    });

function whyStuck(s: StateDef): string | undefined {
  const events = Object.keys(s.on);
  if (events.length === 0 && s.always.length === 0) {
    return 'has no way out: add on: or always: transitions, or mark it final: true';
  }
  if (s.tasks.length > 0 || s.always.length > 0) return undefined;
  // Without tasks nobody can press a button: only an always: guard or a deadline escalation moves on.
  const escalations = [s.deadline?.escalate].filter((e): e is string => e !== undefined && e in s.on);
  if (escalations.length > 0 || events.includes('done')) return undefined; // `done` without tasks: done-transitions.ts
  return `has no task, so nobody can send its events (${events.join(', ')}): add a task, an always: transition or a deadline that escalates`;
}

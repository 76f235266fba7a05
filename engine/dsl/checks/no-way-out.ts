// no-way-out.ts: a state that is not final can be left: it has transitions, and someone or something can fire them.

import { LvzError } from '../../errors.ts';
import { list, q } from '../../yaml/zh.ts';
import type { StateDef } from '../types.ts';
import type { Check } from './types.ts';

export const noWayOut: Check = (wf, src) =>
  Object.values(wf.states)
    .filter((s) => !s.final)
    .flatMap((s) => {
      const problem = whyStuck(s);
      if (!problem) return [];
      const path = `/states/${s.name}`;
      return [new LvzError('LVZ_DSL_NO_WAY_OUT', `步骤${q(s.name)}${problem}`, { where: src.at(path), path, params: { state: s.name } })];
    });

function whyStuck(s: StateDef): string | undefined {
  const events = Object.keys(s.on);
  if (events.length === 0 && s.always.length === 0) {
    return '没有出路：请添加 on: 或 always: 流转，或把它标记为 final: true';
  }
  // A ballot's close sends `closed` (checks/ballot.ts asks for on: closed).
  if (s.tasks.length > 0 || s.always.length > 0 || s.ballot) return undefined;
  // Without tasks nobody can press a button: only an always: guard or a deadline escalation moves on.
  const escalations = [s.deadline?.escalate].filter((e): e is string => e !== undefined && e in s.on);
  if (escalations.length > 0 || events.includes('done')) return undefined; // `done` without tasks: done-transitions.ts
  return `没有任务，因此没有人能触发它的事件（${list(events)}）：请添加任务、always: 流转，或到期后触发事件（escalate）的办理期限`;
}

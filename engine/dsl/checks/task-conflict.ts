// task-conflict.ts: a state has task: or tasks:, not both; and a final state has neither.

import { LvzError } from '../../errors.ts';
import type { Check } from './types.ts';

export const taskConflict: Check = (wf, src) => {
  const raw = ((src.value as { states?: Record<string, Record<string, unknown>> })?.states ?? {});
  const errors: LvzError[] = [];
  for (const s of Object.values(wf.states)) {
    const r = raw[s.name] ?? {};
    if (r.task !== undefined && r.tasks !== undefined) {
      const path = `/states/${s.name}/tasks`;
      errors.push(
        new LvzError('LVZ_DSL_TASK_CONFLICT', `state "${s.name}" has both "task" and "tasks": keep task for one task, or tasks for a list of groups`, {
          where: src.at(path),
          path,
          params: { state: s.name },
        }),
      );
    }
    if (s.final && s.tasks.length > 0) {
      const path = `/states/${s.name}/${r.tasks !== undefined ? 'tasks' : 'task'}`;
      errors.push(
        new LvzError('LVZ_DSL_TASK_CONFLICT', `final state "${s.name}" has a task, but the process ends there: remove the task or "final: true"`, {
          where: src.at(path),
          path,
          params: { state: s.name },
        }),
      );
    }
  }
  return errors;
};

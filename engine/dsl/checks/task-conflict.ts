// task-conflict.ts: a state has task: or tasks:, not both; and a final state has neither.

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const taskConflict: Check = (wf, src) => {
  const raw = ((src.value as { states?: Record<string, Record<string, unknown>> })?.states ?? {});
  const errors: LvzError[] = [];
  for (const s of Object.values(wf.states)) {
    const r = raw[s.name] ?? {};
    if (r.task !== undefined && r.tasks !== undefined) {
      const path = `/states/${s.name}/tasks`;
      errors.push(
        new LvzError('LVZ_DSL_TASK_CONFLICT', `步骤${q(s.name)}同时写了“task”和“tasks”：只有一个任务时用 task，有多组任务时用 tasks，请删去其中一个`, {
          where: src.at(path),
          path,
          params: { state: s.name },
        }),
      );
    }
    if (s.final && s.tasks.length > 0) {
      const path = `/states/${s.name}/${r.tasks !== undefined ? 'tasks' : 'task'}`;
      errors.push(
        new LvzError('LVZ_DSL_TASK_CONFLICT', `结束步骤${q(s.name)}有任务，但流程在这里结束：请删除任务，或去掉“final: true”`, {
          where: src.at(path),
          path,
          params: { state: s.name },
        }),
      );
    }
  }
  return errors;
};

// assignment.ts: each task group says who takes it (role or assignee, not both) and has a unique id in its state.

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import { groupsOf } from '../walk.ts';
import type { Check } from './types.ts';

export const assignment: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const seen = new Map<string, Set<string>>();
  for (const { state, group, path } of groupsOf(wf)) {
    const hasRole = group.role !== undefined;
    const hasAssignee = group.assignee !== undefined;
    // A group step's to: says who is asked (checked with the group construct).
    if (hasRole === hasAssignee && !group.to) {
      errors.push(
        new LvzError(
          'LVZ_DSL_SCHEMA',
          hasRole
            ? `步骤${q(state.name)}的任务同时写了 role 和 assignee：请只保留一个（role 表示具有该角色的人都可办理，assignee 表示指定一人办理）`
            : `步骤${q(state.name)}的任务没有指定由谁办理：请添加 role: <角色>，或 assignee: initiator（或给出用户 id 的 CEL 表达式）`,
          { where: src.at(path), path, params: { state: state.name } },
        ),
      );
    }
    const ids = seen.get(state.name) ?? new Set<string>();
    seen.set(state.name, ids);
    if (ids.has(group.id)) {
      errors.push(
        new LvzError('LVZ_DSL_SCHEMA', `步骤${q(state.name)}中有两个 id 都为${q(group.id)}的任务组：请为每个任务组取不同的 id`, {
          where: src.at(`${path}/id`),
          path: `${path}/id`,
          params: { state: state.name, id: group.id },
        }),
      );
    }
    ids.add(group.id);
  }
  return errors;
};

// wait-for.ts: `wait_for:` names another task group of the same step (the lead unit waits for its
// co-handlers); two groups waiting for each other would never submit.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const waitFor: Check = (wf, src) => {
  const errors: LvzError[] = [];
  for (const { state, group, path: at } of groupsOf(wf)) {
    if (group.wait_for === undefined) continue;
    const path = `${at}/wait_for`;
    const others = state.tasks.filter((g) => g.id !== group.id).map((g) => g.id);
    const target = state.tasks.find((g) => g.id === group.wait_for);
    const problem = group.wait_for === group.id
      ? `任务组${q(group.id)}不能等待它自己`
      : !target
        ? `步骤${q(state.name)}中没有任务组${q(group.wait_for)}`
        : target.wait_for === group.id
          ? `任务组${q(group.id)}和${q(target.id)}互相等待，两者都永远不能提交`
          : undefined;
    if (!problem) continue;
    const fix = others.length > 0 ? `请改为同一步骤中的另一个任务组：${others.join('、')}` : '请在 tasks: 中加上要等待的任务组，或去掉 wait_for:';
    errors.push(new LvzError('LVZ_DSL_BAD_WAIT_FOR', `${problem}：${fix}`,
      { where: src.at(path), path, params: { state: state.name, group: group.id, wait_for: group.wait_for } }));
  }
  return errors;
};

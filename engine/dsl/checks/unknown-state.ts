// unknown-state.ts: the initial state, every transition target and every return_to name a declared state.

import { LvzError } from '../../errors.ts';
import { groupsOf, transitionsOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const unknownState: Check = (wf, src) => {
  const known = Object.keys(wf.states);
  const hint = `请在 states: 下声明它，或改用已有步骤之一：${list(known)}`;
  const errors: LvzError[] = [];
  if (!(wf.initial in wf.states)) {
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_STATE', `初始步骤（initial）${q(wf.initial)}未定义：${hint}`, {
        where: src.at('/initial'),
        path: '/initial',
        params: { to: wf.initial },
      }),
    );
  }
  for (const { from, t } of transitionsOf(wf)) {
    if (t.to in wf.states) continue;
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_STATE', `步骤${q(from.name)}转向未定义的步骤${q(t.to)}：${hint}`, {
        where: src.at(`${t.path}/to`),
        path: t.path,
        params: { from: from.name, to: t.to },
      }),
    );
  }
  for (const { state, group, path } of groupsOf(wf)) {
    group.return_to.forEach((to, i) => {
      if (to in wf.states) return;
      errors.push(
        new LvzError('LVZ_DSL_UNKNOWN_STATE', `步骤${q(state.name)}的 return_to 指向未定义的步骤${q(to)}：${hint}`, {
          where: src.at(`${path}/return_to/${i}`),
          path: `${path}/return_to/${i}`,
          params: { from: state.name, to },
        }),
      );
    });
  }
  return errors;
};

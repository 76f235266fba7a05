// final-state.ts: a final state ends the process, so it has no transitions (nor a deadline: constructs/deadline/).

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const finalState: Check = (wf, src) =>
  Object.values(wf.states)
    .filter((s) => s.final)
    .flatMap((s) => {
      const keys = [
        Object.keys(s.on).length > 0 && 'on',
        s.always.length > 0 && 'always',
      ].filter((k): k is string => typeof k === 'string');
      return keys.map((k) => {
        const path = `/states/${s.name}/${k}`;
        return new LvzError('LVZ_DSL_SCHEMA', `结束步骤${q(s.name)}不能有${q(k)}：流程在这里结束；请删除${q(k)}，或去掉“final: true”`, {
          where: src.at(path),
          path,
          params: { state: s.name, key: k },
        });
      });
    });

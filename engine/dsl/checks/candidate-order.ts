// candidate-order.ts: in a list of candidates (transitions; a deadline's cases: constructs/deadline/) only the last
// may omit `when`, because first match wins and every candidate after an unconditional one would never be taken.

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const candidateOrder: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const check = (items: { when?: string }[], pathOf: (i: number) => string, what: string): void => {
    items.slice(0, -1).forEach((c, i) => {
      if (c.when !== undefined) return;
      const path = pathOf(i);
      errors.push(
        new LvzError(
          'LVZ_DSL_SCHEMA',
          `${what}：第 ${i + 1} 个候选没有 when，排在它后面的候选永远不会被采用：请给它加上 when，或把它移到最后`,
          { where: src.at(path), path, params: { index: i } },
        ),
      );
    });
  };
  for (const s of Object.values(wf.states)) {
    for (const [event, ts] of Object.entries(s.on)) check(ts, (i) => ts[i]!.path, `步骤${q(s.name)}的 on.${event}`);
    check(s.always, (i) => s.always[i]!.path, `步骤${q(s.name)}的 always:`);
  }
  return errors;
};

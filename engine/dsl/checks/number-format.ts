// number-format.ts: a workflow's `number:` has one {year} and one {seq}, and nothing else in braces.

import { LvzError } from '../../errors.ts';
import { numberFormatProblem } from '../number-format.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const numberFormat: Check = (wf, src) => {
  const problem = wf.number === undefined ? undefined : numberFormatProblem(wf.number);
  if (!problem) return [];
  return [new LvzError('LVZ_DSL_BAD_NUMBER', `编号格式${q(wf.number!)}不能用：${problem}；例如 “建议 第{year}{seq:3}号”`, {
    where: src.at('/number'),
    path: '/number',
    params: { number: wf.number },
  })];
};

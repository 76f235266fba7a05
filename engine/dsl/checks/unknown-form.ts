// unknown-form.ts: the record form and every task form exist.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const unknownForm: Check = (wf, src, ctx) => {
  const known = [...ctx.forms.keys()].sort();
  const hint = known.length > 0 ? `请改用已有表单之一：${list(known)}，或新建 forms/<id>.yaml` : '请新建 forms/<id>.yaml';
  const errors: LvzError[] = [];
  if (!ctx.forms.has(wf.record)) {
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_FORM', `记录表单（record）${q(wf.record)}不存在：${hint}`, {
        where: src.at('/record'),
        path: '/record',
        params: { form: wf.record },
      }),
    );
  }
  for (const { state, group, path } of groupsOf(wf)) {
    if (group.form === undefined || ctx.forms.has(group.form)) continue;
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_FORM', `步骤${q(state.name)}使用的表单${q(group.form)}不存在：${hint}`, {
        where: src.at(`${path}/form`),
        path: `${path}/form`,
        params: { form: group.form },
      }),
    );
  }
  return errors;
};

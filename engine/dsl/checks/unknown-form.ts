// unknown-form.ts: the record form and every task form exist.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import type { Check } from './types.ts';

export const unknownForm: Check = (wf, src, ctx) => {
  const known = [...ctx.forms.keys()].sort();
  const hint = known.length > 0 ? `use one of ${known.join(', ')} or add forms/<id>.yaml` : 'add forms/<id>.yaml';
  const errors: LvzError[] = [];
  if (!ctx.forms.has(wf.record)) {
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_FORM', `record form "${wf.record}" does not exist: ${hint}`, {
        where: src.at('/record'),
        path: '/record',
        params: { form: wf.record },
      }),
    );
  }
  for (const { state, group, path } of groupsOf(wf)) {
    if (group.form === undefined || ctx.forms.has(group.form)) continue;
    errors.push(
      new LvzError('LVZ_DSL_UNKNOWN_FORM', `state "${state.name}" uses form "${group.form}", which does not exist: ${hint}`, {
        where: src.at(`${path}/form`),
        path: `${path}/form`,
        params: { form: group.form },
      }),
    );
  }
  return errors;
};

// step-fields.ts: a field a step requires (`fields.require`) or puts a rule's error on (`rules[].field`)
// is one the step edits; otherwise the user is told to fix a field the page does not let him change.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const stepFields: Check = (wf, src) => {
  const errors: LvzError[] = [];
  for (const { state, group, path } of groupsOf(wf)) {
    const edited = new Set(group.fields.edit);
    const report = (field: string, at: string, what: string): void => {
      if (edited.has(field)) return;
      errors.push(new LvzError('LVZ_DSL_FIELD_NOT_EDITED',
        `步骤${q(state.name)}的 ${what} 指向字段${q(field)}，但这一步不能编辑它，用户无法按提示改正：`
        + `请把它加入 fields.edit，或改用这一步编辑的字段：${edited.size > 0 ? list(edited) : '（无）'}`,
        { where: src.at(at), path: at, params: { state: state.name, field } }));
    };
    group.fields.require.forEach((f, i) => report(f, `${path}/fields/require/${i}`, 'fields.require'));
    group.rules.forEach((r, i) => report(r.field, `${path}/rules/${i}/field`, `rules 第 ${i + 1} 条的 field`));
  }
  return errors;
};

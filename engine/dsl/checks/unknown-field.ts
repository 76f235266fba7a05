// unknown-field.ts: field rights and `set:` keys name fields of the form they act on.
// (Fields named inside expressions are checked with the expressions, in expressions.ts.)

import { LvzError } from '../../errors.ts';
import type { CompiledForm } from '../../forms/types.ts';
import { groupsOf, transitionsOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const unknownField: Check = (wf, src, ctx) => {
  const errors: LvzError[] = [];
  const report = (form: CompiledForm, field: string, path: string, what: string): void => {
    if (form.byName.has(field)) return;
    errors.push(
      new LvzError(
        'LVZ_DSL_UNKNOWN_FIELD',
        `${what}引用了字段${q(field)}，但表单${q(form.def.id)}没有这个字段：请改用以下字段之一：${list(form.byName.keys())}`,
        { where: src.at(path), path, params: { field, form: form.def.id } },
      ),
    );
  };
  const record = ctx.forms.get(wf.record);
  for (const { state, group, path } of groupsOf(wf)) {
    const form = ctx.forms.get(group.form ?? wf.record);
    if (!form) continue; // reported by unknown-form
    for (const right of ['edit', 'read', 'hidden'] as const) {
      group.fields[right].forEach((f, i) =>
        report(form, f, `${path}/fields/${right}/${i}`, `步骤${q(state.name)}的 fields.${right} `),
      );
    }
  }
  if (!record) return errors;
  for (const state of Object.values(wf.states)) {
    for (const f of Object.keys(state.set ?? {})) report(record, f, `/states/${state.name}/set/${f}`, `步骤${q(state.name)}的 set: `);
  }
  for (const { from, t } of transitionsOf(wf)) {
    for (const f of Object.keys(t.set ?? {})) report(record, f, `${t.path}/set/${f}`, `步骤${q(from.name)}的流转的 set: `);
  }
  return errors;
};

// decision-conflict.ts: a button that records a decision (`set:`) on a field the same step lets the
// user edit can contradict it: 不予立案 pressed while the radio says 列入会议议程. One of the two must go.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const decisionConflict: Check = (wf, src, ctx) => {
  const errors: LvzError[] = [];
  for (const { state, group } of groupsOf(wf)) {
    const form = ctx.forms.get(group.form ?? wf.record);
    const edited = new Set(group.fields.edit);
    for (const [event, ts] of Object.entries(state.on)) {
      for (const t of ts) {
        for (const field of Object.keys(t.set ?? {})) {
          if (!edited.has(field)) continue;
          const label = form?.byName.get(field)?.label ?? field;
          const button = t.label ?? event;
          const path = `${t.path}/set/${field}`;
          errors.push(new LvzError('LVZ_DSL_DECISION_CONFLICT',
            `步骤${q(state.name)}的按钮${q(button)}会把${q(label)}设为固定值，而这一步又让用户自己填写${q(label)}，两者可能矛盾：`
            + `请把 ${field} 从 fields.edit 移到 fields.read，由每个按钮的 set: 记录决定；或去掉 set:，用 when: 按所填的值决定去向`,
            { where: src.at(path), path, params: { state: state.name, event, field } }));
        }
      }
    }
  }
  return errors;
};

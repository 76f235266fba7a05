// select.ts: one choice among many, shown as a drop-down list.

import type { FieldType } from './field-type.ts';
import { baseModel, parseString } from './field-type.ts';
import { checkOne, choiceItems, labelsOf, pickedValues } from './choices.ts';

export const select: FieldType = {
  name: 'select',
  partial: 'fields/select',
  keys: ['options'],
  parse: (raw) => parseString(raw),
  validate: (field, value) => checkOne(field, value, field.options ?? []),
  model(field, value, ctx) {
    const picked = pickedValues(value);
    const m = baseModel(field, typeof value === 'string' ? value : '', ctx, 'fields/select', labelsOf(field.options ?? [], picked));
    m.items = choiceItems(field.options ?? [], picked, ctx.id);
    return m;
  },
  examples: [
    { title: 'picked', field: { label: '类别', options: ['经济建设', '政法', '其他'].map((v) => ({ value: v, label: v })) }, value: '政法' },
  ],
};

// checkboxes.ts: several choices; the value is a list of the picked option values.

import type { FieldType } from './field-type.ts';
import { baseModel, parseStrings } from './field-type.ts';
import { checkMany, choiceItems, labelsOf, pickedValues } from './choices.ts';

export const checkboxes: FieldType = {
  name: 'checkboxes',
  partial: 'fields/checkboxes',
  keys: ['options'],
  parse: (raw) => parseStrings(raw),
  validate: (field, value) => checkMany(field, value, field.options ?? []),
  model(field, value, ctx) {
    const picked = pickedValues(value);
    const m = baseModel(field, picked, ctx, 'fields/checkboxes', labelsOf(field.options ?? [], picked));
    m.items = choiceItems(field.options ?? [], picked, ctx.id);
    return m;
  },
  examples: [
    { title: 'two picked', field: { label: '涉及领域', options: ['教育', '医疗', '交通'].map((v) => ({ value: v, label: v })) }, value: ['教育', '交通'] },
  ],
};

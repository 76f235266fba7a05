// radios.ts: one choice among a few, shown as radio buttons in a fieldset.

import type { FieldType } from './field-type.ts';
import { baseModel, parseString } from './field-type.ts';
import { checkOne, choiceItems, labelsOf, pickedValues } from './choices.ts';

export const radios: FieldType = {
  name: 'radios',
  partial: 'fields/radios',
  keys: ['options'],
  parse: (raw) => parseString(raw),
  validate: (field, value) => checkOne(field, value, field.options ?? []),
  model(field, value, ctx) {
    const picked = pickedValues(value);
    const m = baseModel(field, typeof value === 'string' ? value : '', ctx, 'fields/radios', labelsOf(field.options ?? [], picked));
    m.items = choiceItems(field.options ?? [], picked, ctx.id);
    return m;
  },
  examples: [
    { title: 'picked', field: { label: '是否重点建议', options: [{ value: '是', label: '是' }, { value: '否', label: '否' }] }, value: '否' },
    { title: 'none', field: { label: '办理态度', required: true, options: ['好', '较好', '差'].map((v) => ({ value: v, label: v })) }, value: undefined },
  ],
};

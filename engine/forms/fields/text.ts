// text.ts: a one-line text input.

import type { FieldType } from './field-type.ts';
import { baseModel, parseString } from './field-type.ts';
import { checkText } from './text-rules.ts';

export const text: FieldType = {
  name: 'text',
  partial: 'fields/text',
  keys: ['min_length', 'max_length', 'pattern', 'pattern_message'],
  parse: (raw) => parseString(raw),
  validate: (field, value) => checkText(field, value),
  model(field, value, ctx) {
    const s = typeof value === 'string' ? value : value === undefined ? '' : String(value);
    return baseModel(field, s, ctx, 'fields/text', s);
  },
  examples: [
    { title: 'empty', field: { label: '标题', required: true, max_length: 100 }, value: undefined },
    { title: 'with hint', field: { label: '联系电话', hint: '手机号码，11位', pattern: '1\\d{10}' }, value: '13800000000' },
  ],
};

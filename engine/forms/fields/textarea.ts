// textarea.ts: multi-line text with a character count when max_length is set.

import type { FieldType } from './field-type.ts';
import { baseModel, charCount, firstString } from './field-type.ts';
import { checkText } from './text-rules.ts';

export const textarea: FieldType = {
  name: 'textarea',
  partial: 'fields/textarea',
  keys: ['min_length', 'max_length', 'pattern', 'pattern_message', 'rows'],
  parse(raw) {
    // Browsers send CRLF; one line break counts as one character, as the count on the page shows it.
    const s = firstString(raw)?.replace(/\r\n?/g, '\n').trim();
    return s ? s : undefined;
  },
  validate: (field, value) => checkText(field, value),
  model(field, value, ctx) {
    const s = typeof value === 'string' ? value : value === undefined ? '' : String(value);
    const m = baseModel(field, s, ctx, 'fields/textarea', s);
    m.attrs = { rows: field.rows ?? 5 };
    if (field.max_length !== undefined && !ctx.readonly) {
      m.maxLength = field.max_length;
      const left = field.max_length - charCount(s);
      m.countMessage = left >= 0 ? `还可以输入 ${left} 个字` : `超出 ${-left} 个字`;
      // The count is announced with the field, after its hint and error.
      m.describedBy = [m.describedBy, `${ctx.id}-count`].filter(Boolean).join(' ');
    }
    return m;
  },
  examples: [
    { title: 'with count', field: { label: '建议内容', required: true, max_length: 5000 }, value: '关于加快老旧小区改造的建议' },
    { title: 'no limit', field: { label: '评价意见' }, value: undefined },
  ],
};

// number.ts: a number typed as text (inputmode=decimal), so "1,000" and full-width digits are read too.

import type { FieldType } from './field-type.ts';
import { baseModel, parseString } from './field-type.ts';

/** Full-width digits and signs (what a Chinese IME types) to ASCII. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export const number: FieldType = {
  name: 'number',
  partial: 'fields/number',
  keys: ['min', 'max', 'step'],
  parse(raw) {
    const s = parseString(raw);
    if (s === undefined) return undefined;
    const plain = toHalfWidth(s).replace(/[,\s]/g, '');
    return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(plain) ? Number(plain) : s;
  },
  validate(field, value) {
    const { label } = field;
    if (value === undefined) return field.required ? `请输入${label}` : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${label}必须是数字`;
    if (typeof field.min === 'number' && value < field.min) return `${label}不能小于${field.min}`;
    if (typeof field.max === 'number' && value > field.max) return `${label}不能大于${field.max}`;
    if (field.step !== undefined) {
      const base = typeof field.min === 'number' ? field.min : 0;
      const k = (value - base) / field.step;
      // Compare with a tolerance: 0.3 / 0.1 is 2.9999999999999996 in binary floating point.
      if (Math.abs(k - Math.round(k)) > 1e-9) return field.step === 1 ? `${label}必须是整数` : `${label}必须是${field.step}的整数倍`;
    }
    return undefined;
  },
  model(field, value, ctx) {
    const s = value === undefined || value === null ? '' : String(value);
    const m = baseModel(field, s, ctx, 'fields/number', s);
    m.attrs = { inputmode: field.step === 1 ? 'numeric' : 'decimal' };
    return m;
  },
  examples: [
    { title: 'whole number', field: { label: '附议人数', min: 0, step: 1 }, value: 12 },
    { title: 'typed wrong', field: { label: '金额（万元）' }, value: '十二' },
  ],
};

// date.ts: a calendar date stored as YYYY-MM-DD; 2026/3/15 and 2026年3月15日 are read too.

import type { FieldType } from './field-type.ts';
import { baseModel, parseString } from './field-type.ts';
import { toHalfWidth } from './number.ts';

export const DATE_EXAMPLE = '2026-03-15';

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). Pure: no clock. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** 2026-03-15 -> 2026年3月15日, the way Chinese documents write a date. */
export function displayDate(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : s;
}

export const date: FieldType = {
  name: 'date',
  partial: 'fields/date',
  keys: ['min', 'max'],
  parse(raw) {
    const s = parseString(raw);
    if (s === undefined) return undefined;
    const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(toHalfWidth(s));
    return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
  },
  validate(field, value) {
    const { label } = field;
    if (value === undefined) return field.required ? `请输入${label}` : undefined;
    if (typeof value !== 'string' || !isIsoDate(value)) return `请输入有效的日期，例如 ${DATE_EXAMPLE}`;
    if (typeof field.min === 'string' && value < field.min) return `${label}不能早于${displayDate(field.min)}`;
    if (typeof field.max === 'string' && value > field.max) return `${label}不能晚于${displayDate(field.max)}`;
    return undefined;
  },
  model(field, value, ctx) {
    const s = typeof value === 'string' ? value : '';
    const m = baseModel(field, s, ctx, 'fields/date', displayDate(s));
    if (typeof field.min === 'string') (m.attrs ??= {}).min = field.min;
    if (typeof field.max === 'string') (m.attrs ??= {}).max = field.max;
    return m;
  },
  examples: [
    { title: 'a date', field: { label: '提出日期', required: true }, value: '2026-03-15' },
    { title: 'typed wrong', field: { label: '提出日期' }, value: '2026-02-30' },
  ],
};

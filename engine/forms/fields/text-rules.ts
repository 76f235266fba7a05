// text-rules.ts: the length and pattern rules text and textarea share.

import type { FieldDef } from '../types.ts';
import '../../expr/linear-regexp.ts';
import { needsUnicode } from '../../expr/regex-check.ts';
import { charCount } from './field-type.ts';

const patterns = new Map<string, RegExp>();

/** The longest value a pattern is run on, whatever the field's max_length (the pattern's run is bounded too). */
export const MAX_PATTERN_INPUT = 10_000;

/**
 * The admin's pattern, anchored to the whole value; compile checks it parses and is safe (regex-check.ts).
 * Without the `u` flag unless the pattern needs it (`\p{..}`, `\u{..}`): V8's linear fallback
 * (linear-regexp.ts) takes no `u`. A `u`-valid pattern means the same without it, except that `.` and a
 * negated class then see a character outside the BMP (an emoji, a rare CJK extension) as two.
 */
export function anchoredPattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, needsUnicode(pattern) ? 'u' : '');
    patterns.set(pattern, re);
  }
  return re;
}

export function checkText(field: FieldDef, value: unknown): string | undefined {
  if (value === undefined) return field.required ? `请输入${field.label}` : undefined;
  if (typeof value !== 'string') return `${field.label}必须是文字`;
  const n = charCount(value);
  if (field.min_length !== undefined && n < field.min_length) return `${field.label}不能少于${field.min_length}个字`;
  if (field.max_length !== undefined && n > field.max_length) return `${field.label}不能超过${field.max_length}个字`;
  if (field.pattern !== undefined && n > MAX_PATTERN_INPUT) return `${field.label}不能超过${MAX_PATTERN_INPUT}个字`;
  if (field.pattern !== undefined && !anchoredPattern(field.pattern).test(value)) {
    return field.pattern_message ?? `${field.label}的格式不正确`;
  }
  return undefined;
}

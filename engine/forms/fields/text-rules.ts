// text-rules.ts: the length and pattern rules text and textarea share.

import type { FieldDef } from '../types.ts';
import { charCount } from './field-type.ts';

const patterns = new Map<string, RegExp>();

/** The admin's pattern, anchored to the whole value; compile checks it parses. */
export function anchoredPattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
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
  if (field.pattern !== undefined && !anchoredPattern(field.pattern).test(value)) {
    return field.pattern_message ?? `${field.label}的格式不正确`;
  }
  return undefined;
}

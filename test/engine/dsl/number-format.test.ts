// number-format.test.ts: what a workflow's `number:` may say, and the numbers it gives.

import { describe, expect, it } from 'vitest';
import { DEFAULT_NUMBER_FORMAT, formatNumber, numberFormatProblem } from '../../../engine/dsl/number-format.ts';

describe('formatNumber', () => {
  it.each([
    ['建议 第{year}{seq:3}号', 1, '建议 第2026001号'],
    ['议案 第{year}{seq:3}号', 12, '议案 第2026012号'],
    ['建议 第{year}{seq:3}号', 1234, '建议 第20261234号'], // past the width it grows, never wraps
    ['{year}-{seq}', 7, '2026-7'],
    [DEFAULT_NUMBER_FORMAT, 1, '2026-0001'],
  ])('%s, #%i = %s', (format, seq, number) => {
    expect(numberFormatProblem(format)).toBeUndefined();
    expect(formatNumber(format, 2026, seq)).toBe(number);
  });
});

describe('numberFormatProblem', () => {
  it.each([
    ['建议 第{seq:3}号', /\{year\}/],
    ['建议 第{year}号', /序号/],
    ['{year}{year}{seq}', /只含一个 \{year\}/],
    ['{year}-{seq}-{seq:2}', /只含一个序号/],
    ['{year}-{n}', /不认识占位符 \{n\}/],
    ['{year}-{seq:0}', /不认识占位符/],
    ['{year}-{seq}}', /花括号不成对/],
    ['某某某某某某某某某某某某某某某某某 {year}{seq:3}', /最多 16 个字/],
  ])('%s is refused', (format, message) => {
    expect(numberFormatProblem(format)).toMatch(message);
  });
});

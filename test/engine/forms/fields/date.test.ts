// date.test.ts: dates as YYYY-MM-DD, real calendar dates only, min and max.
import { describe, expect, it } from 'vitest';
import { date } from '../../../../engine/forms/fields/date.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

describe('date', () => {
  const f = field('date', { label: '提出日期', required: true, min: '2026-01-01', max: '2026-12-31' });
  const v = (raw: unknown) => date.validate(f, date.parse(raw, f), { dir });
  it('reads common ways of writing a date', () => {
    expect(date.parse('2026-03-15', f)).toBe('2026-03-15');
    expect(date.parse('2026/3/5', f)).toBe('2026-03-05');
    expect(date.parse('2026年3月15日', f)).toBe('2026-03-15');
    expect(date.parse('', f)).toBeUndefined();
  });
  it('rules', () => {
    expect(v('')).toBe('请输入提出日期');
    expect(v('2026-02-30')).toBe('请输入有效的日期，例如 2026-03-15');
    expect(v('下周一')).toBe('请输入有效的日期，例如 2026-03-15');
    expect(v('2025-12-31')).toBe('提出日期不能早于2026年1月1日');
    expect(v('2027-01-01')).toBe('提出日期不能晚于2026年12月31日');
    expect(v('2026-02-28')).toBeUndefined();
    expect(date.validate(field('date'), '2028-02-29', { dir })).toBeUndefined();
  });
  it('shows dates the Chinese way when read only', () => {
    expect(date.model(f, '2026-03-15', ctx({ readonly: true })).display).toBe('2026年3月15日');
    const html = renderField(date.model(f, '2026-03-15', ctx()));
    expect(html).toContain('type="date"');
    expect(html).toContain('value="2026-03-15"');
    expect(html).toContain('min="2026-01-01"');
  });
  it('renders its examples', () => expect(renderExamples('date').length).toBeGreaterThan(0));
});

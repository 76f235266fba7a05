// number.test.ts: numbers typed as text, with min, max and step.
import { describe, expect, it } from 'vitest';
import { number } from '../../../../engine/forms/fields/number.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

describe('number', () => {
  const f = field('number', { label: '人数', required: true, min: 1, max: 100, step: 1 });
  const v = (raw: unknown) => number.validate(f, number.parse(raw, f), { dir });
  it('reads digits, commas and full-width digits', () => {
    expect(number.parse('12', f)).toBe(12);
    expect(number.parse(' 1,000 ', f)).toBe(1000);
    expect(number.parse('１２', f)).toBe(12);
    expect(number.parse('-2.5', f)).toBe(-2.5);
    expect(number.parse('', f)).toBeUndefined();
    expect(number.parse('十二', f)).toBe('十二');
  });
  it('rules', () => {
    expect(v('')).toBe('请输入人数');
    expect(v('十二')).toBe('人数必须是数字');
    expect(v('0')).toBe('人数不能小于1');
    expect(v('101')).toBe('人数不能大于100');
    expect(v('2.5')).toBe('人数必须是整数');
    expect(v('100')).toBeUndefined();
    const half = field('number', { label: '金额', step: 0.1 });
    expect(number.validate(half, 0.3, { dir })).toBeUndefined();
    expect(number.validate(field('number', { label: '金额', step: 0.5 }), 0.3, { dir })).toBe('金额必须是0.5的整数倍');
  });
  it('keeps what was typed when it is not a number', () => {
    const html = renderField(number.model(f, '十二', ctx({ error: '人数必须是数字' })));
    expect(html).toContain('value="十二"');
    expect(html).toContain('inputmode="numeric"');
  });
  it('renders its examples', () => expect(renderExamples('number').length).toBeGreaterThan(0));
});

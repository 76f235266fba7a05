// checkboxes.test.ts: several choices from a string or a list of strings.
import { describe, expect, it } from 'vitest';
import { checkboxes } from '../../../../engine/forms/fields/checkboxes.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const options = ['教育', '医疗', '交通'].map((v) => ({ value: v, label: v }));

describe('checkboxes', () => {
  const f = field('checkboxes', { label: '涉及领域', required: true, options });
  it('accepts a string or string[]', () => {
    expect(checkboxes.parse('教育', f)).toEqual(['教育']);
    expect(checkboxes.parse(['教育', '交通'], f)).toEqual(['教育', '交通']);
    expect(checkboxes.parse(['', ''], f)).toBeUndefined();
    expect(checkboxes.parse(undefined, f)).toBeUndefined();
  });
  it('rules', () => {
    expect(checkboxes.validate(f, undefined, { dir })).toBe('请选择涉及领域');
    expect(checkboxes.validate(f, ['教育', '交通'], { dir })).toBeUndefined();
    expect(checkboxes.validate(f, ['教育', '军事'], { dir })).toBe('涉及领域的选项无效，请重新选择');
    expect(checkboxes.validate(f, ['教育', '教育'], { dir })).toBe('涉及领域不能重复选择同一项');
  });
  it('renders checked boxes, first id unsuffixed, labels as display', () => {
    const m = checkboxes.model(f, ['交通', '教育'], ctx());
    const html = renderField(m);
    expect(html).toContain('id="f-x" name="x" type="checkbox" value="教育" checked');
    expect(html).toContain('id="f-x-2" name="x" type="checkbox" value="医疗">');
    expect(m.display).toBe('交通、教育');
  });
  it('renders its examples', () => expect(renderExamples('checkboxes').length).toBeGreaterThan(0));
});

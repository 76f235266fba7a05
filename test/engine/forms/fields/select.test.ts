// select.test.ts: one choice from a list.
import { describe, expect, it } from 'vitest';
import { select } from '../../../../engine/forms/fields/select.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const options = ['经济建设', '政法', '其他'].map((v) => ({ value: v, label: v }));

describe('select', () => {
  const f = field('select', { label: '类别', required: true, options });
  it('rules', () => {
    expect(select.validate(f, select.parse('', f), { dir })).toBe('请选择类别');
    expect(select.validate(f, select.parse('政法', f), { dir })).toBeUndefined();
    expect(select.validate(f, select.parse('<b>x</b>', f), { dir })).toBe('类别的选项无效，请重新选择');
  });
  it('renders an empty first option and the picked one selected', () => {
    const html = renderField(select.model(f, '政法', ctx()));
    expect(html).toContain('<option value="">请选择</option>');
    expect(html).toContain('<option value="政法" selected>政法</option>');
  });
  it('renders its examples', () => expect(renderExamples('select').length).toBeGreaterThan(0));
});

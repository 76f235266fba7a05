// radios.test.ts: one choice; membership; first radio id unsuffixed.
import { describe, expect, it } from 'vitest';
import { radios } from '../../../../engine/forms/fields/radios.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const options = ['好', '较好', '差'].map((v) => ({ value: v, label: v }));

describe('radios', () => {
  const f = field('radios', { label: '办理态度', required: true, options });
  it('rules: required and only offered values', () => {
    expect(radios.validate(f, radios.parse('', f), { dir })).toBe('请选择办理态度');
    expect(radios.validate(f, radios.parse('较好', f), { dir })).toBeUndefined();
    expect(radios.validate(f, radios.parse('很好', f), { dir })).toBe('办理态度的选项无效，请重新选择');
  });
  it('ids: the first is the field id, then -2, -3', () => {
    const m = radios.model(f, '差', ctx());
    expect(m.items!.map((i) => i.id)).toEqual(['f-x', 'f-x-2', 'f-x-3']);
    expect(m.items!.map((i) => i.checked)).toEqual([false, false, true]);
    const html = renderField({ ...m, error: '请选择办理态度', errorId: 'f-x-error', describedBy: 'f-x-error' });
    expect(html).toContain('<fieldset class="lz-fieldset" aria-describedby="f-x-error">');
    expect(html).toContain('<legend class="lz-fieldset__legend">办理态度');
    expect(html).toContain('id="f-x" name="x" type="radio" value="好"');
    expect(html).toContain('id="f-x-3" name="x" type="radio" value="差" checked');
  });
  it('shows the label of a value when read only', () => {
    const g = field('radios', { label: '办理结果', options: [{ value: 'A', label: 'A类：已经解决' }] });
    expect(radios.model(g, 'A', ctx({ readonly: true })).display).toBe('A类：已经解决');
    expect(radios.model(g, undefined, ctx({ readonly: true })).display).toBe('未填写');
  });
  it('renders its examples', () => expect(renderExamples('radios').length).toBeGreaterThan(0));
});

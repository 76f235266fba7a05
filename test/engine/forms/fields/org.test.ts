// org.test.ts: organisations from the directory; a forged or filtered-out id is refused.
import { describe, expect, it } from 'vitest';
import { org } from '../../../../engine/forms/fields/org.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

describe('org', () => {
  const f = field('org', { name: 'lead_unit', label: '主办单位', required: true, filter: { kind: 'unit' } });
  it('rules: required, and only ids the filtered directory offers', () => {
    expect(org.validate(f, org.parse('', f), { dir })).toBe('请选择主办单位');
    expect(org.validate(f, org.parse('city-fgw', f), { dir })).toBeUndefined();
    expect(org.validate(f, org.parse('city-evil', f), { dir })).toBe('主办单位不在可选范围内，请重新选择');
    expect(org.validate(f, org.parse('city-fzw', f), { dir })).toBe('主办单位不在可选范围内，请重新选择'); // a committee, not a unit
    expect(org.validate(f, 'city-fgw', { dir: { orgs: dir.orgs, people: [] } })).toBe('主办单位不在可选范围内，请重新选择');
  });
  it('multiple: string or list, each checked', () => {
    const g = field('org', { label: '协办单位', multiple: true, filter: { kind: 'unit' } });
    expect(org.parse('city-fgw', g)).toEqual(['city-fgw']);
    expect(org.validate(g, org.parse(['city-fgw', 'city-jyj'], g), { dir })).toBeUndefined();
    expect(org.validate(g, org.parse(['city-fgw', 'forged'], g), { dir })).toBe('协办单位不在可选范围内，请重新选择');
    // Several: check boxes (no Ctrl-click list box), the first keeping the field id for the error link.
    const html = renderField(org.model(g, ['city-jyj'], ctx()));
    expect(html).not.toContain(' multiple=');
    expect(html).not.toContain('<select');
    expect(html).toContain('id="f-x" name="x" type="checkbox" value="city-fgw" data-name="市发展改革委"');
    expect(html).toContain('value="city-jyj" checked');
    expect(html).toContain('data-picker="x"');
  });
  it('a single picker is a select with an empty choice; read only shows names', () => {
    const html = renderField(org.model(f, 'city-fgw', ctx()));
    expect(html).toContain('<select class="lz-select" id="f-x" name="x"');
    expect(html).toContain('<option value="">请选择</option>');
    expect(org.model(f, 'city-fgw', ctx({ readonly: true })).display).toBe('市发展改革委');
  });
  it('renders its examples', () => expect(renderExamples('org').length).toBeGreaterThan(0));
});

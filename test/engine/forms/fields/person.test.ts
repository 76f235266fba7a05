// person.test.ts: people from the directory, filtered by role.
import { describe, expect, it } from 'vitest';
import { person } from '../../../../engine/forms/fields/person.ts';
import { ctx, dir, field, renderExamples } from '../helpers.ts';

describe('person', () => {
  const f = field('person', { label: '附议代表', multiple: true, filter: { role: 'deputy' } });
  it('only people with the role', () => {
    expect(person.validate(f, person.parse(['wang', 'li'], f), { dir })).toBeUndefined();
    expect(person.validate(f, person.parse(['wang', 'zhao'], f), { dir })).toBe('附议代表不在可选范围内，请重新选择');
    const g = field('person', { label: '督办领导', required: true, filter: { role: 'leader' } });
    expect(person.validate(g, person.parse('', g), { dir })).toBe('请选择督办领导');
    expect(person.validate(g, person.parse('zhao', g), { dir })).toBeUndefined();
  });
  it('names for display; no Ctrl-click hint, since several are check boxes or a picker', () => {
    const m = person.model(f, ['li', 'wang'], ctx());
    expect(m.hint).toBeUndefined();
    expect(m.picker?.isSearch).toBe(false);
    expect(m.picker?.picks.map((p) => p.value)).toEqual(['li', 'wang']);
    expect(person.model(f, ['li', 'wang'], ctx({ readonly: true })).display).toBe('李代表、王代表');
    expect(person.model(f, ['gone'], ctx({ readonly: true })).display).toBe('gone');
  });
  it('renders its examples', () => expect(renderExamples('person').length).toBeGreaterThan(0));
});

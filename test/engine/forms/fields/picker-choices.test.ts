// picker-choices.test.ts: a picker over thousands: search, names typed without script read back,
// shared names answered with candidates, and the page carrying only what is picked.
import { describe, expect, it } from 'vitest';
import { person } from '../../../../engine/forms/fields/person.ts';
import { PICKER_INLINE_LIMIT, resolveEntry, searchChoices, splitEntries } from '../../../../engine/forms/fields/picker-choices.ts';
import type { Choice, DirectoryOptions } from '../../../../engine/forms/types.ts';
import { ctx, field, renderField } from '../helpers.ts';

/** 600 deputies in 6 delegations; two of them are called 张伟, one is 李娜. */
function bigDirectory(): DirectoryOptions {
  const people: Choice[] = [];
  for (let i = 0; i < 600; i++) {
    const unit = `第${(i % 6) + 1}代表团`;
    const name = i === 10 || i === 11 ? '张伟' : i === 20 ? '李娜' : `代表${i}`;
    people.push({ value: `d${i}`, label: `${name}（${unit}）`, name, group: unit });
  }
  return { orgs: [], people, peopleByRole: { deputy: people } };
}

describe('picker choices', () => {
  const dir = bigDirectory();
  const f = field('person', { label: '附议代表', multiple: true, filter: { role: 'deputy' } });

  it('splits typed entries on 、，, ; and line breaks', () => {
    expect(splitEntries('张伟、 李娜，d3,d4；d5\nd6')).toEqual(['张伟', '李娜', 'd3', 'd4', 'd5', 'd6']);
  });

  it('reads a username, or a name only when no one else has it', () => {
    expect(resolveEntry('d12', dir.people)).toBe('d12');
    expect(resolveEntry('李娜', dir.people)).toBe('d20');
    expect(resolveEntry('张伟', dir.people)).toBeUndefined();
    expect(resolveEntry('王五', dir.people)).toBeUndefined();
  });

  it('searches name, unit and username, best first, at most the limit', () => {
    expect(searchChoices(dir.people, '李娜').items.map((c) => c.value)).toEqual(['d20']);
    expect(searchChoices(dir.people, 'd20').items[0]?.value).toBe('d20');
    const unit = searchChoices(dir.people, '第3代表团', 50);
    expect(unit.items).toHaveLength(50);
    expect(unit.hasMore).toBe(true);
    expect(unit.items.every((c) => c.group === '第3代表团')).toBe(true);
    expect(searchChoices(dir.people, '张伟 第6代表团').items.map((c) => c.value)).toEqual(['d11']);
  });

  it('above the inline limit the page carries a text input and only the picked, not every choice', () => {
    expect(dir.people.length).toBeGreaterThan(PICKER_INLINE_LIMIT);
    const m = person.model(f, ['d20', 'd10'], ctx({ dir }));
    expect(m.picker?.isSearch).toBe(true);
    expect(m.picker?.searchUrl).toBe('/pickers/person?role=deputy');
    // 李娜 is unique, so her name is shown; a 张伟 is shown by username, which reads back exactly.
    expect(m.picker?.text).toBe('李娜、d10');
    const html = renderField(m);
    expect(html).toContain('type="text" id="f-x" name="x" value="李娜、d10"');
    expect(html).toContain('data-picker-search');
    expect(html).not.toContain('代表599');
    expect(html.length).toBeLessThan(3000);
  });

  it('a typed name is read back; a shared one lists the candidates; an unknown one says so', () => {
    const typed = person.resolve!(f, person.parse('李娜、d12', f), dir);
    expect(typed).toEqual(['d20', 'd12']);
    expect(person.validate(f, typed, { dir })).toBeUndefined();
    const shared = person.resolve!(f, person.parse('张伟', f), dir);
    expect(person.validate(f, shared, { dir })).toBe('附议代表中的“张伟”可能是以下：张伟 — 第5代表团（d10） / 张伟 — 第6代表团（d11），请输入其中一位的用户名（括号内）');
    const unknown = person.resolve!(f, person.parse('王五', f), dir);
    expect(person.validate(f, unknown, { dir })).toBe('附议代表中没有找到“王五”：请检查姓名，或输入用户名');
  });

  it('a single picker refuses two entries', () => {
    const g = field('person', { label: '督办领导', filter: { role: 'deputy' } });
    expect(person.validate(g, person.resolve!(g, person.parse('d1、d2', g), dir), { dir })).toBe('督办领导只能选择一项');
  });
});

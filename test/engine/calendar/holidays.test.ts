// holidays.test.ts: calendars/cn.yaml on real 2025/2026 dates, the missing-year error, malformed files.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCalendar, parseCalendar } from '../../../engine/calendar/index.ts';
import { LvzError } from '../../../engine/errors.ts';

const FILE = 'calendars/cn.yaml';
const cal = loadCalendar(readFileSync(new URL('../../../calendars/cn.yaml', import.meta.url), 'utf8'), FILE);

function thrown(fn: () => unknown): LvzError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LvzError) return e;
    throw e;
  }
  throw new Error('expected an LvzError');
}

describe('calendars/cn.yaml', () => {
  it('covers 2025 and 2026', () => {
    expect(cal.years).toEqual([2025, 2026]);
  });

  it('matches the chinese-days data it was seeded from', () => {
    for (const year of [2025, 2026]) {
      const url = new URL(`../../../node_modules/chinese-days/dist/years/${year}.json`, import.meta.url);
      const seed = JSON.parse(readFileSync(url, 'utf8')) as { holidays: object; workdays: object };
      for (const d of Object.keys(seed.holidays)) expect(cal.isWorkingDay(d), d).toBe(false);
      for (const d of Object.keys(seed.workdays)) expect(cal.isWorkingDay(d), d).toBe(true);
    }
  });

  it('has every 2026 make-up working day (调休上班)', () => {
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(cal.isWorkingDay(d), d).toBe(true);
      expect(cal.nameOf(d)).toMatch(/调休上班$/);
    }
  });

  it('knows the 2026 Spring Festival span 02-15..02-23 and the weekends around it', () => {
    for (let day = 15; day <= 23; day++) expect(cal.isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(cal.nameOf('2026-02-17')).toBe('春节');
    expect(cal.isWorkingDay('2026-02-13')).toBe(true); // Friday before
    expect(cal.isWorkingDay('2026-02-24')).toBe(true); // Tuesday after
    expect(cal.isWorkingDay('2026-03-01')).toBe(false); // ordinary Sunday
  });

  it('knows National Day 10-01..10-07 and the ordinary weekdays', () => {
    for (let day = 1; day <= 7; day++) expect(cal.isWorkingDay(`2026-10-0${day}`)).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
    expect(cal.isWorkingDay('2026-03-10')).toBe(true); // ordinary Tuesday
    expect(cal.nameOf('2026-03-10')).toBeUndefined();
  });

  it('estimates a year it does not cover: weekdays less 元旦, 劳动节 and 国庆节, and says it does not cover it', () => {
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2028)).toBe(false);
    expect(cal.isWorkingDay('2028-03-01')).toBe(true); // Wednesday
    expect(cal.isWorkingDay('2028-03-04')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2024-12-31')).toBe(true);
    for (const d of ['2027-01-01', '2027-05-03', '2028-05-01', '2028-05-02', '2027-10-01', '2028-10-02', '2028-10-03']) {
      expect(cal.isWorkingDay(d), d).toBe(d === '2027-05-03');
    }
    expect(cal.nameOf('2027-10-01')).toBe('国庆节');
  });

  it('rejects a malformed date argument as a programming error', () => {
    expect(() => cal.isWorkingDay('2026-2-3')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('malformed calendar files', () => {
  const load = (text: string): LvzError => thrown(() => loadCalendar(text, 'cal.yaml'));
  const year = (body: string): string => `# test\n2026:\n${body}`;

  it('reports YAML syntax errors as LVZ_CAL_INVALID with a position', () => {
    const e = load('2026:\n  holidays: [\n');
    expect(e.code).toBe('LVZ_CAL_INVALID');
    expect(e.where?.file).toBe('cal.yaml');
    expect(e.where?.line).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['an impossible date', year('  holidays:\n    - { date: 2026-02-30, name: 春节 }\n  workdays: []\n'), 4, /真实存在的日期/],
    ['a date in another year', year('  holidays:\n    - { date: 2027-01-01, name: 元旦 }\n  workdays: []\n'), 4, /不在 2026 年内/],
    ['a weekday as make-up day', year('  holidays: []\n  workdays:\n    - { date: 2026-02-13, name: 调休 }\n'), 5, /周一至周五的工作日/],
    ['a missing name', year('  holidays:\n    - { date: 2026-01-01 }\n  workdays: []\n'), 4, /name/],
    ['an unknown entry key', year('  holidays:\n    - { date: 2026-01-01, name: 元旦, off: true }\n  workdays: []\n'), 4, /未知的键“off”/],
    ['an unknown year key', year('  holidays: []\n  workdays: []\n  extra: []\n'), 5, /未知的键“extra”/],
    ['a missing workdays list', year('  holidays: []\n'), 3, /缺少“workdays:”列表/],
    ['a duplicate date', year('  holidays:\n    - { date: 2026-01-01, name: 元旦 }\n    - { date: 2026-01-01, name: 元旦 }\n  workdays: []\n'), 5, /出现了两次/],
    ['a non-year key', '# test\nyear2026:\n  holidays: []\n  workdays: []\n', 2, /不是年份/],
    ['an empty file', '# nothing\n', 1, /是空的/],
    [
      'a day in both lists',
      year('  holidays:\n    - { date: 2026-02-14, name: 春节 }\n  workdays:\n    - { date: 2026-02-14, name: 调休 }\n'),
      6,
      /既是节假日又是调休上班日/,
    ],
  ])('rejects %s at its line', (_name, text, line, message) => {
    const e = load(text);
    expect(e.code).toBe('LVZ_CAL_INVALID');
    expect(e.where).toMatchObject({ file: 'cal.yaml', line });
    expect(e.message).toMatch(message);
    expect(e.format()).toMatch(new RegExp(`^cal\\.yaml:${line}:\\d+: LVZ_CAL_INVALID `));
  });

  it('collects every problem in one pass for lvzhi validate', () => {
    const result = parseCalendar(year('  holidays:\n    - { date: 2026-13-01, name: x }\n  workdays:\n    - { date: 2026-03-10, name: y }\n'), 'cal.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.where?.line)).toEqual([4, 6]);
  });
});

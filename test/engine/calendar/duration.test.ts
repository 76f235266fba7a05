// duration.test.ts: every duration form, and deadlines on real 2026 dates in Asia/Shanghai.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  loadCalendar,
  localDateOf,
  parseDuration,
  reckonAdd,
  reckonSubtract,
  subtractDuration,
  workingDaysBetween,
} from '../../../engine/calendar/index.ts';
import { LvzError } from '../../../engine/errors.ts';

const cal = loadCalendar(readFileSync(new URL('../../../calendars/cn.yaml', import.meta.url), 'utf8'), 'calendars/cn.yaml');

/** A Shanghai wall-clock time as an instant. */
const at = (local: string): Date => new Date(`${local}+08:00`);
/** The end of a Shanghai local day, the instant every day-based deadline lands on. */
const endOf = (date: string): Date => at(`${date}T23:59:59.999`);
const add = (start: string, d: string): Date => addDuration(at(start), parseDuration(d), cal);

describe('parseDuration', () => {
  it.each([
    ['3 months', 3, 'months'],
    ['6 months', 6, 'months'],
    ['1 month', 1, 'months'],
    ['7 working days', 7, 'working_days'],
    ['1 working day', 1, 'working_days'],
    ['10 days', 10, 'days'],
    ['2 weeks', 2, 'weeks'],
    ['4 hours', 4, 'hours'],
    ['30 minutes', 30, 'minutes'],
    ['1 year', 1, 'years'],
    ['P3M', 3, 'months'],
    ['P7D', 7, 'days'],
    ['P2W', 2, 'weeks'],
    ['PT4H', 4, 'hours'],
    ['PT30M', 30, 'minutes'],
    ['P1Y', 1, 'years'],
    ['3个月', 3, 'months'],
    ['7个工作日', 7, 'working_days'],
    ['10天', 10, 'days'],
    ['  7  Working  Days ', 7, 'working_days'],
  ])('reads %j', (text, amount, unit) => {
    expect(parseDuration(text)).toEqual({ text: text.trim(), amount, unit });
  });

  it.each(['', 'soon', '3', 'months', '3 fortnights', '-1 days', '1.5 days', 'P1Y2M', 'P', 'PT4D', 'P3m', '0 days', '三个月', '7 working days before'])(
    'rejects %j with the accepted forms',
    (text) => {
      let error: unknown;
      try {
        parseDuration(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LvzError);
      expect((error as LvzError).code).toBe('LVZ_DSL_BAD_DURATION');
      expect((error as LvzError).message).toMatch(/3 months|1 到 9999 之间/);
    },
  );
});

describe('working days count days, not 24-hour blocks', () => {
  it('Friday 17:00 + 1 working day = end of Monday', () => {
    expect(add('2026-03-06T17:00', '1 working day')).toEqual(endOf('2026-03-09'));
    expect(add('2026-03-06T08:00', '1 working day')).toEqual(endOf('2026-03-09'));
  });

  it('a Saturday start + 1 working day = end of Monday', () => {
    expect(add('2026-03-07T10:00', '1 working day')).toEqual(endOf('2026-03-09'));
  });

  it('Monday 23:30 + 1 working day = end of Tuesday, not Wednesday', () => {
    expect(add('2026-03-09T23:30', '1 working day')).toEqual(endOf('2026-03-10'));
  });

  it('uses the Shanghai date, not the UTC date', () => {
    // 2026-03-06T16:30Z is Saturday 00:30 in Shanghai but still Friday in UTC.
    const start = new Date('2026-03-06T16:30:00Z');
    expect(localDateOf(start)).toBe('2026-03-07');
    expect(addDuration(start, parseDuration('1 working day'), cal)).toEqual(endOf('2026-03-09'));
  });
});

describe('deadlines across 2026 holidays', () => {
  it('7 working days across the Spring Festival and both make-up Saturdays', () => {
    // Fri 02-13 → Sat 02-14 (调休, 1), 02-15..23 off, 02-24..27 (2..5), Sat 02-28 (调休, 6), Mon 03-02 (7).
    expect(add('2026-02-13T17:00', '7 working days')).toEqual(endOf('2026-03-02'));
    expect(add('2026-02-13T17:00', '1 working day')).toEqual(endOf('2026-02-14'));
    expect(add('2026-02-14T09:00', '1 working day')).toEqual(endOf('2026-02-24'));
  });

  it('National Day and the 10-10 make-up Saturday', () => {
    // Wed 09-30 → 10-01..07 off, Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (调休, 3), Mon 10-12 (4).
    expect(add('2026-09-30T09:00', '3 working days')).toEqual(endOf('2026-10-10'));
    expect(add('2026-09-30T09:00', '4 working days')).toEqual(endOf('2026-10-12'));
  });

  it('the year boundary: 2025-12-31 + 3 working days skips 元旦 and counts Sunday 01-04', () => {
    expect(add('2025-12-31T15:00', '3 working days')).toEqual(endOf('2026-01-06'));
  });

  it('calendar days count holidays, but a period ending on a rest day ends on the next working day', () => {
    // 02-23 is the last day of 春节: the 10 days end on Tue 02-24.
    expect(add('2026-02-13T10:00', '10 days')).toEqual(endOf('2026-02-24'));
    expect(add('2026-02-13T10:00', '9 days')).toEqual(endOf('2026-02-24'));
    expect(add('2026-02-13T10:00', '2 weeks')).toEqual(endOf('2026-02-27'));
    // Sun 03-15 → Mon 03-16; 10-01 (国庆) → Thu 10-08, past the whole holiday span.
    expect(add('2026-03-05T10:00', '10 days')).toEqual(endOf('2026-03-16'));
    expect(add('2026-09-01T10:00', '1 month')).toEqual(endOf('2026-10-08'));
    // A make-up Saturday (调休上班) is a working day: the period ends on it.
    expect(add('2026-01-28T10:00', '1 month')).toEqual(endOf('2026-02-28'));
  });

  it('hours and minutes are exact', () => {
    expect(add('2026-02-13T22:10', '4 hours')).toEqual(at('2026-02-14T02:10'));
    expect(add('2026-02-13T22:10', '30 minutes')).toEqual(at('2026-02-13T22:40'));
  });
});

describe('months and years clamp to the month end', () => {
  it.each([
    ['2026-01-31T10:00', '1 month', '2026-02-28'],
    ['2026-03-31T10:00', '6 months', '2026-09-30'],
    ['2026-05-31T10:00', '3个月', '2026-08-31'],
    ['2025-11-30T10:00', 'P3M', '2026-02-28'],
    ['2025-03-16T10:00', '1 year', '2026-03-16'],
    ['2026-02-13T17:00', '3 months', '2026-05-13'],
  ])('%s + %s = end of %s', (start, d, due) => {
    expect(add(start, d)).toEqual(endOf(due));
  });
});

describe('subtractDuration (reminders)', () => {
  it('2 working days before the end of Fri 10-09 is the end of Wed 09-30, over National Day', () => {
    expect(subtractDuration(endOf('2026-10-09'), parseDuration('2 working days'), cal)).toEqual(endOf('2026-09-30'));
  });

  it('undoes addDuration for working days', () => {
    const due = add('2026-02-13T17:00', '7 working days');
    expect(subtractDuration(due, parseDuration('7 working days'), cal)).toEqual(endOf('2026-02-13'));
  });

  it('handles calendar units and exact units', () => {
    expect(subtractDuration(endOf('2026-03-31'), parseDuration('1 month'), cal)).toEqual(endOf('2026-02-28'));
    expect(subtractDuration(endOf('2026-03-10'), parseDuration('3 days'), cal)).toEqual(endOf('2026-03-07'));
    expect(subtractDuration(at('2026-03-10T12:00'), parseDuration('PT4H'), cal)).toEqual(at('2026-03-10T08:00'));
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after from up to and including to', () => {
    expect(workingDaysBetween(at('2026-02-13T10:00'), at('2026-02-27T10:00'), cal)).toBe(5);
    expect(workingDaysBetween(at('2026-03-09T09:00'), endOf('2026-03-11'), cal)).toBe(2);
    expect(workingDaysBetween(at('2026-03-09T09:00'), at('2026-03-09T18:00'), cal)).toBe(0);
  });

  it('is negative for an overdue deadline', () => {
    expect(workingDaysBetween(at('2026-03-11T09:00'), endOf('2026-03-09'), cal)).toBe(-2);
    expect(workingDaysBetween(at('2026-10-08T09:00'), endOf('2026-09-30'), cal)).toBe(-1);
  });
});

describe('years outside the calendar', () => {
  const code = (fn: () => unknown): { code?: string; message?: string } => {
    try {
      fn();
      return {};
    } catch (e) {
      return { code: (e as LvzError).code, message: (e as Error).message };
    }
  };

  it('a working-day deadline in a year the calendar lacks is counted on weekdays and marked provisional', () => {
    const r = reckonAdd(at('2028-03-01T10:00'), parseDuration('1 working day'), cal);
    expect(r).toEqual({ at: endOf('2028-03-02'), provisional: true });
  });

  it('working days that run past 2026 skip weekends and 元旦 in 2027, provisionally', () => {
    // Mon 2026-12-28: 29, 30, 31, (1 January 元旦), 4–8, 11, 12 January 2027.
    const r = reckonAdd(at('2026-12-28T10:00'), parseDuration('10 working days'), cal);
    expect(r).toEqual({ at: endOf('2027-01-12'), provisional: true });
    expect(workingDaysBetween(at('2026-12-30T10:00'), at('2027-01-05T10:00'), cal)).toBe(3);
    // A reminder two working days before it, and a count wholly inside 2026, are not provisional / are.
    expect(reckonSubtract(endOf('2027-01-12'), parseDuration('2 working days'), cal)).toEqual({ at: endOf('2027-01-08'), provisional: true });
    expect(reckonAdd(at('2026-12-01T10:00'), parseDuration('5 working days'), cal).provisional).toBe(false);
  });

  it('a calendar-day deadline in a year the calendar lacks moves off a weekend and is provisional', () => {
    // The 协办 month from Thu 2026-12-03 ends on Sun 2027-01-03: Mon 01-04, estimated.
    expect(reckonAdd(at('2026-12-03T10:00'), parseDuration('1 month'), cal)).toEqual({ at: endOf('2027-01-04'), provisional: true });
    // Whether Mon 2027-03-01 is a rest day is not known yet either.
    expect(reckonAdd(at('2026-12-01T10:00'), parseDuration('3 months'), cal)).toEqual({ at: endOf('2027-03-01'), provisional: true });
    // 2026-12-31 is a Thursday: a period ending on it is exact; hours never move.
    expect(reckonAdd(at('2026-12-21T10:00'), parseDuration('10 days'), cal)).toEqual({ at: endOf('2026-12-31'), provisional: false });
    expect(reckonAdd(at('2026-12-31T22:00'), parseDuration('4 hours'), cal).provisional).toBe(false);
  });

  it('a period ending in 2026 that moves into 2027 is provisional', () => {
    // 2026-12-19 + 2 weeks = Sat 2027-01-02: the next working day is estimated (元旦 01-01 is fixed).
    expect(reckonAdd(at('2026-12-19T10:00'), parseDuration('2 weeks'), cal)).toEqual({ at: endOf('2027-01-04'), provisional: true });
  });

  it('once the year is on the calendar, the same deadline is exact and follows its schedule', () => {
    const text = readFileSync(new URL('../../../calendars/cn.yaml', import.meta.url), 'utf8') +
      '\n2027:\n  holidays:\n    - { date: 2027-01-01, name: 元旦 }\n    - { date: 2027-01-04, name: 假设的假日 }\n  workdays: []\n';
    const with2027 = loadCalendar(text, 'cn.yaml');
    expect(reckonAdd(at('2026-12-03T10:00'), parseDuration('1 month'), with2027)).toEqual({ at: endOf('2027-01-05'), provisional: false });
  });
});

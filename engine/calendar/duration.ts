// duration.ts: duration text -> DurationSpec, and deadline arithmetic in Asia/Shanghai business dates.
//
// Month arithmetic (clamping Jan 31 + 1 month to Feb 28) is luxon's, not ours: it is zone-aware
// and well tested, and hand-written month maths is where deadline bugs hide.

import { DateTime } from 'luxon';
import { LvzError } from '../errors.ts';
import type { DurationSpec } from '../model/duration.ts';
import { BUSINESS_ZONE, type Calendar } from './types.ts';

type Unit = DurationSpec['unit'];

/** Largest amount accepted: large enough for any statute, small enough to keep the day loops short. */
const MAX_AMOUNT = 9999;

const WORDS: [RegExp, Unit][] = [
  [/^working\s+days?$|^workdays?$|^个?工作日$/, 'working_days'],
  [/^days?$|^天$|^日$/, 'days'],
  [/^weeks?$|^周$|^个?星期$/, 'weeks'],
  [/^months?$|^个月$|^月$/, 'months'],
  [/^years?$|^年$/, 'years'],
  [/^hours?$|^个?小时$/, 'hours'],
  [/^minutes?$|^mins?$|^分钟$/, 'minutes'],
];

const ISO_DATE: Record<string, Unit> = { Y: 'years', M: 'months', W: 'weeks', D: 'days' };
const ISO_TIME: Record<string, Unit> = { H: 'hours', M: 'minutes' };

export const ACCEPTED_FORMS =
  '“3个月”、“7个工作日”、“10天”、“2周”、“4小时”、“30分钟”、“1年”，英文 “3 months”、“1 month”、“7 working days”、' +
  '“10 days”、“2 weeks”、“4 hours”、“30 minutes”、“1 year”，或 ISO 8601 的 “P3M”、“P7D”、“P2W”、“PT4H”、“PT30M”、“P1Y”';

/** Read one duration; anything else is LVZ_DSL_BAD_DURATION naming the accepted forms. */
export function parseDuration(text: string): DurationSpec {
  const written = String(text).trim();
  const spec = readIso(written) ?? readWords(written);
  if (!spec) {
    throw new LvzError(
      'LVZ_DSL_BAD_DURATION',
      `无法识别时长 ${JSON.stringify(text)}：请写一个整数加一个单位，例如 ${ACCEPTED_FORMS}`,
      { params: { text } },
    );
  }
  if (spec.amount < 1 || spec.amount > MAX_AMOUNT) {
    throw new LvzError('LVZ_DSL_BAD_DURATION', `时长 ${JSON.stringify(text)} 超出范围：数量须在 1 到 ${MAX_AMOUNT} 之间，请改正`, {
      params: { text },
    });
  }
  return { text: written, ...spec };
}

function readIso(s: string): Omit<DurationSpec, 'text'> | undefined {
  const date = /^P(\d{1,6})([YMWD])$/.exec(s);
  if (date) return { amount: Number(date[1]), unit: ISO_DATE[date[2]!]! };
  const time = /^PT(\d{1,6})([HM])$/.exec(s);
  if (time) return { amount: Number(time[1]), unit: ISO_TIME[time[2]!]! };
  return undefined;
}

function readWords(s: string): Omit<DurationSpec, 'text'> | undefined {
  const m = /^(\d{1,6})\s*(.+)$/.exec(s);
  if (!m) return undefined;
  const word = m[2]!.toLowerCase().replace(/\s+/g, ' ');
  const hit = WORDS.find(([re]) => re.test(word));
  return hit ? { amount: Number(m[1]), unit: hit[1] } : undefined;
}

// ---- arithmetic --------------------------------------------------------------------------

/** The deadline `d` after `start`; see docs/calendar.md for each unit's meaning. */
export function addDuration(start: Date, d: DurationSpec, cal: Calendar): Date {
  return shift(start, d, cal, 1);
}

/** The moment `d` before `end` (reminders: "2 working days before" the deadline). */
export function subtractDuration(end: Date, d: DurationSpec, cal: Calendar): Date {
  return shift(end, d, cal, -1);
}

/** A moment worked out on the calendar, and whether it rests on a year the calendar only estimates. */
export interface Reckoned {
  at: Date;
  provisional: boolean;
}

/**
 * addDuration, saying whether it rests on a year the calendar lacks: a working-day count that
 * crossed one, or a calendar-day deadline whose last day (before and after moving off a rest day)
 * falls in one.
 */
export function reckonAdd(start: Date, d: DurationSpec, cal: Calendar): Reckoned {
  const at = addDuration(start, d, cal);
  if (d.unit === 'working_days') return { at, provisional: !coversBetween(start, at, cal) };
  if (!isDayBased(d.unit)) return { at, provisional: false };
  return { at, provisional: !coversBetween(calendarEnd(toLocal(start), d.amount, d.unit).toJSDate(), at, cal) };
}

/** subtractDuration, with the same flag (a reminder "2 working days before" a deadline in 2027). */
export function reckonSubtract(end: Date, d: DurationSpec, cal: Calendar): Reckoned {
  const at = subtractDuration(end, d, cal);
  return { at, provisional: d.unit === 'working_days' && !coversBetween(at, end, cal) };
}

/** Whether every year from `a`'s local date to `b`'s is covered: a working-day count looks at each day between. */
function coversBetween(a: Date, b: Date, cal: Calendar): boolean {
  const from = Number(localDateOf(a).slice(0, 4));
  const to = Number(localDateOf(b).slice(0, 4));
  for (let y = Math.min(from, to); y <= Math.max(from, to); y++) if (!cal.covers(y)) return false;
  return true;
}

type DayUnit = 'days' | 'weeks' | 'months' | 'years';

const isDayBased = (u: Unit): u is DayUnit => u === 'days' || u === 'weeks' || u === 'months' || u === 'years';

function shift(at: Date, d: DurationSpec, cal: Calendar, sign: 1 | -1): Date {
  const n = d.amount * sign;
  if (d.unit === 'minutes') return new Date(at.getTime() + n * 60_000);
  if (d.unit === 'hours') return new Date(at.getTime() + n * 3_600_000);
  const local = toLocal(at);
  if (d.unit === 'working_days') return endOfDay(nthWorkingDay(local, d.amount, sign, cal));
  const end = calendarEnd(local, n, d.unit);
  // A period whose last day is a rest day ends on the next working day instead (民法典 第二百零三条,
  // and the procedure laws likewise). Only a deadline moves; a reminder counted back from one stays put.
  return endOfDay(sign === 1 ? onOrAfterWorkingDay(end, cal) : end);
}

/** The local date `n` calendar units after `local`; luxon clamps the day to the month's end. */
function calendarEnd(local: DateTime, n: number, unit: DayUnit): DateTime {
  return local.plus({ [unit]: n }).startOf('day');
}

/** `day` when it is a working day, else the first working day after it. */
function onOrAfterWorkingDay(day: DateTime, cal: Calendar): DateTime {
  let d = day;
  // Bounded: the longest holiday span (春节 with its weekends) is under two weeks.
  while (!cal.isWorkingDay(isoDate(d))) d = d.plus({ days: 1 });
  return d;
}

/** The Nth working day strictly after (sign 1) or before (sign -1) the local date of `from`. */
function nthWorkingDay(from: DateTime, n: number, sign: 1 | -1, cal: Calendar): DateTime {
  let day = from.startOf('day');
  let found = 0;
  // Bounded by MAX_AMOUNT working days; a year the calendar lacks is estimated, never an error.
  while (found < n) {
    day = day.plus({ days: sign });
    if (cal.isWorkingDay(isoDate(day))) found++;
  }
  return day;
}

/**
 * Working days after `from`'s local date up to and including `to`'s local date; negative when
 * `to` is earlier (an overdue deadline). The inbox shows this as "working days left".
 */
export function workingDaysBetween(from: Date, to: Date, cal: Calendar): number {
  const a = localDay(from);
  const b = localDay(to);
  if (b < a) return -workingDaysBetween(to, from, cal);
  let count = 0;
  for (let day = a + 1; day <= b; day++) if (cal.isWorkingDay(dateOfDay(day))) count++;
  return count;
}

/** The Asia/Shanghai local date (`YYYY-MM-DD`) of an instant. */
export function localDateOf(at: Date): string {
  return dateOfDay(localDay(at));
}

// Day counting without luxon: China keeps UTC+8 all year (BUSINESS_ZONE), so a local date is the
// UTC date of the instant plus eight hours, and consecutive dates are consecutive integers. The
// inbox counts working days left for every row; luxon objects per day were most of its CPU.
const DAY_MS = 86_400_000;
const UTC8_MS = 8 * 3_600_000;

/** Days since 1970-01-01 of an instant's local date. */
function localDay(at: Date): number {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a valid instant: ${String(at)}`);
  return Math.floor((t + UTC8_MS) / DAY_MS);
}

function dateOfDay(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function toLocal(at: Date): DateTime {
  const dt = DateTime.fromJSDate(at, { zone: BUSINESS_ZONE });
  if (!dt.isValid) throw new RangeError(`not a valid instant: ${String(at)}`);
  return dt;
}

function isoDate(dt: DateTime): string {
  return dt.toFormat('yyyy-MM-dd');
}

function endOfDay(dt: DateTime): Date {
  return dt.endOf('day').toJSDate();
}

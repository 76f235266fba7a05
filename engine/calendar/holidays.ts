// holidays.ts: holiday calendar YAML -> Calendar, checked with positions; pure (the caller reads the file).

import { LvzError, type Where } from '../errors.ts';
import { parseSource, type Source } from '../yaml/source.ts';
import type { Calendar, CalendarDay, CalendarResult, CalendarYear } from './types.ts';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_KEYS = new Set(['holidays', 'workdays']);
const DAY_KEYS = new Set(['date', 'name']);
/** Where each read entry sits in the file, so later cross-checks point at the right line. */
const entryPaths = new WeakMap<CalendarDay, Path>();

type Path = (string | number)[];

/** Check a calendar file and collect every problem (for `lvzhi validate`). */
export function parseCalendar(text: string, file: string): CalendarResult {
  const { source, errors: yamlErrors } = parseSource(text, file);
  if (yamlErrors.length > 0) {
    // The YAML layer speaks in DSL codes; an admin fixing a calendar should see the calendar's code.
    const errors = yamlErrors.map((e) => invalid(`${e.message}（节假日日历）`, e.where!, e));
    return { ok: false, errors };
  }
  const errors: LvzError[] = [];
  const years = readYears(source, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, calendar: createCalendar(years), years };
}

/**
 * Check one year's schedule as an admin enters it in the studio: the calendar file's format with
 * exactly one key, `year`. Every problem is collected with its line and column in `file`.
 */
export function parseCalendarYear(text: string, file: string, year: number): { ok: true; year: CalendarYear } | { ok: false; errors: LvzError[] } {
  const result = parseCalendar(text, file);
  if (!result.ok) return result;
  const other = result.years.find((y) => y.year !== year);
  if (other || result.years.length !== 1) {
    const { source } = parseSource(text, file);
    const p: Path = other ? [other.year] : [];
    const msg = other
      ? `这里只能填写 ${year} 年的安排：请把“${other.year}:”改为“${year}:”，或到 ${other.year} 年的页面填写`
      : `请以“${year}:”一行开始，在其下写“holidays:”和“workdays:”两个列表`;
    return { ok: false, errors: [invalid(msg, source.at(p), undefined, p)] };
  }
  return { ok: true, year: result.years[0]! };
}

/** One year as the file writes it: the text the studio shows for a year from calendars/cn.yaml. */
export function formatCalendarYear(y: CalendarYear): string {
  const list = (days: CalendarDay[]): string =>
    days.length === 0 ? ' []\n' : '\n' + days.map((d) => `    - { date: ${d.date}, name: ${d.name} }\n`).join('');
  return `${y.year}:\n  holidays:${list(y.holidays)}  workdays:${list(y.workdays)}`;
}

/** Load a calendar file, throwing the first problem as LVZ_CAL_INVALID (all of them in params.errors). */
export function loadCalendar(text: string, file: string): Calendar {
  const result = parseCalendar(text, file);
  if (result.ok) return result.calendar;
  const [first] = result.errors;
  throw new LvzError('LVZ_CAL_INVALID', first!.message, {
    where: first!.where,
    path: first!.path,
    params: { errors: result.errors },
  });
}

/**
 * Statutory rest days whose date is fixed every year by 《全国年节及纪念日放假办法》 (元旦 1 January,
 * 劳动节 1–2 May, 国庆节 1–3 October). A year the calendar lacks is estimated on weekdays less these:
 * they are certain, while the lunar holidays (春节, 清明, 端午, 中秋) and the make-up working days
 * are known only from the State Council's notice.
 */
const FIXED_HOLIDAYS = new Map<string, string>([
  ['01-01', '元旦'], ['05-01', '劳动节'], ['05-02', '劳动节'], ['10-01', '国庆节'], ['10-02', '国庆节'], ['10-03', '国庆节'],
]);

/**
 * Build a Calendar from already-checked years. A year it lacks is never an error: its dates are
 * estimated (Monday–Friday less FIXED_HOLIDAYS) and `covers` says so, so the caller can mark the
 * deadlines counted on it as provisional.
 */
export function createCalendar(years: CalendarYear[]): Calendar {
  const covered = new Set(years.map((y) => y.year));
  const holidays = new Map<string, string>();
  const workdays = new Map<string, string>();
  for (const y of years) {
    for (const d of y.holidays) holidays.set(d.date, d.name);
    for (const d of y.workdays) workdays.set(d.date, d.name);
  }
  const sorted = [...covered].sort((a, b) => a - b);
  const answers = new Map<string, boolean>();
  const estimated = (localDate: string): boolean => !covered.has(splitDate(localDate).year);
  return {
    years: sorted,
    covers: (year) => covered.has(year),
    isWorkingDay(localDate) {
      // Answers are kept (a few hundred dates a year): the inbox asks for every day to each deadline.
      const known = answers.get(localDate);
      if (known !== undefined) return known;
      const answer = estimated(localDate)
        ? !FIXED_HOLIDAYS.has(localDate.slice(5)) && !isWeekend(localDate)
        : holidays.has(localDate) ? false : workdays.has(localDate) ? true : !isWeekend(localDate);
      answers.set(localDate, answer);
      return answer;
    },
    nameOf(localDate) {
      if (estimated(localDate)) return FIXED_HOLIDAYS.get(localDate.slice(5));
      return holidays.get(localDate) ?? workdays.get(localDate);
    },
  };
}

/** `YYYY-MM-DD` -> parts; a malformed argument is a programming error, not a data error. */
export function splitDate(localDate: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(localDate);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`not a local date YYYY-MM-DD: ${JSON.stringify(localDate)}`);
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

function isWeekend(localDate: string): boolean {
  const { year, month, day } = splitDate(localDate);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

// ---- checking the file -------------------------------------------------------------------

function invalid(message: string, where: Where, cause?: unknown, path?: Path): LvzError {
  const pointer = path ? '/' + path.join('/') : undefined;
  return new LvzError('LVZ_CAL_INVALID', message, { where, path: pointer, cause });
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function readYears(src: Source, errors: LvzError[]): CalendarYear[] {
  const root = src.value;
  const fail = (msg: string, path: Path): void => void errors.push(invalid(msg, src.at(path), undefined, path));
  if (!isMap(root) || Object.keys(root).length === 0) {
    fail('节假日日历是空的，或不是按年份组织的：请以“2026:”这样的一行开始每一年', []);
    return [];
  }
  const years: CalendarYear[] = [];
  for (const [key, body] of Object.entries(root)) {
    // yaml reads `2026:` as a number key; the path must use the number to find the node again.
    const yearPath: Path = [/^\d+$/.test(key) ? Number(key) : key];
    if (!/^\d{4}$/.test(key)) {
      fail(`“${key}”不是年份：顶层的键应为四位数的年份，如 2026`, yearPath);
      continue;
    }
    const year = readYear(Number(key), body, yearPath, src, errors);
    if (year) years.push(year);
  }
  return years;
}

function readYear(year: number, body: unknown, path: Path, src: Source, errors: LvzError[]): CalendarYear | undefined {
  const fail = (msg: string, p: Path): void => void errors.push(invalid(msg, src.at(p), undefined, p));
  if (!isMap(body)) {
    fail(`${year} 年下应有“holidays:”和“workdays:”两个列表：请补上`, path);
    return undefined;
  }
  for (const k of Object.keys(body)) {
    if (!YEAR_KEYS.has(k)) fail(`${year} 年下有未知的键“${k}”：只允许“holidays”和“workdays”`, [...path, k]);
  }
  const lists: Record<string, CalendarDay[]> = {};
  for (const k of YEAR_KEYS) {
    if (!(k in body)) {
      fail(`${year} 年缺少“${k}:”列表：请添加（没有时写“${k}: []”）`, path);
      continue;
    }
    lists[k] = readDays(year, k, body[k], [...path, k], src, errors);
  }
  const holidays = lists.holidays ?? [];
  const workdays = lists.workdays ?? [];
  checkOverlap(year, holidays, workdays, path, src, errors);
  return { year, holidays, workdays };
}

function readDays(year: number, list: string, value: unknown, path: Path, src: Source, errors: LvzError[]): CalendarDay[] {
  const fail = (msg: string, p: Path): void => void errors.push(invalid(msg, src.at(p), undefined, p));
  if (!Array.isArray(value)) {
    fail(`${year} 年的“${list}”应为列表，每一项写成“- { date: YYYY-MM-DD, name: ... }”`, path);
    return [];
  }
  const days: CalendarDay[] = [];
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    const p = [...path, i];
    const day = readDay(year, list, entry, p, fail);
    if (!day) return;
    if (seen.has(day.date)) return fail(`${day.date} 在 ${year} 年的“${list}”中出现了两次：请删去一个`, [...p, 'date']);
    seen.add(day.date);
    entryPaths.set(day, p);
    days.push(day);
  });
  return days;
}

function readDay(year: number, list: string, entry: unknown, p: Path, fail: (msg: string, p: Path) => void): CalendarDay | undefined {
  if (!isMap(entry)) return void fail(`“${list}”的每一项应写成“{ date: YYYY-MM-DD, name: ... }”`, p);
  const extra = Object.keys(entry).find((k) => !DAY_KEYS.has(k));
  if (extra) return void fail(`未知的键“${extra}”：每一项只能有“date”和“name”`, [...p, extra]);
  const { date, name } = entry;
  if (typeof name !== 'string' || name.trim() === '') return void fail('这一项缺少“name”：请写上节日名称，如 春节', p);
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return void fail(`“date”必须是真实存在的日期，写成 YYYY-MM-DD，现为 ${JSON.stringify(date ?? null)}`, [...p, 'date']);
  }
  if (Number(m[1]) !== year) return void fail(`${date} 不在 ${year} 年内：请把它移到“${m[1]}:”下`, [...p, 'date']);
  if (list === 'workdays' && !isWeekend(date as string)) {
    // Weekdays are working days anyway, so a weekday here is almost always a mistyped date.
    return void fail(`${date} 是周一至周五的工作日：“workdays”只列需要上班的周末（调休上班）`, [...p, 'date']);
  }
  return { date: date as string, name: name.trim() };
}

function checkOverlap(year: number, holidays: CalendarDay[], workdays: CalendarDay[], path: Path, src: Source, errors: LvzError[]): void {
  const rest = new Set(holidays.map((d) => d.date));
  workdays.forEach((d, i) => {
    if (!rest.has(d.date)) return;
    const p = [...(entryPaths.get(d) ?? [...path, 'workdays', i]), 'date'];
    errors.push(invalid(`${d.date} 在 ${year} 年既是节假日又是调休上班日：请只保留在其中一个列表中`, src.at(p), undefined, p));
  });
}

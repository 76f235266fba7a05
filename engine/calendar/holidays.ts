// holidays.ts: holiday calendar YAML -> Calendar, checked with positions; pure (the caller reads the file).

import { LvzError, type Where } from '../errors.ts';
import { parseSource, type Source } from '../dsl/source.ts';
import type { Calendar, CalendarDay, CalendarResult, CalendarYear } from './types.ts';

const CAL_FILE = 'calendars/cn.yaml';
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
  return { ok: true, calendar: createCalendar(years) };
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

/** Build a Calendar from already-checked years. */
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
  const requireYear = (localDate: string): void => {
    const year = splitDate(localDate).year;
    if (!covered.has(year)) throw yearMissing(year, sorted);
  };
  return {
    years: sorted,
    isWorkingDay(localDate) {
      // Answers are kept (a few hundred dates a year): the inbox asks for every day to each deadline.
      const known = answers.get(localDate);
      if (known !== undefined) return known;
      requireYear(localDate);
      const answer = holidays.has(localDate) ? false : workdays.has(localDate) ? true : !isWeekend(localDate);
      answers.set(localDate, answer);
      return answer;
    },
    nameOf(localDate) {
      requireYear(localDate);
      return holidays.get(localDate) ?? workdays.get(localDate);
    },
  };
}

function yearMissing(year: number, covered: number[]): LvzError {
  const have = covered.length > 0 ? covered.map((y) => `${y} 年`).join('、') : '无';
  return new LvzError(
    'LVZ_CAL_YEAR_MISSING',
    `日历未覆盖 ${year} 年（现有：${have}）：请按国务院办公厅公布的放假安排，在 ${CAL_FILE} 中添加“${year}:”一节，` +
      `写明 ${year} 年的节假日和调休上班日，运行 \`npx lvzhi validate ${CAL_FILE}\` 检查后重启服务（见 docs/calendar.md）`,
    { params: { year, covered } },
  );
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

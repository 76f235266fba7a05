// calendar-years.ts: the holiday calendar in effect: the shipped calendars/cn.yaml, with each year
// an admin entered in the studio (节假日安排) overriding or extending it. A year is stored as a
// versioned `definitions` row; every process notices a new one on its timer tick (a stamp
// compare), swaps its calendar without a restart and recomputes the provisional deadlines.

import { createHash } from 'node:crypto';
import { createCalendar, formatCalendarYear, localDateOf, parseCalendar, parseCalendarYear, type Calendar, type CalendarYear } from '../calendar/index.ts';
import { LvzError } from '../errors.ts';
import {
  calendarStamp, calendarYearRows, definitionVersions, insertDefinition, isUniqueViolation, type DefinitionRow,
} from '../store/process/index.ts';
import type { RuntimeContext } from './runtime-context.ts';
import { recomputeProvisional } from './recompute.ts';
import { ensureAdmin, orgTree } from './authoring/access.ts';
import type { Actor, CalendarAdmin, CalendarSaveResult, CalendarYearSummary, CalendarYearView } from './types.ts';

/** Where a studio-entered year's errors point: the page's text, line and column. */
const fileOf = (year: number): string => `节假日安排/${year}.yaml`;

/** The years of studio rows, newest version each; a row that no longer parses is skipped (never expected). */
function storedYears(rows: DefinitionRow[]): Map<number, { year: CalendarYear; row: DefinitionRow }> {
  const out = new Map<number, { year: CalendarYear; row: DefinitionRow }>();
  for (const row of rows) {
    const r = parseCalendar(row.text, fileOf(Number(row.id)));
    if (r.ok && r.years[0]) out.set(r.years[0].year, { year: r.years[0], row });
  }
  return out;
}

export function calendarOf(base: CalendarYear[], rows: DefinitionRow[]): Calendar {
  const years = new Map(base.map((y) => [y.year, y]));
  for (const [n, s] of storedYears(rows)) years.set(n, s.year);
  return createCalendar([...years.values()]);
}

/**
 * Load the calendar again when a year was stored since this process last looked (always on the
 * first call), then recompute the provisional deadlines. The stamp is kept only when every
 * instance was recomputed, so a failed one is tried again on the next tick.
 */
export async function refreshCalendar(rc: RuntimeContext): Promise<void> {
  // Through the read connections: on SQLite the tick's check never queues behind the writer.
  const stamp = await calendarStamp(rc.reads);
  if (stamp === rc.calendarStamp) return;
  rc.calendar = calendarOf(rc.calendarBase, await calendarYearRows(rc.reads));
  if (await recomputeProvisional(rc)) rc.calendarStamp = stamp;
}

/** Only the city's administrators keep the holiday calendar: it sets every district's deadlines. */
async function ensureCityAdmin(rc: RuntimeContext, actor: Actor): Promise<void> {
  ensureAdmin(actor);
  const district = (await orgTree(rc.db)).districtOf(actor.orgId);
  if (district === undefined) return;
  throw new LvzError('LVZ_AUTH_FORBIDDEN', '节假日安排由市人大常委会的管理员统一维护，区管理员只能查看：如需更正，请联系市人大常委会的管理员', { params: { district } });
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new LvzError('LVZ_RUN_NOT_FOUND', `没有“${String(year)}”年的节假日安排页面：年份应为 2000 到 2100 之间的四位数`, { params: { year } });
  }
}

/** A new year's starting text: the fixed-date holidays filled in, the rest for the admin to add. */
function blankYear(year: number): string {
  return `# ${year} 年节假日安排：按国务院办公厅的通知，逐日列出放假的日期（holidays）和调休上班的周末（workdays）\n` +
    formatCalendarYear({ year, holidays: [{ date: `${year}-01-01`, name: '元旦' }], workdays: [] });
}

/** Every year worth listing: the file's, the studio's, this year and next; newest first. */
async function summaries(rc: RuntimeContext): Promise<CalendarYearSummary[]> {
  const stored = storedYears(await calendarYearRows(rc.db));
  const thisYear = Number(localDateOf(rc.now()).slice(0, 4));
  const years = new Set([...rc.calendarBase.map((y) => y.year), ...stored.keys(), thisYear, thisYear + 1]);
  const who = (await rc.names()).user;
  return [...years].sort((a, b) => b - a).map((year): CalendarYearSummary => {
    const s = stored.get(year);
    const y = s?.year ?? rc.calendarBase.find((b) => b.year === year);
    return {
      year, source: s ? 'studio' : y ? 'file' : 'missing', holidays: y?.holidays.length ?? 0, workdays: y?.workdays.length ?? 0,
      ...(s && { version: s.row.version, updatedAt: s.row.createdAt, authorName: s.row.authorId ? who.get(s.row.authorId) ?? s.row.authorId : undefined }),
    };
  });
}

async function yearView(rc: RuntimeContext, actor: Actor, year: number): Promise<CalendarYearView> {
  ensureAdmin(actor);
  checkYear(year);
  const versions = await definitionVersions(rc.db, 'calendar', String(year));
  const summary = (await summaries(rc)).find((s) => s.year === year) ?? { year, source: 'missing' as const, holidays: 0, workdays: 0 };
  const base = rc.calendarBase.find((b) => b.year === year);
  const text = versions.at(-1)?.text ?? (base ? formatCalendarYear(base) : blankYear(year));
  const who = (await rc.names()).user;
  const canEdit = await ensureCityAdmin(rc, actor).then(() => true, () => false);
  return {
    ...summary, text, canEdit, file: fileOf(year),
    versions: versions.reverse().map((v) => ({ version: v.version, createdAt: v.createdAt, message: v.message ?? null, authorName: v.authorId ? who.get(v.authorId) ?? v.authorId : null })),
  };
}

/** Check and store a year as its next version, then apply it here at once (other processes: next tick). */
async function saveYear(rc: RuntimeContext, actor: Actor, year: number, text: string, message?: string): Promise<CalendarSaveResult> {
  await ensureCityAdmin(rc, actor);
  checkYear(year);
  const body = String(text ?? '');
  if (body.length > 100_000) return { ok: false, errors: [{ message: '内容过长：一年的节假日安排不超过 100000 个字符，请只填写这一年的安排' }] };
  const r = parseCalendarYear(body, fileOf(year), year);
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => ({ message: e.message, ...(e.where && { where: `${e.where.file}:${e.where.line}:${e.where.col}` }) })) };
  const version = ((await definitionVersions(rc.db, 'calendar', String(year))).at(-1)?.version ?? 0) + 1;
  try {
    await insertDefinition(rc.db, {
      kind: 'calendar', id: String(year), version, text: body, hash: createHash('sha256').update(body).digest('hex'),
      createdAt: rc.now().toISOString(), authorId: actor.userId, message: String(message ?? '').trim().slice(0, 500) || null,
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new LvzError('LVZ_RUN_CONFLICT', `其他管理员刚刚保存了 ${year} 年的节假日安排：请刷新页面，查看最新版本后再修改`, { params: { year } });
  }
  await refreshCalendar(rc);
  return { ok: true, version };
}

export function calendarAdmin(rc: RuntimeContext): CalendarAdmin {
  return {
    async years(actor) {
      ensureAdmin(actor);
      return summaries(rc);
    },
    year: (actor, year) => yearView(rc, actor, year),
    save: (actor, year, text, message) => saveYear(rc, actor, year, text, message),
  };
}

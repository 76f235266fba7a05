// deferred.ts: reminders an older version left waiting for the holiday calendar, and the warnings
// an operator needs before a year runs out of calendar.
//
// Before migration 014 a working-day reminder before a deadline in a year the calendar lacked was
// stored `unscheduled`. Now such a reminder is estimated on weekdays and marked provisional
// (entry-rows.ts); scheduleDeferredReminders dates the old waiting ones the same way at start, so none is
// left behind, and recompute.ts moves them again when the year is added.

import { localDateOf, reckonSubtract } from '../calendar/index.ts';
import type { DurationSpec } from '../dsl/types.ts';
import { instancesWithProvisional, scheduleTimer, unscheduledTimers } from '../store/process/index.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** Dates every reminder still `unscheduled`; returns how many were dated. */
export async function scheduleDeferredReminders(rc: RuntimeContext): Promise<number> {
  const now = rc.now().getTime();
  const waiting = await unscheduledTimers(rc.db);
  for (const t of waiting) {
    const spec = t.payload.remind as DurationSpec | undefined;
    const due = new Date(String(t.payload.due ?? t.fireAt));
    if (!spec) {
      await scheduleTimer(rc.db, t.id, null, false);
      continue;
    }
    const at = reckonSubtract(due, spec, rc.calendar);
    // Past its time but before the deadline, a late reminder still helps; after it, none does.
    const when = due.getTime() > now ? new Date(Math.max(at.at.getTime(), now)).toISOString() : null;
    await scheduleTimer(rc.db, t.id, when, at.provisional);
  }
  return waiting.length;
}

/** zh-CN warnings for the operator: next year's schedule missing from November on, provisional deadlines. */
export async function calendarWarnings(rc: RuntimeContext): Promise<string[]> {
  const today = localDateOf(rc.now());
  const year = Number(today.slice(0, 4));
  const out: string[] = [];
  const missing = [year, year + 1].filter((y) => !rc.calendar.covers(y) && (y === year || today.slice(5) >= '11-01'));
  if (missing.length > 0) {
    out.push(`节假日安排未包含 ${missing.join('、')} 年：按工作日计算、跨入该年的办理期限暂按工作日估算（周一至周五，元旦、劳动节、国庆节除外）。` +
      `国务院办公厅公布放假安排后，请市人大常委会的管理员在“流程定义管理 → 节假日安排”中添加该年，期限会自动重新计算（见 docs/calendar.md）`);
  }
  const provisional = (await instancesWithProvisional(rc.reads, '', 100)).length;
  if (provisional > 0) out.push(`有 ${provisional >= 100 ? '100 多' : provisional} 件的办理期限暂按工作日估算：添加相应年份的节假日安排后会自动重新计算`);
  return out;
}

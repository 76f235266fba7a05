// deferred.ts: reminders waiting for the holiday calendar, and the warnings an operator needs
// before a year runs out of calendar.
//
// A working-day reminder before a deadline in a year calendars/cn.yaml does not cover cannot be
// dated without guessing, so it is stored `unscheduled` (the deadline itself still holds). When an
// admin adds the year and restarts, scheduleDeferredReminders dates every waiting reminder.

import { localDateOf } from '../calendar/index.ts';
import type { DurationSpec } from '../dsl/types.ts';
import { scheduleTimer, unscheduledTimers } from '../store/process/index.ts';
import type { RuntimeContext } from './context.ts';
import { reminderAt } from './work.ts';

/** Dates the reminders the calendar can now place; returns how many still wait. */
export async function scheduleDeferredReminders(rc: RuntimeContext): Promise<number> {
  let waiting = 0;
  const now = rc.now().getTime();
  for (const t of await unscheduledTimers(rc.db)) {
    const spec = t.payload.remind as DurationSpec | undefined;
    const due = new Date(String(t.payload.due ?? t.fireAt));
    const at = spec ? reminderAt(due, spec, rc.calendar) : 'unknown';
    if (at === 'unknown') {
      waiting += 1;
      continue;
    }
    // Past its time but before the deadline, a late reminder still helps; after it, none does.
    await scheduleTimer(rc.db, t.id, due.getTime() > now ? new Date(Math.max(at.getTime(), now)).toISOString() : null);
  }
  return waiting;
}

/** zh-CN warnings for the operator: next year's calendar missing from November on, reminders waiting. */
export async function calendarWarnings(rc: RuntimeContext): Promise<string[]> {
  const today = localDateOf(rc.now());
  const year = Number(today.slice(0, 4));
  const out: string[] = [];
  const missing = [year, year + 1].filter((y) => !rc.calendar.years.includes(y) && (y === year || today.slice(5) >= '11-01'));
  if (missing.length > 0) {
    out.push(`节假日日历未覆盖 ${missing.join('、')} 年：按工作日计算、落在该年的期限将无法设定。国务院办公厅公布放假安排后，请在 calendars/cn.yaml 中添加该年的节假日和调休上班日并重启（见 docs/calendar.md）`);
  }
  const waiting = (await unscheduledTimers(rc.db)).length;
  if (waiting > 0) out.push(`有 ${waiting} 条催办提醒因节假日日历未覆盖相应年份而暂未排定：补充日历并重启后会自动排定`);
  return out;
}

// recompute.ts: when a holiday-calendar year is added, every provisional deadline and reminder
// (counted on weekdays because the calendar lacked a year) is worked out again from the moment its
// step was entered and its duration, the open tasks show the new deadline, and the instance's
// history gets one line saying so. Safe to run again, and by several processes at once: a timer
// is moved only if it still holds the time it was read with (store: redateTimer).

import { localDateOf, parseDuration, reckonAdd, reckonSubtract, type Reckoned } from '../calendar/index.ts';
import type { DurationSpec } from '../dsl/types.ts';
import { appendEvent, getInstance, instancesWithProvisional, redateTasks, redateTimer, timersOf, writeTx, type TimerRow } from '../store/process/index.ts';
import type { Knex } from 'knex';
import type { RuntimeContext } from './context.ts';

const BATCH = 200;

/** Recompute every instance's provisional timers; false when some instance failed (the caller tries again later). */
export async function recomputeProvisional(rc: RuntimeContext): Promise<boolean> {
  let after = '';
  let ok = true;
  for (;;) {
    const ids = await instancesWithProvisional(rc.db, after, BATCH);
    if (ids.length === 0) return ok;
    for (const id of ids) {
      try {
        await writeTx(rc.db, (tx) => recomputeInstance(rc, tx, id));
      } catch {
        ok = false; // e.g. a concurrent event took the history's next number: the next tick tries again
      }
    }
    after = ids[ids.length - 1]!;
  }
}

function spec(t: TimerRow): DurationSpec | undefined {
  const r = t.payload.remind as DurationSpec | undefined;
  if (r?.unit) return r;
  return typeof t.payload.before === 'string' ? parseDuration(t.payload.before) : undefined;
}

/** The deadline a timer counts from: worked out again, or as stored (rows from before migration 013). */
function deadlineOf(rc: RuntimeContext, t: TimerRow): Reckoned | undefined {
  if (t.startedAt && t.duration) return reckonAdd(new Date(t.startedAt), t.duration, rc.calendar);
  const due = t.payload.due;
  return typeof due === 'string' ? { at: new Date(due), provisional: false } : undefined;
}

async function recomputeInstance(rc: RuntimeContext, tx: Knex, instanceId: string): Promise<void> {
  const now = rc.now();
  const moved: string[] = [];
  const years = new Set<number>();
  let reminders = 0;
  for (const t of await timersOf(tx, instanceId)) {
    if (!t.provisional || (t.status !== 'pending' && t.status !== 'failed')) continue;
    const due = deadlineOf(rc, t);
    if (!due) continue;
    if (t.kind === 'deadline') {
      if (due.provisional && due.at.toISOString() === t.fireAt) continue; // the year it needs is still missing
      if (!(await redateTimer(tx, t.id, t.fireAt, due.at.toISOString(), due.provisional))) continue;
      await redateTasks(tx, { instanceId, state: t.state, visit: t.visit, grp: t.payload.group as string | undefined }, t.fireAt, due.at.toISOString(), due.provisional);
      const [was, now2] = [dayOf(t.fireAt), dayOf(due.at.toISOString())];
      moved.push(was === now2 ? `仍为${was}` : `${was} → ${now2}`);
      for (const y of yearsBetween(t.startedAt ?? t.fireAt, due.at.toISOString(), t.fireAt)) if (rc.calendar.covers(y)) years.add(y);
    } else if (t.kind === 'remind') {
      const r = spec(t);
      if (!r) continue;
      const at: Reckoned = reckonSubtract(due.at, r, rc.calendar);
      const provisional = due.provisional || at.provisional;
      if (provisional && at.at.toISOString() === t.fireAt) continue;
      // Past its time but before the deadline, a late reminder still helps; after it, none does.
      const when = at.at > now ? at.at.toISOString() : due.at > now ? now.toISOString() : null;
      if (!(await redateTimer(tx, t.id, t.fireAt, when, provisional))) continue;
      reminders += 1;
      for (const y of yearsBetween(t.startedAt ?? now.toISOString(), due.at.toISOString(), t.fireAt)) if (rc.calendar.covers(y)) years.add(y);
    }
  }
  if (moved.length === 0 && reminders === 0) return;
  const inst = await getInstance(tx, instanceId);
  const which = years.size > 0 ? [...years].sort().join('、') : '新增';
  const parts = [
    ...(moved.length > 0 ? [`办理期限按${which}年节假日安排重新计算：${moved.join('；')}`] : []),
    ...(reminders > 0 ? [moved.length > 0 ? `催办提醒 ${reminders} 条随之重新排定` : `催办提醒按${which}年节假日安排重新排定 ${reminders} 条`] : []),
  ];
  await appendEvent(tx, {
    instanceId, at: now.toISOString(), actorId: null, onBehalfOf: null, type: 'deadline.recomputed', taskId: null,
    fromState: inst?.state ?? null, toState: inst?.state ?? null, payload: { note: parts.join('，') },
  });
}

/** 2026年12月31日: the deadline's local date, as the history reads. */
function dayOf(iso: string): string {
  const [y, m, d] = localDateOf(new Date(iso)).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The years after the start's that the old or new deadline reaches: the ones whose schedule settled it. */
function yearsBetween(startIso: string, a: string, b: string): number[] {
  const from = Number(localDateOf(new Date(startIso)).slice(0, 4));
  const to = Math.max(Number(localDateOf(new Date(a)).slice(0, 4)), Number(localDateOf(new Date(b)).slice(0, 4)));
  const out: number[] = [];
  for (let y = from + 1; y <= to; y++) out.push(y);
  return out.length > 0 ? out : [to];
}

// recompute.ts: when a holiday-calendar year is added, every provisional deadline and reminder
// (counted on weekdays because the calendar lacked a year) is worked out again from the moment its
// step was entered and its duration, the open tasks show the new deadline, and the instance's
// history gets one line saying so. Safe to run again, and by several processes at once: a timer
// is moved only if it still holds the time it was read with (store: redateTimer).

import { localDateOf, parseDuration, reckonAdd, reckonSubtract, type Reckoned } from '../calendar/index.ts';
import type { DurationSpec } from '../dsl/types.ts';
import { appendEvent, getInstance, instancesWithProvisional, redateTasks, redateTimer, timersOf, writeTx, type TimerRow } from '../store/process/index.ts';
import type { Knex } from 'knex';
import type { RuntimeContext } from './runtime-context.ts';

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

/** The deadline a timer counts from: worked out again, or as stored (rows from before migration 014). */
function deadlineOf(rc: RuntimeContext, t: TimerRow): Reckoned | undefined {
  if (t.startedAt && t.duration) return reckonAdd(new Date(t.startedAt), t.duration, rc.calendar);
  const due = t.payload.due;
  return typeof due === 'string' ? { at: new Date(due), provisional: false } : undefined;
}

/** What one instance's recompute changed, for its history line. */
interface Changes {
  moved: string[];
  reminders: number;
  years: Set<number>;
}

async function recomputeInstance(rc: RuntimeContext, tx: Knex, instanceId: string): Promise<void> {
  const c: Changes = { moved: [], reminders: 0, years: new Set() };
  for (const t of await timersOf(tx, instanceId)) {
    if (!t.provisional || (t.status !== 'pending' && t.status !== 'failed')) continue;
    const due = deadlineOf(rc, t);
    if (!due) continue;
    const changed = t.kind === 'deadline' ? await redateDeadline(tx, t, due, c) : t.kind === 'remind' && (await redateReminder(rc, tx, t, due, c));
    if (!changed) continue;
    for (const y of yearsBetween(t.startedAt ?? t.fireAt, due.at.toISOString(), t.fireAt)) if (rc.calendar.covers(y)) c.years.add(y);
  }
  if (c.moved.length > 0 || c.reminders > 0) await logChanges(rc, tx, instanceId, c);
}

async function redateDeadline(tx: Knex, t: TimerRow, due: Reckoned, c: Changes): Promise<boolean> {
  const to = due.at.toISOString();
  if (due.provisional && to === t.fireAt) return false; // the year it needs is still missing
  if (!(await redateTimer(tx, t.id, t.fireAt, to, due.provisional))) return false;
  await redateTasks(tx, { instanceId: t.instanceId, state: t.state, visit: t.visit, grp: t.payload.group as string | undefined }, t.fireAt, to, due.provisional);
  const [was, is] = [dayOf(t.fireAt), dayOf(to)];
  c.moved.push(was === is ? `仍为${was}` : `${was} → ${is}`);
  return true;
}

async function redateReminder(rc: RuntimeContext, tx: Knex, t: TimerRow, due: Reckoned, c: Changes): Promise<boolean> {
  const r = spec(t);
  if (!r) return false;
  const now = rc.now();
  const at = reckonSubtract(due.at, r, rc.calendar);
  const provisional = due.provisional || at.provisional;
  if (provisional && at.at.toISOString() === t.fireAt) return false;
  // Past its time but before the deadline, a late reminder still helps; after it, none does.
  const when = at.at > now ? at.at.toISOString() : due.at > now ? now.toISOString() : null;
  if (!(await redateTimer(tx, t.id, t.fireAt, when, provisional))) return false;
  c.reminders += 1;
  return true;
}

/** One history line per instance, by 系统. */
async function logChanges(rc: RuntimeContext, tx: Knex, instanceId: string, c: Changes): Promise<void> {
  const inst = await getInstance(tx, instanceId);
  const which = c.years.size > 0 ? [...c.years].sort().join('、') : '新增';
  const parts = [
    ...(c.moved.length > 0 ? [`办理期限按${which}年节假日安排重新计算：${c.moved.join('；')}`] : []),
    ...(c.reminders > 0 ? [c.moved.length > 0 ? `催办提醒 ${c.reminders} 条随之重新排定` : `催办提醒按${which}年节假日安排重新排定 ${c.reminders} 条`] : []),
  ];
  await appendEvent(tx, {
    instanceId, at: rc.now().toISOString(), actorId: null, onBehalfOf: null, type: 'deadline.recomputed', taskId: null,
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

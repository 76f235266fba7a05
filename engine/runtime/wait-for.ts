// wait-for.ts: a task group that waits for another group of its step (`wait_for:`): the lead unit
// (主办单位) replies only once its co-handlers (协办单位) have given their opinions, or once their
// deadline has passed, so a unit that never answers cannot hold the reply up beyond its own time.

import { localDateOf } from '../calendar/index.ts';
import type { StateDef, TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import type { TaskRow } from '../store/process/index.ts';

export interface Waiting {
  /** The awaited group's title (协办单位意见). */
  title: string;
  /** Its tasks submitted, and all of them (cancelled ones not counted). */
  done: number;
  total: number;
  /** The latest deadline among the tasks still awaited: past it, the group is no longer waited for. */
  until?: string;
}

/**
 * What `g` still waits for in this visit of its state, or undefined when it may submit: every
 * task of the awaited group is done, cancelled, or open past its own deadline.
 */
export function waitingOf(s: StateDef, g: TaskGroupDef, visitTasks: TaskRow[], now: Date): Waiting | undefined {
  const target = g.wait_for ? s.tasks.find((x) => x.id === g.wait_for) : undefined;
  if (!target) return undefined;
  const members = visitTasks.filter((t) => t.grp === target.id && t.kind === 'task' && t.status !== 'cancelled');
  const at = now.toISOString();
  const pending = members.filter((t) => (t.status === 'open' || t.status === 'waiting') && !(t.dueAt && t.dueAt <= at));
  if (pending.length === 0) return undefined;
  const dues = pending.map((t) => t.dueAt).filter((d): d is string => !!d).sort();
  return {
    title: target.title ?? s.title,
    done: members.filter((t) => t.status === 'done').length,
    total: members.length,
    ...(dues.length === pending.length && { until: dues[dues.length - 1] }),
  };
}

/** The engine's refusal of a submit while waiting: the page does not offer the buttons either. */
export function ensureNotWaiting(s: StateDef, g: TaskGroupDef, visitTasks: TaskRow[], now: Date): void {
  const w = waitingOf(s, g, visitTasks, now);
  if (!w) return;
  const when = w.until ? `待全部提交或其办理期限（${localDateOf(new Date(w.until))}）届满后` : '待全部提交后';
  throw new LvzError('LVZ_RUN_WAITING',
    `还在等待${w.title}（${w.done}/${w.total} 已提交）：${when}才能提交；现在可以先保存草稿`,
    { params: { group: g.wait_for, done: w.done, total: w.total, ...(w.until && { until: w.until }) } });
}

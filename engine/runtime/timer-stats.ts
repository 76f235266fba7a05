// timer-stats.ts: how often a failing timer is tried, and the timers' counts since the process started
// (fire-timers.ts counts, monitoring.ts shows them). A leaf, so the Engine's contract types reach the
// counts without reaching the firing.

import type { RuntimeContext } from './runtime-context.ts';

/**
 * A timer that fails (its step cannot be entered: a year the holiday calendar lacks, a unit
 * never chosen) is tried again after each wait, then set aside as `failed` for an administrator
 * (/admin/timers, engine `timers.retry`). Failures of the database itself (LVZ_STORE_*) are not
 * the timer's and are not counted: it is simply tried on a later tick.
 */
export const TIMER_ATTEMPTS = 3;
export const RETRY_WAIT_MS = [60_000, 10 * 60_000];

/** Counts since the process started, for an operator's metrics (engine.metrics). */
export interface TimerStats {
  fired: number;
  /** Tries that failed (each counted; the database's own failures included). */
  failures: number;
  /** Timers set aside as failed after their last try. */
  setAside: number;
}

const stats = new WeakMap<RuntimeContext['db'], TimerStats>();

export function timerStats(rc: RuntimeContext): TimerStats {
  let s = stats.get(rc.db);
  if (!s) stats.set(rc.db, (s = { fired: 0, failures: 0, setAside: 0 }));
  return s;
}


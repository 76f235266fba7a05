// fire-timers.ts: fire due durable timers. Each timer is claimed (pending -> fired, conditional)
// and applied in the same transaction, so it fires exactly once even with several processes, and
// a crash mid-way rolls that transaction back: the timer is simply pending again.
//
// PostgreSQL (several processes): each round first leases a small batch (leaseDueTimers: `for
// update skip locked`, lease_owner = this process, lease_until = now + 60 s, committed at once),
// so processes take different timers and an operator can see who holds what; a process that dies
// holding leases leaves them pending, and they are taken again once the lease runs out. SQLite
// (one writer): the due timers are read and claimed one by one; lease_owner records who fired.
//
// The instance is locked before the timer is claimed: a completion locks the instance and then
// cancels its timers, so taking them in the same order means two transactions never deadlock.

import os from 'node:os';
import { isLvzError } from '../errors.ts';
import {
  lockInstance, appendEvent, claimTimer, dueTimers, leaseDueTimers, markOverdue, recordTimerFailure, writeTx, type TimerRow,
} from '../store/process/index.ts';
import { isPostgres } from '../store/db.ts';
import { openWorking, persist, send, settle } from './advance.ts';
import { workflowOf, type RuntimeContext } from './runtime-context.ts';
import { closeByDeadline } from './group/closed.ts';
import { closeByDeadline as closeBallotByDeadline } from './ballots/close.ts';

/** This process, as lease_owner shows it: host and pid. */
export const TIMER_OWNER = `${os.hostname()}:${process.pid}`.slice(-64);

/** How long a lease keeps other processes off a timer; far longer than firing one takes. */
export const LEASE_MS = 60_000;
const LEASE_BATCH = 25;

/**
 * A timer that fails (its step cannot be entered: a year the holiday calendar lacks, a unit
 * never chosen) is tried again after each wait, then set aside as `failed` for an administrator
 * (/admin/timers, engine `timers.retry`). Failures of the database itself (LVZ_STORE_*) are not
 * the timer's and are not counted: it is simply tried on a later tick.
 */
export const TIMER_ATTEMPTS = 3;
const RETRY_WAIT_MS = [60_000, 10 * 60_000];

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

export async function fireDueTimers(rc: RuntimeContext, now: Date, onError?: (e: unknown, t: TimerRow) => void): Promise<number> {
  const leased = isPostgres(rc.db);
  const nowIso = now.toISOString();
  const counts = timerStats(rc);
  let fired = 0;
  for (let round = 0; round < 200; round++) {
    const due = leased
      ? await leaseDueTimers(rc.db, TIMER_OWNER, nowIso, new Date(now.getTime() + LEASE_MS).toISOString(), LEASE_BATCH)
      : await dueTimers(rc.db, nowIso, 100);
    if (due.length === 0) break;
    let progressed = false;
    for (const t of due) {
      try {
        if (await fireOne(rc, t, now, leased)) {
          fired++;
          counts.fired++;
        }
        progressed = true;
      } catch (e) {
        counts.failures++;
        onError?.(e, t);
        // The database's own failure is not the timer's and is not counted against it
        // (PostgreSQL's lease keeps it off for LEASE_MS; SQLite tries again next tick). Any other
        // failure is counted, and the timer waits before its next try.
        if (isLvzError(e) && e.code.startsWith('LVZ_STORE_')) continue;
        if (await noteFailure(rc, t, e, now, leased).catch((err: unknown) => { onError?.(err, t); return false; })) progressed = true;
      }
    }
    if (!progressed && !leased) break;
  }
  return fired;
}

/** Counts a failure; at the last attempt the instance's history says the timer needs an administrator. */
async function noteFailure(rc: RuntimeContext, t: TimerRow, error: unknown, now: Date, leased: boolean): Promise<boolean> {
  const message = isLvzError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const wait = RETRY_WAIT_MS[Math.min(t.attempts, RETRY_WAIT_MS.length - 1)]!;
  const r = await writeTx(rc.db, async (tx) => {
    const r = await recordTimerFailure(tx, t.id, {
      owner: TIMER_OWNER, leased, error: message, retryAtIso: new Date(now.getTime() + wait).toISOString(), maxAttempts: TIMER_ATTEMPTS,
    });
    if (r?.failed) {
      await appendEvent(tx, {
        instanceId: t.instanceId, at: now.toISOString(), actorId: null, onBehalfOf: null, type: 'timer.failed', taskId: t.taskId,
        fromState: t.state, toState: t.state, payload: { timerId: t.id, kind: t.kind, attempts: r.attempts, error: message },
      });
    }
    return r;
  });
  if (r?.failed) timerStats(rc).setAside++;
  return r !== undefined;
}

async function fireOne(rc: RuntimeContext, t: TimerRow, now: Date, leased: boolean): Promise<boolean> {
  return writeTx(rc.db, async (tx) => {
    const inst = await lockInstance(tx, t.instanceId);
    if (!(await claimTimer(tx, t.id, now.toISOString(), TIMER_OWNER, leased))) return false;
    // A timer of a step already left is stale: claimed, nothing to do.
    if (!inst || inst.status === 'completed' || inst.status === 'cancelled' || inst.status === 'terminated') return true;
    if (inst.state !== t.state || (inst.snapshot.visits[t.state] ?? 0) !== t.visit) return true;
    const group = t.payload.group as string | undefined;
    const base = { instanceId: inst.id, at: now.toISOString(), actorId: null, onBehalfOf: null, taskId: t.taskId, fromState: inst.state };
    if (t.kind === 'remind') {
      await appendEvent(tx, { ...base, type: 'timer.remind', toState: inst.state, payload: { ...t.payload, timerId: t.id } });
      return true;
    }
    if (t.kind === 'ballot_close') {
      await closeBallotByDeadline(rc, tx, inst, String(t.payload.set));
      return true;
    }
    await markOverdue(tx, inst.id, t.state, t.visit, group);
    // `close: true` at a group step: the deadline closes the group (group.closed), then logs itself.
    const closedTo = t.payload.close === true ? await closeByDeadline(rc, tx, inst, workflowOf(rc, inst.workflowId, inst.workflowVersion)) : undefined;
    if (closedTo !== undefined) {
      await appendEvent(tx, { ...base, type: 'timer.deadline', toState: closedTo, payload: { ...t.payload, timerId: t.id } });
      return true;
    }
    const escalate = t.payload.escalate as string | undefined;
    if (!escalate) {
      await appendEvent(tx, { ...base, type: 'timer.deadline', toState: inst.state, payload: { ...t.payload, timerId: t.id } });
      return true;
    }
    const w = openWorking(rc, tx, inst, workflowOf(rc, inst.workflowId, inst.workflowVersion), inst.data);
    await send(w, { type: escalate });
    await settle(w);
    await persist(w);
    await appendEvent(tx, { ...base, type: 'timer.deadline', toState: w.inst.state, payload: { ...t.payload, timerId: t.id, ...(w.notes.length > 0 && { note: w.notes.join('；') }) } });
    return true;
  });
}

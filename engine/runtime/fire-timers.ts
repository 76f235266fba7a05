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
import { lockInstance, appendEvent, claimTimer, dueTimers, leaseDueTimers, markOverdue, writeTx, type TimerRow } from '../store/process/index.ts';
import { isPostgres } from '../store/db.ts';
import { openWorking, persist, send, settle } from './advance.ts';
import { workflowOf, type RuntimeContext } from './context.ts';

/** This process, as lease_owner shows it: host and pid. */
export const TIMER_OWNER = `${os.hostname()}:${process.pid}`.slice(-64);

/** How long a lease keeps other processes off a timer; far longer than firing one takes. */
export const LEASE_MS = 60_000;
const LEASE_BATCH = 25;

export async function fireDueTimers(rc: RuntimeContext, now: Date, onError?: (e: unknown, t: TimerRow) => void): Promise<number> {
  const leased = isPostgres(rc.db);
  const nowIso = now.toISOString();
  let fired = 0;
  for (let round = 0; round < 200; round++) {
    const due = leased
      ? await leaseDueTimers(rc.db, TIMER_OWNER, nowIso, new Date(now.getTime() + LEASE_MS).toISOString(), LEASE_BATCH)
      : await dueTimers(rc.db, nowIso, 100);
    if (due.length === 0) break;
    let progressed = false;
    for (const t of due) {
      try {
        if (await fireOne(rc, t, now, leased)) fired++;
        progressed = true;
      } catch (e) {
        // PostgreSQL: the lease keeps this timer off for LEASE_MS, then it is tried again.
        onError?.(e, t);
      }
    }
    if (!progressed && !leased) break;
  }
  return fired;
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
    await markOverdue(tx, inst.id, t.state, t.visit, group);
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

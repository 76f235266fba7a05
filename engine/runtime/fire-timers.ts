// fire-timers.ts: fire due durable timers. Each timer is claimed (pending -> fired, conditional)
// and applied in the same transaction, so it fires exactly once even with two callers, and a
// crash mid-way leaves it pending for the next tick instead of lost.
//
// The instance is locked before the timer is claimed: a completion locks the instance and then
// cancels its timers, so taking them in the same order means two transactions never deadlock.
// Issue 5: on PostgreSQL several processes would lease batches with `for update skip locked`
// and lease_owner/lease_until; the conditional claim stays the final guard.

import { lockInstance, appendEvent, claimTimer, dueTimers, markOverdue, writeTx, type TimerRow } from '../store/process/index.ts';
import { openWorking, persist, send, settle } from './advance.ts';
import { workflowOf, type RuntimeContext } from './context.ts';

export async function fireDueTimers(rc: RuntimeContext, now: Date, onError?: (e: unknown, t: TimerRow) => void): Promise<number> {
  let fired = 0;
  for (let round = 0; round < 50; round++) {
    const due = await dueTimers(rc.db, now.toISOString(), 100);
    if (due.length === 0) break;
    let progressed = false;
    for (const t of due) {
      try {
        if (await fireOne(rc, t, now)) fired++;
        progressed = true;
      } catch (e) {
        onError?.(e, t);
      }
    }
    if (!progressed) break;
  }
  return fired;
}

async function fireOne(rc: RuntimeContext, t: TimerRow, now: Date): Promise<boolean> {
  return writeTx(rc.db, async (tx) => {
    const inst = await lockInstance(tx, t.instanceId);
    if (!(await claimTimer(tx, t.id, now.toISOString()))) return false;
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

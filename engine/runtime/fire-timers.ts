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
import { constructsAt } from '../constructs/index.ts';
import { runFiring } from '../constructs/runs.ts';
import { isLvzError } from '../errors.ts';
import {
  lockInstance, appendEvent, claimTimer, dueTimers, leaseDueTimers, markOverdue, recordTimerFailure, writeTx, type TimerRow,
} from '../store/process/index.ts';
import { isPostgres } from '../store/db.ts';
import { moves, openWorking, persist, send, settle } from './advance.ts';
import { workflowOf, type RuntimeContext } from './runtime-context.ts';
import { RETRY_WAIT_MS, TIMER_ATTEMPTS, timerStats } from './timer-stats.ts';

export { TIMER_ATTEMPTS, timerStats, type TimerStats } from './timer-stats.ts';
import { isStepLeft } from './working.ts';

/** This process, as lease_owner shows it: host and pid. */
export const TIMER_OWNER = `${os.hostname()}:${process.pid}`.slice(-64);

/** How long a lease keeps other processes off a timer; far longer than firing one takes. */
export const LEASE_MS = 60_000;
const LEASE_BATCH = 25;

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
          // After the commit (a ballot's close truncates the WAL, as a chair's close does).
          await runFiring(t.kind)?.afterTimer?.(rc);
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
    // A construct's runtime half that writes rows of its own takes its timers whatever the instance's
    // state (a spawned child's report: the parent may have moved on), and decides itself what a stale one does.
    const run = runFiring(t.kind);
    if (run?.timerFired) {
      await run.timerFired(t, { rc, tx, inst, now }, moves);
      return true;
    }
    // A timer of a step already left is stale: claimed, nothing to do.
    if (!inst || isStepLeft(inst, t)) return true;
    const group = t.payload.group as string | undefined;
    const base = { instanceId: inst.id, at: now.toISOString(), actorId: null, onBehalfOf: null, taskId: t.taskId, fromState: inst.state };
    // The construct that asked for the timer says what it does (a deadline's: constructs/deadline/runtime.ts).
    const construct = constructsAt().find((c) => c.timerKinds?.includes(t.kind));
    if (!construct?.timerFired) throw new Error(`no construct fires a timer of kind ${t.kind}`);
    await construct.timerFired({ id: t.id, kind: t.kind, state: t.state, visit: t.visit, ...(group && { group }), payload: t.payload }, {
      appendEvent: (type, payload, toState) => appendEvent(tx, { ...base, type, toState: toState ?? inst.state, payload }),
      markOverdue: async () => void (await markOverdue(tx, inst.id, t.state, t.visit, group)),
      send: async (event) => {
        const w = openWorking(rc, tx, inst, workflowOf(rc, inst.workflowId, inst.workflowVersion), inst.data);
        await send(w, { type: event });
        await settle(w);
        await persist(w);
        return { state: w.inst.state, notes: w.notes };
      },
    });
    return true;
  });
}

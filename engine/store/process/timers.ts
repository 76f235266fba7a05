// timers.ts: all SQL for durable timers: insert, cancel, list or lease due ones, and the
// once-only claim.
//
// lease_owner / lease_until say who holds a pending timer and until when (PostgreSQL, several
// processes: leaseDueTimers), and who fired a fired one. The claim (pending -> fired, in the
// transaction that applies the timer) is what makes a timer fire once; the lease only spreads
// the work and lets an operator see it (docs/runtime.md "Timers").

import type { Knex } from 'knex';
import type { TimerRow } from './types.ts';
import { fromJson, toJson } from './json.ts';

type Raw = Record<string, unknown>;

function toTimer(r: Raw): TimerRow {
  return {
    id: String(r.id), instanceId: String(r.instance_id), taskId: (r.task_id as string | null) ?? null,
    state: String(r.state), visit: Number(r.visit), kind: r.kind as TimerRow['kind'], fireAt: String(r.fire_at),
    status: r.status as TimerRow['status'], payload: fromJson(r.payload, {}),
    leaseOwner: (r.lease_owner as string | null) ?? null, leaseUntil: (r.lease_until as string | null) ?? null,
    firedAt: (r.fired_at as string | null) ?? null,
  };
}

export async function insertTimers(db: Knex, rows: TimerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('timers').insert(rows.map((t) => ({
    id: t.id, instance_id: t.instanceId, task_id: t.taskId, state: t.state, visit: t.visit, kind: t.kind,
    fire_at: t.fireAt, status: t.status, payload: toJson(t.payload), lease_owner: t.leaseOwner,
    lease_until: t.leaseUntil, fired_at: t.firedAt,
  })));
}

/** Pending timers due at `nowIso`, oldest first (served by the partial index timers_due_idx). */
export async function dueTimers(db: Knex, nowIso: string, limit = 100): Promise<TimerRow[]> {
  return (await db('timers').where('status', 'pending').where('fire_at', '<=', nowIso).orderBy('fire_at').limit(limit)).map(toTimer);
}

export async function timersOf(db: Knex, instanceId: string): Promise<TimerRow[]> {
  return (await db('timers').where({ instance_id: instanceId }).orderBy('fire_at')).map(toTimer);
}

/**
 * PostgreSQL: lease up to `limit` due timers for `owner` until `untilIso`, in one committed
 * statement. `for update skip locked` lets two processes scanning at once take different rows
 * instead of queueing behind each other; a row leased by someone else is skipped until its
 * lease runs out (a process that died holding it), then anyone takes it again.
 */
export async function leaseDueTimers(db: Knex, owner: string, nowIso: string, untilIso: string, limit = 25): Promise<TimerRow[]> {
  const r = await db.raw(
    `update timers set lease_owner = ?, lease_until = ? where id in (
       select id from timers where status = 'pending' and fire_at <= ? and (lease_until is null or lease_until <= ?)
       order by fire_at limit ? for update skip locked)
     returning *`,
    [owner, untilIso, nowIso, nowIso, limit],
  );
  return (r.rows as Raw[]).map(toTimer).sort((a, b) => a.fireAt.localeCompare(b.fireAt));
}

/**
 * pending -> fired, only if still pending: of two callers exactly one gets true. With `leased`
 * (PostgreSQL), only while the lease is still ours: a lease that ran out and was taken by
 * another process is theirs to fire. lease_owner then records who fired it.
 */
export async function claimTimer(db: Knex, id: string, nowIso: string, owner: string | null = null, leased = false): Promise<boolean> {
  const q = db('timers').where({ id, status: 'pending' });
  if (leased) q.where({ lease_owner: owner });
  return (await q.update({ status: 'fired', fired_at: nowIso, ...(owner && { lease_owner: owner }) })) === 1;
}

/** Cancel the pending timers of an instance, or of one of its states, when it is left. */
export async function cancelTimers(db: Knex, instanceId: string, state?: string): Promise<void> {
  const q = db('timers').where({ instance_id: instanceId }).whereIn('status', ['pending', 'unscheduled']);
  if (state) q.where({ state });
  await q.update({ status: 'cancelled' });
}

/** Reminders waiting for the holiday calendar to cover their year (see runtime/deferred.ts). */
export async function unscheduledTimers(db: Knex): Promise<TimerRow[]> {
  return (await db('timers').where('status', 'unscheduled').orderBy('fire_at')).map(toTimer);
}

/** unscheduled -> pending at `fireAtIso`, or -> cancelled when `fireAtIso` is null (too late to remind). */
export async function scheduleTimer(db: Knex, id: string, fireAtIso: string | null): Promise<void> {
  await db('timers').where({ id, status: 'unscheduled' })
    .update(fireAtIso ? { status: 'pending', fire_at: fireAtIso } : { status: 'cancelled' });
}

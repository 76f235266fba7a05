// timers.ts: all SQL for durable timers: insert, cancel, list due, and the once-only claim.
//
// Issue 5: several processes will lease due timers (lease_owner, lease_until) with
// `select … for update skip locked` on PostgreSQL; the claim below stays the final guard.

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

/** pending -> fired, only if still pending: of two callers exactly one gets true. */
export async function claimTimer(db: Knex, id: string, nowIso: string): Promise<boolean> {
  return (await db('timers').where({ id, status: 'pending' }).update({ status: 'fired', fired_at: nowIso })) === 1;
}

/** Cancel the pending timers of an instance, or of one of its states, when it is left. */
export async function cancelTimers(db: Knex, instanceId: string, state?: string): Promise<void> {
  const q = db('timers').where({ instance_id: instanceId, status: 'pending' });
  if (state) q.where({ state });
  await q.update({ status: 'cancelled' });
}

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
    firedAt: (r.fired_at as string | null) ?? null, attempts: Number(r.attempts ?? 0),
    lastError: (r.last_error as string | null) ?? null,
    startedAt: (r.started_at as string | null) ?? null, duration: fromJson(r.duration, null),
    provisional: Boolean(r.provisional),
  };
}

export async function insertTimers(db: Knex, rows: TimerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('timers').insert(rows.map((t) => ({
    id: t.id, instance_id: t.instanceId, task_id: t.taskId, state: t.state, visit: t.visit, kind: t.kind,
    fire_at: t.fireAt, status: t.status, payload: toJson(t.payload), lease_owner: t.leaseOwner,
    lease_until: t.leaseUntil, fired_at: t.firedAt, attempts: t.attempts, last_error: t.lastError,
    started_at: t.startedAt ?? null, duration: t.duration ? toJson(t.duration) : null, provisional: t.provisional ?? false,
  })));
}

/**
 * Pending timers due at `nowIso` and not waiting out a failure (lease_until), oldest first (served
 * by the partial index timers_due_idx).
 */
export async function dueTimers(db: Knex, nowIso: string, limit = 100): Promise<TimerRow[]> {
  return (await db('timers').where('status', 'pending').where('fire_at', '<=', nowIso)
    .where((w) => { w.whereNull('lease_until').orWhere('lease_until', '<=', nowIso); })
    .orderBy('fire_at').limit(limit)).map(toTimer);
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

/**
 * Cancel the timers of an instance, or of one of its states, when it is left: pending, waiting
 * for the calendar, or set aside as failed (a failed one of a step left has nothing to retry).
 * Reports of spawned children are not cancelled (see below).
 */
export async function cancelTimers(db: Knex, instanceId: string, state?: string): Promise<void> {
  // A child's report-back (kind report) is kept: fired after the parent left the step, it is
  // recorded in the parent's history as not taken (runtime/spawn-report.ts).
  const q = db('timers').where({ instance_id: instanceId }).whereIn('status', ['pending', 'unscheduled', 'failed']).whereNot('kind', 'report');
  if (state) q.where({ state });
  await q.update({ status: 'cancelled' });
}

/** Reminders an older version left waiting for the holiday calendar (runtime/deferred.ts dates them at start). */
export async function unscheduledTimers(db: Knex): Promise<TimerRow[]> {
  return (await db('timers').where('status', 'unscheduled').orderBy('fire_at')).map(toTimer);
}

/** unscheduled -> pending at `fireAtIso` (provisional: an estimate), or -> cancelled when `fireAtIso` is null (too late to remind). */
export async function scheduleTimer(db: Knex, id: string, fireAtIso: string | null, provisional: boolean): Promise<void> {
  await db('timers').where({ id, status: 'unscheduled' })
    .update(fireAtIso ? { status: 'pending', fire_at: fireAtIso, provisional } : { status: 'cancelled' });
}

/**
 * A timer failed to fire (its transaction rolled back): count it, keep the message, and keep it
 * off until `retryAtIso`, or set it aside as `failed` at the `maxAttempts`-th failure. Only a
 * timer still pending is touched, and with `leased` (PostgreSQL) only while the lease is still
 * `owner`'s. Returns the new count and whether it is now failed, or undefined when the timer was
 * no longer pending or no longer ours.
 */
export async function recordTimerFailure(db: Knex, id: string, f: { owner: string; leased: boolean; error: string; retryAtIso: string; maxAttempts: number }): Promise<{ attempts: number; failed: boolean } | undefined> {
  const q = db('timers').where({ id, status: 'pending' });
  if (f.leased) q.where({ lease_owner: f.owner });
  const rows = (await q.update({
    attempts: db.raw('attempts + 1'),
    status: db.raw(`case when attempts + 1 >= ? then 'failed' else 'pending' end`, [f.maxAttempts]),
    last_error: f.error.slice(0, 2000), lease_owner: f.owner, lease_until: f.retryAtIso,
  }, ['attempts', 'status'])) as { attempts: number | string; status: string }[];
  const r = rows[0];
  return r ? { attempts: Number(r.attempts), failed: r.status === 'failed' } : undefined;
}

/** failed -> pending, due at once, its count cleared (an administrator's 重试); undefined when it was not failed. */
export async function retryFailedTimer(db: Knex, id: string): Promise<TimerRow | undefined> {
  const rows = (await db('timers').where({ id, status: 'failed' })
    .update({ status: 'pending', attempts: 0, lease_owner: null, lease_until: null }, '*')) as Raw[];
  return rows[0] ? toTimer(rows[0]) : undefined;
}

export interface FailedTimer extends TimerRow {
  instanceNumber: string;
  instanceTitle: string;
  workflowId: string;
  workflowVersion: number;
}

/**
 * Timers of instances whose initiator org is one of `orgs` (a district admin's reach); every timer
 * when `orgs` is undefined.
 */
function ofOrgs(db: Knex, q: Knex.QueryBuilder, orgs: string[] | undefined, column = 'instance_id'): Knex.QueryBuilder {
  return orgs ? q.whereIn(column, db('instances').select('id').whereIn('initiator_org', orgs)) : q;
}

/** The initiator org of a timer's instance (who may retry it), undefined for no such timer. */
export async function timerInitiatorOrg(db: Knex, id: string): Promise<string | undefined> {
  const r = await db('timers as t').join('instances as i', 'i.id', 't.instance_id').where('t.id', id).first('i.initiator_org as org');
  return r ? String(r.org) : undefined;
}

/** Failed timers with their instances, oldest due first (timers_failed_idx); only `orgs`' when given. */
export async function failedTimers(db: Knex, limit: number, orgs?: string[]): Promise<FailedTimer[]> {
  const q = db('timers as t').join('instances as i', 'i.id', 't.instance_id').where('t.status', 'failed');
  if (orgs) q.whereIn('i.initiator_org', orgs);
  const rows = (await q
    .orderBy('t.fire_at').limit(limit)
    .select('t.*', 'i.number as i_number', 'i.title as i_title', 'i.workflow_id as i_workflow_id', 'i.workflow_version as i_workflow_version')) as Raw[];
  return rows.map((r) => ({
    ...toTimer(r), instanceNumber: String(r.i_number), instanceTitle: String(r.i_title),
    workflowId: String(r.i_workflow_id), workflowVersion: Number(r.i_workflow_version),
  }));
}

export interface TimerCounts {
  /** Pending and due now: the scheduler's backlog. */
  due: number;
  /** Of those, waiting out a failure before their next try. */
  retrying: number;
  failed: number;
  /** Reminders waiting for the holiday calendar (runtime/deferred.ts). */
  unscheduled: number;
}

/** The timers an operator watches, each counted up to `cap`; only `orgs`' instances' when given. */
export async function timerCounts(db: Knex, nowIso: string, cap: number, orgs?: string[]): Promise<TimerCounts> {
  const count = async (q: Knex.QueryBuilder): Promise<number> => {
    const [{ n }] = await db.from(q.select(db.raw('1')).limit(cap).as('c')).count({ n: '*' });
    return Number(n);
  };
  const timers = () => ofOrgs(db, db('timers'), orgs);
  const due = () => timers().where('status', 'pending').where('fire_at', '<=', nowIso);
  const [d, retrying, failed, unscheduled] = await Promise.all([
    count(due()), count(due().where('lease_until', '>', nowIso).where('attempts', '>', 0)),
    count(timers().where('status', 'failed')), count(timers().where('status', 'unscheduled')),
  ]);
  return { due: d, retrying, failed, unscheduled };
}

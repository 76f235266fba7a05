// calendar-years.ts: SQL for holiday-calendar years entered in the studio and for the provisional
// deadlines they settle. A year is a `definitions` row of kind 'calendar' whose id is the year
// ('2027'), versioned like a workflow; the shipped file is the row with id 'cn'.

import type { Knex } from 'knex';
import type { DefinitionRow } from './types.ts';
import { toDefinition } from './definitions.ts';

/** The id of the shipped file's row; every other calendar row is one year from the studio. */
export const CALENDAR_FILE_ID = 'cn';

/** The newest stored version of every studio-entered year, by year ascending. */
export async function calendarYearRows(db: Knex): Promise<DefinitionRow[]> {
  const latest = db('definitions').where({ kind: 'calendar' }).whereNot({ id: CALENDAR_FILE_ID })
    .groupBy('id').select('id').max({ v: 'version' }).as('l');
  const rows = await db('definitions as d').join(latest, function on() { this.on('d.id', 'l.id').andOn('d.version', 'l.v'); })
    .where('d.kind', 'calendar').orderBy('d.id').select('d.*');
  return rows.map(toDefinition);
}

/**
 * A stamp that changes whenever a year is stored: each timer tick of every process compares it
 * (one indexed aggregate) to notice a year another process published.
 */
export async function calendarStamp(db: Knex): Promise<string> {
  const [r] = await db('definitions').where({ kind: 'calendar' }).whereNot({ id: CALENDAR_FILE_ID })
    .count({ n: '*' }).max({ v: 'pk' });
  return `${Number(r?.n ?? 0)}:${Number(r?.v ?? 0)}`;
}

/** Instances with a provisional deadline or reminder still to fire, by id, the next `limit` after `after`. */
export async function instancesWithProvisional(db: Knex, after: string, limit: number): Promise<string[]> {
  const rows = await db('timers').where('provisional', true).whereIn('status', ['pending', 'failed']).where('instance_id', '>', after)
    .distinct('instance_id').orderBy('instance_id').limit(limit);
  return rows.map((r: Record<string, unknown>) => String(r.instance_id));
}

/** Move one provisional timer, only if nobody else did (its fire time and flag unchanged); null fireAt cancels it. */
export async function redateTimer(db: Knex, id: string, was: string, fireAtIso: string | null, provisional: boolean): Promise<boolean> {
  const q = db('timers').where({ id, fire_at: was, provisional: true }).whereIn('status', ['pending', 'failed']);
  const n = await q.update(fireAtIso === null
    ? { status: 'cancelled', provisional }
    : { fire_at: fireAtIso, provisional, status: 'pending', attempts: 0, lease_until: null, lease_owner: null });
  return n === 1;
}

/** The still-open tasks of a step (of one group, when given) that show `was` as their deadline get `dueIso`. */
export async function redateTasks(db: Knex, t: { instanceId: string; state: string; visit: number; grp?: string }, was: string, dueIso: string, provisional: boolean): Promise<void> {
  const q = db('tasks').where({ instance_id: t.instanceId, state: t.state, visit: t.visit, due_at: was }).whereIn('status', ['open', 'waiting']);
  if (t.grp) q.where({ grp: t.grp });
  await q.update({ due_at: dueIso, due_provisional: provisional });
}

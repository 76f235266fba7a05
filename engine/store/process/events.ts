// events.ts: the event history. Append-only: this module inserts and reads; nothing updates or deletes it.

import type { Knex } from 'knex';
import type { EventRow } from './types.ts';
import { fromJson, toJson } from './json.ts';
import { compiled } from '../compiled.ts';

type Raw = Record<string, unknown>;

function toEvent(r: Raw): EventRow {
  return {
    id: Number(r.id), instanceId: String(r.instance_id), seq: Number(r.seq), at: String(r.at),
    actorId: (r.actor_id as string | null) ?? null, onBehalfOf: (r.on_behalf_of as string | null) ?? null,
    type: String(r.type), taskId: (r.task_id as string | null) ?? null,
    fromState: (r.from_state as string | null) ?? null, toState: (r.to_state as string | null) ?? null,
    payload: fromJson(r.payload, {}),
  };
}

/**
 * Append one event with the next per-instance `seq`, found by the insert itself (one statement:
 * `insert … select max(seq) + 1`). The unique (instance_id, seq) index makes a racing second
 * writer fail instead of interleaving, a second guard behind the version check.
 */
export async function appendEvent(db: Knex, ev: Omit<EventRow, 'seq' | 'id'>): Promise<void> {
  const values = {
    instance_id: ev.instanceId, at: ev.at, actor_id: ev.actorId, on_behalf_of: ev.onBehalfOf,
    type: ev.type, task_id: ev.taskId, from_state: ev.fromState, to_state: ev.toState, payload: toJson(ev.payload),
  };
  const columns = Object.keys(values) as (keyof typeof values)[];
  // cast: PostgreSQL cannot type a bare parameter in a select list; every column here is text.
  await compiled(db, 'appendEvent', [...columns.map((c) => values[c]), ev.instanceId], () => db.into(db.raw('?? (??, seq)', ['events', columns])).insert(
    db('events').where({ instance_id: ev.instanceId })
      .select(...columns.map((c) => db.raw('cast(? as text) as ??', [values[c], c])), db.raw('coalesce(max(seq), 0) + 1')),
  ));
}

/** An instance's history in order; `withoutAnswers`: without group.answered (one per member of a group step). */
export async function listEvents(db: Knex, instanceId: string, opts: { withoutAnswers?: boolean } = {}): Promise<EventRow[]> {
  const q = db('events').where({ instance_id: instanceId });
  if (opts.withoutAnswers) q.whereNot('type', 'group.answered');
  return (await q.orderBy('seq')).map(toEvent);
}

/**
 * The moves into a state (a transition, 退回, 撤回, an administrator's move) of these instances, in
 * order: what brought each open task's step about, for the lists' 退回 mark. One query for a page.
 */
export async function arrivalsOf(db: Knex, instanceIds: readonly string[]): Promise<EventRow[]> {
  if (instanceIds.length === 0) return [];
  return (await db('events').whereIn('instance_id', [...new Set(instanceIds)]).whereNotNull('to_state')
    .where((q) => q.whereNull('from_state').orWhereRaw('from_state <> to_state'))
    .orderBy([{ column: 'instance_id' }, { column: 'seq' }])).map(toEvent);
}

export async function countEvents(db: Knex, instanceId: string, type?: string): Promise<number> {
  const q = db('events').where({ instance_id: instanceId });
  if (type) q.where({ type });
  const [{ n }] = await q.count({ n: '*' });
  return Number(n);
}

// invariants.ts (test helper): "no instance is half-applied", checked from the tables after a crash.
//
// Every event that changes an instance runs in one transaction that bumps `version` by one
// (persist) and appends one event; informational events append an event and leave the version
// alone (docs/runtime.md, "One transaction per event"). So for every instance:
//   version = number of its events − number of informational ones
// where informational = task.copied (抄送), task.reminded (催办), timer.remind, group.answered (a
// member's answer at a group step, docs/group-steps.md), and a
// timer.deadline that escalated nothing (no `escalate` in its payload). Besides, the event `seq`
// runs 1..n without a gap, the first event is instance.started, and the state the instance rests
// in is the state its last event left it in, which is also its snapshot's value.

import type { Knex } from 'knex';

const INFORMATIONAL = new Set(['task.copied', 'task.reminded', 'timer.remind', 'group.answered']);

function bumps(type: string, payload: Record<string, unknown>): boolean {
  if (INFORMATIONAL.has(type)) return false;
  if (type === 'timer.deadline') return typeof payload.escalate === 'string';
  return true;
}

/** Every violation found, as readable lines (empty when all instances are whole). */
export async function halfApplied(db: Knex): Promise<string[]> {
  const bad: string[] = [];
  const instances = await db('instances').select('id', 'number', 'state', 'version', 'snapshot');
  const events = await db('events').select('instance_id', 'seq', 'type', 'to_state', 'payload').orderBy([{ column: 'instance_id' }, { column: 'seq' }]);
  const byInstance = new Map<string, typeof events>();
  for (const e of events) {
    const list = byInstance.get(e.instance_id) ?? [];
    list.push(e);
    byInstance.set(e.instance_id, list);
  }
  for (const i of instances) {
    const list = byInstance.get(i.id) ?? [];
    const snapshot = JSON.parse(i.snapshot) as { value: string };
    const expected = list.filter((e) => bumps(e.type, JSON.parse(e.payload ?? '{}'))).length;
    const at = `instance ${i.number} (${i.id})`;
    if (Number(i.version) !== expected) bad.push(`${at}: version ${i.version}, but ${expected} version-changing events`);
    if (list[0]?.type !== 'instance.started') bad.push(`${at}: history does not begin with instance.started`);
    list.forEach((e, k) => { if (Number(e.seq) !== k + 1) bad.push(`${at}: event seq ${e.seq} at position ${k + 1}`); });
    const last = list[list.length - 1];
    if (last && last.to_state !== i.state) bad.push(`${at}: rests in ${i.state}, its last event went to ${last.to_state}`);
    if (snapshot.value !== i.state) bad.push(`${at}: snapshot ${snapshot.value} but state ${i.state}`);
  }
  const known = new Set(instances.map((i) => i.id));
  for (const id of byInstance.keys()) if (!known.has(id)) bad.push(`events of a missing instance ${id}`);
  return bad;
}

// report.ts: a parent takes a child's report-back (docs/spawn.md). The child that ended wrote
// a `report` timer on its parent in its own transaction; the timer is fired here, in the parent's
// (fire-timers.ts: locked, claimed once; the spawn's `timerFired`). Still in the step visit that started the child: the `as`
// list is brought up to date from the children's rows and `done` is raised once the wait is over.
// Anywhere else (the step was left, 调整办理步骤, the parent ended): nothing changes, and a report
// the parent had not yet counted is recorded in its history as not taken.

import { appendEvent, childrenOfStep, type InstanceStatus, type TimerRow } from '../../../store/process/index.ts';
import type { Firing, Moves } from '../../../runtime/construct-run.ts';
import { workflowOf } from '../../../runtime/runtime-context.ts';
import { entriesOf, isCounted, isEnded, statusWord } from './children.ts';

export async function takeReport(t: TimerRow, { rc, tx, inst, now }: Firing, moves: Moves): Promise<void> {
  if (!inst) return;
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const s = wf.def.states[t.state];
  const spec = s?.spawn;
  // The one-child form (no `as`): nobody waits and nothing is copied back.
  if (!s || !spec?.as) return;
  const child = { id: String(t.payload.child), number: String(t.payload.number ?? ''), status: String(t.payload.status) as InstanceStatus };
  const base = { instanceId: inst.id, at: now.toISOString(), actorId: null, onBehalfOf: null, taskId: null, fromState: inst.state };
  const isHere = !isEnded(inst.status) && inst.state === t.state && (inst.snapshot.visits[t.state] ?? 0) === t.visit;
  if (!isHere) {
    if (isCounted(inst.data[spec.as], child.id)) return;
    await appendEvent(tx, {
      ...base, type: 'spawn.ignored', toState: inst.state,
      payload: { ...child, state: t.state, visit: t.visit, note: `子流程 ${child.number} ${statusWord(child.status)}；本件已不在“${s.title}”这一步等待，结果未写回` },
    });
    return;
  }
  const children = await childrenOfStep(tx, inst.id, t.state, t.visit);
  const w = moves.open(rc, tx, inst, wf, { ...inst.data, [spec.as]: entriesOf(spec, children) });
  await moves.settle(w);
  await moves.persist(w);
  await appendEvent(tx, {
    ...base, type: 'spawn.reported', toState: w.inst.state,
    payload: { ...child, note: [`子流程 ${child.number} ${statusWord(child.status)}`, ...w.notes].join('；') },
  });
}

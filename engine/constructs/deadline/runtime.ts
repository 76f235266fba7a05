// runtime.ts: what a deadline does at run time, through the ports the runtime hands in (constructs/types.ts).
// On entry: the deadline timer at the first case whose when holds, counted on the working-day calendar, and a
// reminder before it for each `remind` not already past. When the deadline timer fires: the step's open tasks
// (the group's, for a group's deadline) are marked overdue, then `escalate` is sent, or the history just says so.

import { reckonAdd, reckonSubtract } from '../../calendar/index.ts';
import type { EntryEffects, EntryPorts, FiredTimer, TimerPorts, TimerSpec } from '../types.ts';
import type { DeadlineDef } from './types.ts';

export function deadlineEntered(d: DeadlineDef, ports: EntryPorts): EntryEffects {
  const chosen = d.after.find((c) => !c.when || ports.isTrue(c.when)) ?? d.after[d.after.length - 1]!;
  const due = reckonAdd(ports.now, chosen.duration, ports.calendar);
  const timers: TimerSpec[] = [{
    kind: 'deadline', fireAt: due.at, provisional: due.provisional, duration: chosen.duration,
    payload: { ...(d.escalate && { escalate: d.escalate }) },
  }];
  for (const r of d.remind) {
    const at = reckonSubtract(due.at, r, ports.calendar);
    // A reminder whose time has already passed at entry would only be noise.
    if (at.at.getTime() <= ports.now.getTime()) continue;
    timers.push({
      kind: 'remind', fireAt: at.at, provisional: due.provisional || at.provisional, duration: chosen.duration,
      payload: { before: r.text, remind: r },
    });
  }
  return { timers, due: { at: due.at, provisional: due.provisional } };
}

export async function deadlineFired(t: FiredTimer, ports: TimerPorts): Promise<void> {
  if (t.kind === 'remind') {
    await ports.appendEvent('timer.remind', { ...t.payload, timerId: t.id });
    return;
  }
  await ports.markOverdue();
  const escalate = t.payload.escalate as string | undefined;
  if (!escalate) {
    await ports.appendEvent('timer.deadline', { ...t.payload, timerId: t.id });
    return;
  }
  const { state, notes } = await ports.send(escalate);
  await ports.appendEvent('timer.deadline', { ...t.payload, timerId: t.id, ...(notes.length > 0 && { note: notes.join('；') }) }, state);
}

// runtime.ts: what a group step asks of the runtime through the registry's ports (constructs/types.ts):
// with `close_after`, a timer on entry, and closing the step when it fires. Its members' tasks, counts
// and closing are store writes, which live in engine/runtime/group/ (a construct is pure).

import { reckonAdd } from '../../calendar/index.ts';
import type { EntryEffects, EntryPorts, TimerPorts } from '../types.ts';
import type { GroupStepFields } from './types.ts';

export const CLOSE_TIMER = 'group_close';

export function groupEntered(d: GroupStepFields, ports: EntryPorts): EntryEffects {
  if (!d.close_after) return {};
  const at = reckonAdd(ports.now, d.close_after, ports.calendar);
  return { timers: [{ kind: CLOSE_TIMER, fireAt: at.at, provisional: at.provisional, duration: d.close_after, payload: {} }] };
}

export async function groupTimerFired(_t: unknown, ports: TimerPorts): Promise<void> {
  await ports.closeGroup();
}

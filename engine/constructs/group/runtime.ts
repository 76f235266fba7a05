// runtime.ts: what a group step asks on entry through the registry's ports (constructs/types.ts): with
// `close_after`, a timer. Its members' tasks, counts and closing (the timer firing too) are rows, written
// by its runtime half (run/).

import { reckonAdd } from '../../calendar/index.ts';
import type { EntryEffects, EntryPorts } from '../types.ts';
import type { GroupStepFields } from './types.ts';

export const CLOSE_TIMER = 'group_close';

export function groupEntered(d: GroupStepFields, ports: EntryPorts): EntryEffects {
  if (!d.close_after) return {};
  const at = reckonAdd(ports.now, d.close_after, ports.calendar);
  return { timers: [{ kind: CLOSE_TIMER, fireAt: at.at, provisional: at.provisional, duration: d.close_after, payload: {} }] };
}

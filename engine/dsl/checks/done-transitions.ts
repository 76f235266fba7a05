// done-transitions.ts: `done` fires when a state's task groups complete, so only a state with tasks may wait for it.

import { LvzError } from '../../errors.ts';
import type { Check } from './types.ts';

export const doneTransitions: Check = (wf, src) =>
  Object.values(wf.states)
    .filter((s) => s.tasks.length === 0 && 'done' in s.on)
    .map((s) => {
      const path = `/states/${s.name}/on/done`;
      return new LvzError(
        'LVZ_DSL_DONE_WITHOUT_TASKS',
        `state "${s.name}" waits for done but has no task: add task: or tasks:, or use always: for an automatic step`,
        { where: src.at(path), path, params: { state: s.name } },
      );
    });

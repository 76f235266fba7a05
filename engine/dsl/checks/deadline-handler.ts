// deadline-handler.ts: a deadline's escalate names an event its state handles under on:.

import { LvzError } from '../../errors.ts';
import { deadlinesOf } from '../walk.ts';
import type { Check } from './types.ts';

export const deadlineHandler: Check = (wf, src) =>
  deadlinesOf(wf)
    .filter(({ state, deadline }) => deadline.escalate !== undefined && !(deadline.escalate in state.on))
    .map(({ state, deadline, path }) => {
      const at = `${path}/escalate`;
      const events = Object.keys(state.on);
      return new LvzError(
        'LVZ_DSL_DEADLINE_NO_HANDLER',
        `the deadline of "${state.name}" escalates to "${deadline.escalate}", which its on: does not handle: ` +
          `add on: { ${deadline.escalate}: <state> }${events.length > 0 ? ` or use one of ${events.join(', ')}` : ''}`,
        { where: src.at(at), path: at, params: { state: state.name, event: deadline.escalate } },
      );
    });

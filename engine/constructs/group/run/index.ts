// index.ts: the group construct's runtime half (docs/group-steps.md; docs/constructs.md, "Runtime
// halves"): its members' tasks and the counts row made on entry in one statement, a member's answer
// touching only their task and the counts, the counts as tally.<step> (`ready`), closing by its rule,
// by 提前结束 (closeEarly, an Engine operation) or by `close_after`, and 办理进度 for the instance page.

import { closeGroupsOfState } from '../../../store/process/index.ts';
import type { ConstructRun } from '../../../runtime/construct-run.ts';
import { workflowOf } from '../../../runtime/runtime-context.ts';
import { contextOf, isStepLeft } from '../../../runtime/working.ts';
import { CLOSE_TIMER } from '../runtime.ts';
import type { GroupStepFields } from '../types.ts';
import { answerMember } from './answer.ts';
import { closeByDeadline } from './closed.ts';
import { enterGroup } from './enter.ts';
import { loadGroupTally } from './tally.ts';

export { closeEarly } from './close.ts';
export { groupProgress } from './progress.ts';

export const groupRun: ConstructRun<GroupStepFields> = {
  key: 'group',
  makeTasks: (_d, e, s, g, visit, due) => enterGroup(e, s, g, visit, due),
  // Read from the counts row (closed or not), never from the step's thousands of tasks.
  ready: (_d, w, s) => loadGroupTally(w.tx, w.inst.id, s, contextOf(w)),
  left: async (_d, at) => closeGroupsOfState(at.tx, at.instanceId, at.state, at.now.toISOString()),
  answer: (_d, at, moves) => answerMember(at, moves),
  timerKinds: [CLOSE_TIMER],
  // `close_after`: closes the step as 提前结束 would, by the system; a step since left is left alone.
  timerFired: async (t, { rc, tx, inst }, moves) => {
    if (!inst || isStepLeft(inst, t)) return;
    await closeByDeadline(rc, tx, inst, workflowOf(rc, inst.workflowId, inst.workflowVersion), moves);
  },
};

// close.ts: 提前结束: a close_by holder closes a group step now, with a reason (docs/group-steps.md).

import { LvzError } from '../../../errors.ts';
import { closeGroup, lockInstance, writeTx } from '../../../store/process/index.ts';
import type { Actor } from '../../../runtime/types.ts';
import type { Moves } from '../../../runtime/construct-run.ts';
import { conflict } from '../../../runtime/working.ts';
import { stateOf, workflowOf, type RuntimeContext } from '../../../runtime/runtime-context.ts';
import { canSee, holdersOf, notFound } from '../../../runtime/access.ts';
import { ensureRunning, requireReason } from '../../../runtime/load.ts';
import { advanceClosed, countedGroup, keyOf } from './closed.ts';

/** 提前结束: a close_by holder closes the step now, with a reason; the page's version is compared. */
export async function closeEarly(rc: RuntimeContext, actor: Actor, instanceId: string, input: { reason: string; version: number }, moves: Moves): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const inst = await lockInstance(tx, instanceId);
    if (!inst || !(await canSee(rc, tx, actor, await holdersOf(tx, actor, rc.now()), inst))) throw notFound('事项', instanceId);
    ensureRunning(inst);
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    const s = stateOf(wf, inst.state);
    const g = countedGroup(s);
    if (!g) throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '当前步骤不是征求意见（群组）步骤，没有“提前结束”：请刷新页面查看当前步骤', {});
    if (!(g.close_by ?? []).some((r) => actor.roles.includes(r as never))) {
      throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有流程指定的负责人可以提前结束这一步：如需提前结束，请联系负责人', {});
    }
    const reason = requireReason(input.reason, '提前结束');
    if (input.version !== inst.version) throw conflict();
    const visit = inst.snapshot.visits[s.name] ?? 1;
    if (!(await closeGroup(tx, keyOf(inst, s, g, visit), 'early', rc.now().toISOString()))) {
      throw new LvzError('LVZ_RUN_TASK_CLOSED', '这一步已经结束：请刷新页面查看结果', {});
    }
    await advanceClosed(rc, tx, inst, wf, g, 'early', { actor, reason }, moves);
  });
}

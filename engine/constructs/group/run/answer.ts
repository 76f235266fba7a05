// answer.ts: a member's completion at a group step (docs/group-steps.md, "A member's completion"):
// their task and the counts row only. No comparison with the version their page saw (the record is
// read-only at a group step) and no instance write, so members never conflict; the one completion
// that makes the rule hold closes the group and moves the instance on.

import type { Knex } from 'knex';
import { LvzError } from '../../../errors.ts';
import { isTrue } from '../../../expr/index.ts';
import * as groupCore from '../index.ts';
import { appendEvent, attachFiles, closeGroup, countAnswer, updateTask } from '../../../store/process/index.ts';
import type { Actor, CompleteInput } from '../../../runtime/types.ts';
import { celVars, exprOf } from '../../../runtime/machine.ts';
import { groupOf, stateOf, type RuntimeContext } from '../../../runtime/runtime-context.ts';
import { validateStep } from '../../../runtime/step-input.ts';
import { celActor, type Loaded } from '../../../runtime/load.ts';
import { checkOpinion } from '../../../runtime/opinion.ts';
import { advanceClosed, keyOf } from './closed.ts';
import type { Moves } from '../../../runtime/construct-run.ts';

function closedMeanwhile(taskId: string): LvzError {
  return new LvzError('LVZ_RUN_TASK_CLOSED', '这一步已经结束（意见已够、提前结束或期限已到），您的意见没有计入：请刷新页面查看结果', { params: { taskId } });
}

/** Waits for every write, then fails with the first failure (a rollback must not race a running statement). */
async function allFinished<T extends unknown[]>(...writes: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

export interface Answered { instanceId: string; state: string; stateTitle: string }

export async function answerMember({ rc, tx, actor, loaded: l, input }: { rc: RuntimeContext; tx: Knex; actor: Actor; loaded: Loaded; input: CompleteInput }, moves: Moves): Promise<Answered> {
  const { task, inst, wf } = l;
  const s = stateOf(wf, task.state);
  const g = groupOf(wf, task.state, task.grp);
  const index = g.outcomes.findIndex((o) => o.id === input.event);
  if (index < 0) {
    throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', `这一步没有“${input.event}”操作：请使用页面上的按钮提交`, { params: { event: input.event } });
  }
  const opinion = checkOpinion(g, input.opinion);
  const uploaders = [actor.userId, l.acting.holder.userId];
  const who = celActor(actor);
  const current = { ...inst.data, ...(task.draft ?? {}) };
  const { patch, fileIds } = await validateStep(rc, tx, wf, g, input.input, current, uploaders, input.typed, { actor: who, initiator: { id: inst.initiatorId } });
  const answer: Record<string, unknown> = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (opinion) answer.opinion = opinion;
  const now = rc.now().toISOString();
  const key = keyOf(inst, s, g, task.visit);
  // The task, the counts and the event go out together: one wait for the database instead of three.
  // Any failure is thrown once all have finished, and the transaction undoes the others.
  const [done, counts, attached] = await allFinished(
    updateTask(tx, task.id, {
      status: 'done', outcome: input.event, answer, completedAt: now, completedBy: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null,
    }, 'open'),
    countAnswer(tx, key, index),
    attachFiles(tx, inst.id, fileIds, uploaders),
    appendEvent(tx, {
      instanceId: inst.id, at: now, actorId: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null, type: 'group.answered',
      taskId: task.id, fromState: inst.state, toState: inst.state,
      payload: { group: g.id, event: input.event, label: g.outcomes[index]!.label, ...(opinion && { opinion }) },
    }),
  );
  if (!done) throw new LvzError('LVZ_RUN_TASK_CLOSED', '这项任务刚刚已被办理：请刷新待办列表查看最新情况', { params: { taskId: task.id } });
  if (!counts) throw closedMeanwhile(task.id);
  if (attached < new Set(fileIds).size) {
    throw new LvzError('LVZ_RUN_CONFLICT', '有附件已超过保留时间被清理：请重新上传附件后再提交', { params: { taskId: task.id } });
  }
  const ctx = { data: inst.data, tally: { ...inst.snapshot.tally, [g.id]: groupCore.tallyOf(g.outcomes, counts) }, visits: inst.snapshot.visits };
  const holds = isTrue(exprOf(wf, g.complete_expr!), celVars(ctx, { type: 'task.done', actor: who }));
  // Exactly one transaction marks the row closed; it alone moves the instance on.
  if (!holds || !(await closeGroup(tx, key, 'rule', now))) return { instanceId: inst.id, state: inst.state, stateTitle: s.title };
  const w = await advanceClosed(rc, tx, inst, wf, g, 'rule', { actor, taskId: task.id }, moves);
  return { instanceId: inst.id, state: w.inst.state, stateTitle: stateOf(wf, w.inst.state).title };
}

// instance-actions.ts: 撤回 (withdraw), 撤销 (cancel by the initiator), 终止 (terminate by an admin),
// 调整办理步骤 (an admin moves a stuck instance) and 催办 on a whole instance. Each is one
// transaction and one history event. An admin acts only on the instances they administer
// (admin-scope.ts): another district's case is not found (NOT_FOUND) unless they may see it
// otherwise, and then refused (LVZ_AUTH_FORBIDDEN), with nothing written either way.

import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import {
  appendEvent, cancelOpenTasks, cancelTimers, listEvents, lockInstance, tasksOfInstance, writeTx, type EventRow, type Holder, type InstanceRow, type TaskRow,
} from '../store/process/index.ts';
import type { Actor } from './types.ts';
import { conflict, leaveConstructs, openWorking, persist, reenter, refuseChange, send, settle } from './advance.ts';
import { workflowOf, type RuntimeContext } from './runtime-context.ts';
import { GOTO } from './machine.ts';
import { celActor, ensureRunning, requireReason } from './load.ts';
import { canSee, holdersOf, holds, notFound } from './access.ts';
import { logReminder, remindOwn } from './actions.ts';
import { ensureAdministers } from './admin-scope.ts';

/** The instance, locked for this transaction (lockInstance), if the actor may see it. */
async function loadVisible(rc: RuntimeContext, tx: Knex, actor: Actor, id: string): Promise<InstanceRow> {
  const inst = await lockInstance(tx, id);
  if (!inst || !(await canSee(rc, tx, actor, await holdersOf(tx, actor, rc.now()), inst))) throw notFound('事项', id);
  return inst;
}

export type WithdrawCheck = { from: string; problem?: 'not_yours' | 'not_offered' | 'too_late' };

/**
 * Whether the actor may pull back the last transition: theirs, offered by the step, not yet acted
 * on. The instance page passes the events and tasks it has read already.
 */
export async function withdrawable(rc: RuntimeContext, tx: Knex, actor: Actor, inst: InstanceRow, read?: { events: EventRow[]; tasks: TaskRow[] }): Promise<WithdrawCheck> {
  const events = read?.events ?? await listEvents(tx, inst.id);
  const last = [...events].reverse().find((e) => e.fromState && e.toState && e.fromState !== e.toState);
  if (!last || last.toState !== inst.state || last.actorId !== actor.userId || last.type !== 'task.completed') return { from: '', problem: 'not_yours' };
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const from = last.fromState!;
  const group = wf.def.states[from]?.tasks.find((g) => g.id === (last.payload.group as string));
  if (!group?.actions.includes('withdraw')) return { from, problem: 'not_offered' };
  // Opened is fine; acted on is not: a task of the new state done, waiting on a helper, or helped.
  const acted = (read?.tasks ?? await tasksOfInstance(tx, inst.id)).some((t) => t.state === inst.state && t.kind !== 'cc' && t.createdAt >= last.at
    && (t.status === 'done' || t.status === 'waiting' || t.kind !== 'task'));
  return acted ? { from, problem: 'too_late' } : { from };
}

export async function withdraw(rc: RuntimeContext, actor: Actor, instanceId: string, version: number): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const inst = await loadVisible(rc, tx, actor, instanceId);
    ensureRunning(inst);
    if (version !== inst.version) throw conflict();
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    const check = await withdrawable(rc, tx, actor, inst);
    if (check.problem === 'not_yours') throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '只有上一步的提交人可以撤回：这份件的上一次流转不是由您提交的', {});
    if (check.problem === 'not_offered') throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '这一步不能撤回：该操作未在流程中开启', {});
    if (check.problem === 'too_late') throw new LvzError('LVZ_RUN_WITHDRAW_TOO_LATE', '下一步已经办理，不能再撤回：如需更正，请联系当前办理人退回', {});
    const w = openWorking(rc, tx, inst, wf, inst.data);
    await send(w, { type: GOTO + check.from, actor: celActor(actor) });
    await settle(w, celActor(actor));
    await persist(w);
    await appendEvent(tx, {
      instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'instance.withdrawn',
      taskId: null, fromState: inst.state, toState: w.inst.state, payload: {},
    });
  });
}

async function end(rc: RuntimeContext, actor: Actor, instanceId: string, input: { reason: string; version: number }, how: 'cancelled' | 'terminated'): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const inst = await loadVisible(rc, tx, actor, instanceId);
    if (how === 'cancelled' && inst.initiatorId !== actor.userId) {
      throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有发起人可以撤销这份件：如需终止，请联系管理员', {});
    }
    if (how === 'terminated') await ensureAdministers(tx, actor, inst, '终止');
    ensureRunning(inst);
    const reason = requireReason(input.reason, how === 'cancelled' ? '撤销' : '终止');
    if (input.version !== inst.version) throw conflict();
    await refuseChange(tx, { instanceIds: [inst.id] }, how === 'cancelled' ? '撤销' : '终止');
    await leaveConstructs(rc, tx, inst, inst.state, rc.now());
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    await cancelOpenTasks(tx, inst.id);
    await cancelTimers(tx, inst.id);
    const w = openWorking(rc, tx, inst, wf, inst.data);
    await persist(w, { status: how });
    await appendEvent(tx, {
      instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: null,
      type: how === 'cancelled' ? 'instance.cancelled' : 'instance.terminated', taskId: null,
      fromState: inst.state, toState: inst.state, payload: { reason },
    });
  });
}

export const cancelInstance = (rc: RuntimeContext, actor: Actor, id: string, input: { reason: string; version: number }): Promise<void> => end(rc, actor, id, input, 'cancelled');
export const terminateInstance = (rc: RuntimeContext, actor: Actor, id: string, input: { reason: string; version: number }): Promise<void> => end(rc, actor, id, input, 'terminated');

/**
 * 调整办理步骤: an administrator mends an instance that cannot move on by itself (a deadline whose
 * next step cannot be entered, a unit never chosen): the current step's open tasks and timers
 * are cancelled and the chosen step is entered afresh, as 退回 and a migration do, so its tasks,
 * deadlines and copies are made as on any entry. A reason is required and kept in the history.
 * Final steps are refused: 终止 ends an instance.
 */
export async function moveInstance(rc: RuntimeContext, actor: Actor, instanceId: string, input: { to: string; reason: string; version: number }): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const inst = await loadVisible(rc, tx, actor, instanceId);
    await ensureAdministers(tx, actor, inst, '调整办理步骤');
    ensureRunning(inst);
    const reason = requireReason(input.reason, '调整办理步骤');
    if (input.version !== inst.version) throw conflict();
    await refuseChange(tx, { instanceIds: [inst.id] }, '调整办理步骤');
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    const target = Object.hasOwn(wf.def.states, input.to) ? wf.def.states[input.to] : undefined;
    if (!target || target.final) {
      throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择一个办理中的步骤：要结束这份件，请用“终止”', { params: { to: input.to } });
    }
    const w = await reenter(rc, tx, inst, wf, target.name, celActor(actor));
    await appendEvent(tx, {
      instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'instance.moved', taskId: null,
      fromState: inst.state, toState: w.inst.state, payload: { reason },
    });
  });
}

/**
 * 催办 reminds someone else: when every open task is the viewer's own (or a principal's they stand
 * in for), there is nobody to remind, and the instance page does not offer it.
 */
export function isAllMine(tasks: TaskRow[], holders: Holder[]): boolean {
  const open = tasks.filter((t) => (t.status === 'open' || t.status === 'waiting') && t.kind !== 'cc');
  return open.length > 0 && open.every((t) => holders.some((h) => holds(t, h)));
}

/** 催办 the whole instance: one logged reminder (its count is shown on the instance page). */
export async function remindInstance(rc: RuntimeContext, actor: Actor, instanceId: string, message?: string): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const inst = await loadVisible(rc, tx, actor, instanceId);
    ensureRunning(inst);
    if (isAllMine(await tasksOfInstance(tx, inst.id), await holdersOf(tx, actor, rc.now()))) throw remindOwn();
    await logReminder(rc, tx, inst, undefined, actor.userId, message);
  });
}

// actions.ts: the office task actions: 退回 转办 委派 加签 (and 减签) 催办 抄送, each only where the
// step lists it, each recorded in the history (with a reason where the convention requires one).

import type { Knex } from 'knex';
import { addDuration } from '../calendar/index.ts';
import type { TaskAction, TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import { getUser } from '../store/directory.ts';
import {
  appendEvent, countEvents, getTask, lockInstance, insertTasks, listEvents, markReturned, tasksOfVisit, updateTask, writeTx, type InstanceRow, type TaskRow,
} from '../store/process/index.ts';
import type { Actor, Once, TaskActionInput } from './types.ts';
import { onceIn } from './idempotency.ts';
import { conflict, contextOf, openWorking, persist, send, settle } from './advance.ts';
import { logOnly } from './complete.ts';
import { groupOf, stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { GOTO } from './machine.ts';
import { celActor, ensureOpen, ensurePlainText, ensureRunning, loadTask, requireReason, type Loaded } from './load.ts';
import { canSee, holdersOf, holds, notFound } from './access.ts';
import { insertCopies, newTask, signerPosition } from './entry-rows.ts';
import { HANDLING_UNIT_ROLE } from '../dsl/roles.ts';
import { resolveActionTargets } from './picker-search.ts';
import { handoffTarget, handoffTargets } from './handoff.ts';

export function ensureAction(g: TaskGroupDef, action: TaskAction): void {
  if (!g.actions.includes(action)) {
    throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', `这一步不能${ACTION_LABELS[action]}：该操作未在流程中开启`, { params: { action } });
  }
}

export const ACTION_LABELS: Record<TaskAction, string> = {
  return: '退回', reassign: '转办', delegate: '委派', add_signer: '加签', withdraw: '撤回', remind: '催办', copy: '抄送',
};

/**
 * Actions that make rows (退回 转办 委派 加签 抄送) are guarded by the submission key; 催办 and 减签
 * are not (a repeated reminder or a signer already taken back changes nothing more).
 */
export async function taskAction(rc: RuntimeContext, actor: Actor, taskId: string, input: TaskActionInput, once?: Once): Promise<{ replayed?: boolean }> {
  // Every action's typed text, before anything is read: the same refusal on both databases.
  if ('reason' in input) ensurePlainText(input.reason, `${input.action === 'remove_signer' ? '减签' : ACTION_LABELS[input.action]}的理由`, 'reason');
  if (input.action === 'remind') return remindTask(rc, actor, taskId, input.message).then(() => ({}));
  if (input.action === 'remove_signer') return removeSigner(rc, actor, taskId, input).then(() => ({}));
  return writeTx(rc.db, (tx) => onceIn(rc, tx, actor, once, `action ${taskId}`, async () => {
    await actInTx(rc, tx, actor, taskId, input);
    return {};
  }));
}

async function actInTx(rc: RuntimeContext, tx: Knex, actor: Actor, taskId: string, typed: Exclude<TaskActionInput, { action: 'remind' | 'remove_signer' }>): Promise<void> {
  const l = await loadTask(rc, tx, actor, taskId);
  ensureOpen(l.task, l.inst);
  const g = groupOf(l.wf, l.task.state, l.task.grp);
  ensureAction(g, typed.action);
  // A stale page is a 409 before anything it named is looked at (the reason it carries is shown back).
  if (typed.action !== 'copy' && typed.version !== l.inst.version) throw conflict();
  // A name typed into a panel's plain input (no script, a large directory) becomes its id, or a 400 naming the candidates.
  const input = await resolveActionTargets(rc, typed, tx);
  if (input.action === 'copy') return copyTask(rc, tx, actor, l, input.toUsers);
  if (input.action === 'return') return returnTask(rc, tx, actor, l, g, input.to, input.reason);
  // 转办 委派 加签: one target, within the step's handoff set, never the initiator or anyone acting already.
  const targets = await handoffTargets(rc, tx, { task: l.task, inst: l.inst, g }, l.acting.holder.userId, actor.userId);
  const dir = await rc.directory(tx);
  const snapshot = await rc.snapshot(tx);
  const to = handoffTarget(targets, input.action, input, dir, snapshot);
  const name = 'toOrg' in to ? snapshot.orgs.get(to.toOrg)?.name ?? to.toOrg : snapshot.people.get(to.toUser)?.name ?? to.toUser;
  if (input.action === 'reassign') return reassignTask(rc, tx, actor, l, to, name, input.reason);
  if (!('toUser' in to)) throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择一位人员', { params: { field: 'toUser' } });
  if (input.action === 'delegate') return delegateTask(rc, tx, actor, l, to.toUser, name, input.reason);
  return addSigner(rc, tx, actor, l, to.toUser, name, input.position, input.reason);
}

/** The step the instance came from into this one: the last transition whose target was it. */
export async function previousState(tx: Knex, inst: InstanceRow, state: string): Promise<string | undefined> {
  const events = await listEvents(tx, inst.id);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.toState === state && e.fromState && e.fromState !== state) return e.fromState;
  }
  return undefined;
}

/** Where a return may go: previous, the initiator's step and the named steps, if actually visited. */
export async function returnTargets(tx: Knex, l: { inst: InstanceRow; wf: Loaded['wf'] }, g: TaskGroupDef, state: string): Promise<string[]> {
  const visits = l.inst.snapshot.visits ?? {};
  const out: string[] = [];
  const prev = await previousState(tx, l.inst, state);
  if (prev) out.push(prev);
  for (const s of [l.wf.def.initial, ...g.return_to]) if (s !== state && (visits[s] ?? 0) > 0 && !out.includes(s)) out.push(s);
  return out;
}

async function returnTask(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, g: TaskGroupDef, to: string, reasonIn: string): Promise<void> {
  const reason = requireReason(reasonIn, '退回');
  const now = rc.now();
  if (g.return_within && now.getTime() > addDuration(new Date(l.task.createdAt), g.return_within, rc.calendar).getTime()) {
    throw new LvzError('LVZ_RUN_BAD_RETURN_TARGET', `已超过退回期限（收到后 ${g.return_within.text} 内）：请继续办理，或联系交办部门协调`, { params: { within: g.return_within.text } });
  }
  const targets = await returnTargets(tx, l, g, l.task.state);
  const target = to === 'previous' ? targets[0] : to === 'initiator' ? l.wf.def.initial : to;
  if (!target || !targets.includes(target)) {
    throw new LvzError('LVZ_RUN_BAD_RETURN_TARGET', `不能退回到“${l.wf.def.states[to]?.title ?? to}”：只能退回到本件实际经过的、流程允许退回的步骤`, { params: { to, allowed: targets } });
  }
  await updateTask(tx, l.task.id, { status: 'done', outcome: 'return', completedAt: now.toISOString(), completedBy: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null }, 'open');
  const w = openWorking(rc, tx, l.inst, l.wf, l.inst.data);
  await send(w, { type: GOTO + target, actor: celActor(actor) });
  // The target step's new tasks say they were sent back (待办 marks them 退回).
  await markReturned(tx, l.inst.id, target, contextOf(w).visits[target] ?? 1);
  await settle(w, celActor(actor));
  await persist(w);
  await appendEvent(tx, {
    instanceId: l.inst.id, at: now.toISOString(), actorId: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null,
    type: 'task.returned', taskId: l.task.id, fromState: l.inst.state, toState: w.inst.state, payload: { reason, to: target },
  });
}

/** 转办: a unit's task becomes the other unit's (for its holders of the role), a person's task the other person's. */
async function reassignTask(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, to: { toUser: string } | { toOrg: string }, toName: string, reasonIn: string): Promise<void> {
  const reason = requireReason(reasonIn, '转办');
  if ('toOrg' in to) await updateTask(tx, l.task.id, { orgId: to.toOrg, assigneeId: null, role: l.task.role ?? HANDLING_UNIT_ROLE }, 'open');
  else await updateTask(tx, l.task.id, { assigneeId: to.toUser }, 'open');
  await logOnly(rc, tx, actor, l, 'task.reassigned', { reason, ...to, toName });
}

async function delegateTask(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, toUser: string, toName: string, reason?: string): Promise<void> {
  await helperTask(rc, tx, l, toUser, 'delegated', null);
  await updateTask(tx, l.task.id, { status: 'waiting' }, 'open');
  await logOnly(rc, tx, actor, l, 'task.delegated', { toUser, toName, ...(reason && { reason }) });
}

async function addSigner(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, toUser: string, toName: string, position: 'before' | 'after', reason?: string): Promise<void> {
  // before: the signer acts first and the owner waits; after: the signer acts once the owner has.
  await helperTask(rc, tx, l, toUser, 'signer', { position }, position === 'after' ? 'waiting' : 'open');
  if (position === 'before') await updateTask(tx, l.task.id, { status: 'waiting' }, 'open');
  await logOnly(rc, tx, actor, l, 'task.signer_added', { toUser, toName, position, ...(reason && { reason }) });
}

/** A signer this task added who has not acted: open (before the owner) or waiting (after). */
export function isRemovable(signer: TaskRow, owner: TaskRow): boolean {
  return signer.kind === 'signer' && signer.ownerTaskId === owner.id && (signer.status === 'open' || signer.status === 'waiting');
}

/**
 * 减签: the owner takes back a signer who has not acted yet. Their task is cancelled; once no
 * signer before the owner and no 委派 helper is left, the owner's task is open again. Allowed
 * where the step offers 加签, while the owner's own task is still to do (open, or waiting for
 * signers before it).
 */
async function removeSigner(rc: RuntimeContext, actor: Actor, taskId: string, input: Extract<TaskActionInput, { action: 'remove_signer' }>): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const l = await loadTask(rc, tx, actor, taskId);
    ensureRunning(l.inst);
    const g = groupOf(l.wf, l.task.state, l.task.grp);
    if (!g.actions.includes('add_signer')) {
      throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '这一步不能减签：该步骤未开启加签', { params: { action: 'remove_signer' } });
    }
    if (l.task.kind !== 'task' || (l.task.status !== 'open' && l.task.status !== 'waiting')) {
      throw new LvzError('LVZ_RUN_TASK_CLOSED', '这项任务已经办理完毕或已取消，不能再减签：请刷新页面查看最新情况', { params: { taskId } });
    }
    if (input.version !== l.inst.version) throw conflict();
    const tasks = await tasksOfVisit(tx, l.inst.id, l.task.state, l.task.visit);
    const signer = tasks.find((t) => t.id === input.signerTaskId);
    if (!signer || !isRemovable(signer, l.task)) {
      throw new LvzError('LVZ_RUN_BAD_REQUEST', '只能减去本人加签、尚未办理的人员：请刷新页面后从列表中选择', { params: { signerTaskId: input.signerTaskId } });
    }
    await updateTask(tx, signer.id, { status: 'cancelled' }, ['open', 'waiting']);
    const position = signerPosition(signer);
    const stillFirst = tasks.some((t) => t.id !== signer.id && t.ownerTaskId === l.task.id && t.status === 'open'
      && (t.kind === 'delegated' || (t.kind === 'signer' && signerPosition(t) === 'before')));
    if (l.task.status === 'waiting' && !stillFirst) await updateTask(tx, l.task.id, { status: 'open' }, 'waiting');
    const reason = input.reason?.trim();
    await logOnly(rc, tx, actor, l, 'task.signer_removed', { toUser: signer.assigneeId, position, ...(reason && { reason: reason.slice(0, 2000) }) });
  });
}

async function helperTask(rc: RuntimeContext, tx: Knex, l: Loaded, userId: string, kind: 'delegated' | 'signer', item: unknown, status: 'open' | 'waiting' = 'open'): Promise<TaskRow> {
  const t = newTask({
    instanceId: l.inst.id, state: l.task.state, visit: l.task.visit, grp: l.task.grp, item, seq: l.task.seq,
    title: l.task.title, role: null, orgId: null, assigneeId: userId, kind, ownerTaskId: l.task.id, status,
    createdAt: rc.now().toISOString(), dueAt: l.task.dueAt, dueProvisional: l.task.dueProvisional ?? false,
  });
  await insertTasks(tx, [t]);
  return t;
}

async function copyTask(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, toUsers: string[]): Promise<void> {
  const users: string[] = [];
  const toNames: string[] = [];
  for (const id of toUsers) {
    const u = await getUser(tx, id);
    if (u) { users.push(id); toNames.push(u.name); }
  }
  if (users.length === 0) throw new LvzError('LVZ_RUN_BAD_REQUEST', '抄送需要选择至少一位人员', { params: { field: 'toUsers' } });
  const visit = contextOf(openWorking(rc, tx, l.inst, l.wf, l.inst.data)).visits[l.task.state] ?? 1;
  await insertCopies(tx, l.inst.id, l.task.state, visit, stateOf(l.wf, l.task.state).title, users, rc.now());
  // Information only: no version bump, so nobody's open page goes stale.
  await appendEvent(tx, {
    instanceId: l.inst.id, at: rc.now().toISOString(), actorId: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null,
    type: 'task.copied', taskId: l.task.id, fromState: l.inst.state, toState: l.inst.state, payload: { toUsers: users, toNames },
  });
}

/** 催办 on one open task, by anyone who may see the instance, where the step offers it. */
async function remindTask(rc: RuntimeContext, actor: Actor, taskId: string, message?: string): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const task = await getTask(tx, taskId);
    const inst = task ? await lockInstance(tx, task.instanceId) : undefined;
    const holders = await holdersOf(tx, actor, rc.now());
    if (!task || !inst || !(await canSee(rc, tx, actor, holders, inst))) throw notFound('待办', taskId);
    ensureOpen(task, inst);
    if (holders.some((h) => holds(task, h))) throw remindOwn();
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    ensureAction(groupOf(wf, task.state, task.grp), 'remind');
    await logReminder(rc, tx, inst, task, actor.userId, message);
  });
}

/** 催办 reminds whoever else holds a task: never the asker (nor a principal they stand in for). */
export function remindOwn(): LvzError {
  return new LvzError('LVZ_RUN_REMIND_OWN', '这项任务由您办理，不能催办自己：请在待办中直接办理', {});
}

export async function logReminder(rc: RuntimeContext, tx: Knex, inst: InstanceRow, task: TaskRow | undefined, actorId: string | null, message?: string): Promise<void> {
  ensurePlainText(message, '催办留言', 'message');
  const count = (await countEvents(tx, inst.id, 'task.reminded')) + 1;
  await appendEvent(tx, {
    instanceId: inst.id, at: rc.now().toISOString(), actorId, onBehalfOf: null, type: 'task.reminded',
    taskId: task?.id ?? null, fromState: inst.state, toState: inst.state, payload: { count, ...(message && { message: message.slice(0, 500) }) },
  });
}

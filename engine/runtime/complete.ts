// complete.ts: complete a task: authorise, validate the step's fields, transition, persist, log;
// one transaction, so a failure at any point writes nothing.

import type { Knex } from 'knex';
import type { StateDef, TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import {
  appendEvent, attachFiles, tasksOfVisit, updateTask, writeTx, type InstanceRow, type TaskRow,
} from '../store/process/index.ts';
import type { Actor, CompleteInput } from './types.ts';
import { stateName, type CelActor } from './machine.ts';
import { conflict, contextOf, moves, openWorking, persist, send, settle, type Working } from './advance.ts';
import { groupOf, stateOf, type RuntimeContext } from './runtime-context.ts';
import { mergeData, unassignedAsFieldError, validateStep } from './step-input.ts';
import { celActor, ensureOpen, ensurePlainText, loadTask, requireReason, type Loaded } from './load.ts';
import { signerPosition } from './entry-rows.ts';
import { onceIn } from './idempotency.ts';
import { ensureNotWaiting } from './wait-for.ts';
import { runsAt } from '../constructs/runs.ts';
import { checkOpinion } from './opinion.ts';
import type { CompleteResult } from './working.ts';

export { checkOpinion };

export type { CompleteResult } from './working.ts';

/** A single task whose buttons are the state's own events sends them straight to the machine. */
export function isEventMode(s: StateDef, g: TaskGroupDef, event: string): boolean {
  return s.tasks.length === 1 && !g.for_each && Object.hasOwn(s.on, event);
}

function reasonFor(s: StateDef, event: string, reason: string | undefined): string | undefined {
  const needed = (s.on[event] ?? []).some((t) => t.reason === 'required');
  if (needed) return requireReason(reason, '这一操作');
  ensurePlainText(reason, '理由', 'reason');
  return reason?.trim() || undefined;
}

/** A for_each task's answer lands in data.<group> as one entry per task (the group's own list). */
function withGroupEntry(data: Record<string, unknown>, g: TaskGroupDef, task: TaskRow, patch: Record<string, unknown>, outcome: string, by: string): Record<string, unknown> {
  const list = Array.isArray(data[g.id]) ? (data[g.id] as { task?: string }[]).filter((e) => e.task !== task.id) : [];
  const entry: Record<string, unknown> = { task: task.id, item: task.item, outcome, by };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) entry[k] = v;
  return { ...data, [g.id]: [...list, entry] };
}

export async function completeTask(rc: RuntimeContext, actor: Actor, taskId: string, input: CompleteInput): Promise<CompleteResult & { replayed?: boolean }> {
  return writeTx(rc.db, (tx) => onceIn(rc, tx, actor, input.once, `complete ${taskId}`, () => completeInTx(rc, tx, actor, taskId, input)));
}

/** The body of completeTask inside a caller's transaction (start uses it for the first step). */
export async function completeInTx(rc: RuntimeContext, tx: Knex, actor: Actor, taskId: string, input: CompleteInput): Promise<CompleteResult> {
  {
    const loaded = await loadTask(rc, tx, actor, taskId);
    const { task, inst } = loaded;
    ensureOpen(task, inst);
    // A construct may take its state's tasks itself (a group member's answer: no version check, no instance write).
    const taker = task.kind === 'task' ? runsAt(stateOf(loaded.wf, task.state)).find(({ run }) => run.answer) : undefined;
    if (taker) return taker.run.answer!(taker.def, { rc, tx, actor, loaded, input }, moves);
    if (input.version !== inst.version) throw conflict();
    if (task.kind === 'delegated') return answerDelegation(rc, tx, actor, loaded, input);
    if (task.kind === 'signer') return finishSigner(rc, tx, actor, loaded, input);
    return finishTask(rc, tx, actor, loaded, input);
  }
}

async function closeTask(tx: Knex, task: TaskRow, outcome: string, actor: Actor, onBehalfOf: string | undefined, now: Date): Promise<void> {
  const ok = await updateTask(tx, task.id, {
    status: 'done', outcome, completedAt: now.toISOString(), completedBy: actor.userId, onBehalfOf: onBehalfOf ?? null,
  }, 'open');
  if (!ok) throw new LvzError('LVZ_RUN_TASK_CLOSED', '这项任务刚刚已被办理：请刷新待办列表查看最新情况', { params: { taskId: task.id } });
}

async function finishTask(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, input: CompleteInput): Promise<CompleteResult> {
  const { task, inst, wf } = l;
  const s = stateOf(wf, task.state);
  const g = groupOf(wf, task.state, task.grp);
  const outcome = g.outcomes.find((o) => o.id === input.event);
  if (!outcome) {
    throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', `这一步没有“${input.event}”操作：请使用页面上的按钮提交`, { params: { event: input.event } });
  }
  if (g.wait_for) ensureNotWaiting(s, g, await tasksOfVisit(tx, inst.id, task.state, task.visit), rc.now());
  const opinion = checkOpinion(g, input.opinion);
  const reason = reasonFor(s, input.event, input.reason);
  const current = { ...inst.data, ...(task.draft ?? {}) };
  const uploaders = [actor.userId, l.acting.holder.userId];
  const who = celActor(actor);
  const { patch, fileIds } = await validateStep(rc, tx, wf, g, input.input, current, uploaders, input.typed, { actor: who, initiator: { id: inst.initiatorId } });
  await closeTask(tx, task, input.event, actor, l.acting.onBehalfOf, rc.now());
  const data = g.for_each ? withGroupEntry(inst.data, g, task, patch, input.event, actor.userId) : mergeData(inst.data, patch);
  if ((await attachFiles(tx, inst.id, fileIds, uploaders)) < new Set(fileIds).size) {
    // Removed by the orphan sweep (orphan-files.ts) between reading and attaching: nothing is kept.
    throw new LvzError('LVZ_RUN_CONFLICT', '有附件已超过保留时间被清理：请重新上传附件后再提交', { params: { taskId: task.id } });
  }
  const w = openWorking(rc, tx, inst, wf, data);
  const signersAfter = await openSignersAfter(w, g, task);
  try {
    if (signersAfter === 0) await advanceAfter(w, s, g, task, input.event, who);
    await settle(w, who);
  } catch (e) {
    // Nothing is kept (the transaction rolls back); the user sees the field to fill, not the step's setup.
    throw await unassignedAsFieldError(rc, tx, wf, g, e, input.input, current);
  }
  // The instance's row and its event go out together: one round trip to the database instead of
  // two. A failed version check is thrown once both have finished, and the transaction (or the
  // event's savepoint) undoes the event too.
  await together(persist(w), appendEvent(tx, {
    instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null,
    type: 'task.completed', taskId: task.id, fromState: inst.state, toState: stateName(w.snapshot),
    payload: { event: input.event, label: outcome.label, group: g.id, ...(opinion && { opinion }), ...(reason && { reason }), data: patch, ...(w.notes.length > 0 && { note: w.notes.join('；') }), ...(w.children.length > 0 && { children: w.children }) },
  }));
  return { instanceId: inst.id, state: w.inst.state, stateTitle: stateOf(wf, w.inst.state).title };
}

/**
 * Waits for every write to finish, then fails with the first failure: a rollback must never
 * race a statement still running on the transaction's connection.
 */
async function together(...writes: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** After a task is done: the state's own event, or task.done (and the next of a 依次 group). */
async function advanceAfter(w: Working, s: StateDef, g: TaskGroupDef, task: TaskRow, event: string, actor?: CelActor): Promise<void> {
  if (isEventMode(s, g, event)) {
    if (!(await send(w, { type: event, ...(actor && { actor }) }))) {
      throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', `“${event}”在当前条件下没有可去的下一步：请检查填写的内容`, { params: { event } });
    }
    return;
  }
  await send(w, { type: 'task.done', group: g.id, outcome: event, ...(actor && { actor }) });
  if (g.complete_when.kind === 'sequential') {
    const visit = contextOf(w).visits[s.name] ?? task.visit;
    const next = (await tasksOfVisit(w.tx, w.inst.id, s.name, visit)).find((t) => t.grp === g.id && t.kind === 'task' && t.status === 'waiting');
    if (next) await updateTask(w.tx, next.id, { status: 'open', createdAt: w.now.toISOString() }, 'waiting');
  }
}

/** 加签 (after): signers added on this task act now; the step waits for them. Returns how many. */
async function openSignersAfter(w: Working, g: TaskGroupDef, task: TaskRow): Promise<number> {
  if (!g.actions.includes('add_signer')) return 0; // no 加签 at this step: nobody to look for
  const rows = (await tasksOfVisit(w.tx, w.inst.id, task.state, task.visit))
    .filter((t) => t.kind === 'signer' && t.ownerTaskId === task.id && t.status === 'waiting');
  for (const r of rows) await updateTask(w.tx, r.id, { status: 'open', createdAt: w.now.toISOString() }, 'waiting');
  return rows.length;
}

/** 委派: the helper's answer (opinion + data) goes back into the owner's draft; the owner's task reopens. */
async function answerDelegation(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, input: CompleteInput): Promise<CompleteResult> {
  const { task, inst, wf } = l;
  const owner = (await tasksOfVisit(tx, inst.id, task.state, task.visit)).find((t) => t.id === task.ownerTaskId);
  const g = groupOf(wf, task.state, task.grp);
  const opinion = checkOpinion({ ...g, opinion: g.opinion === 'none' ? 'optional' : g.opinion }, input.opinion);
  const { patch } = await validateStep(rc, tx, wf, g, input.input, { ...inst.data, ...(owner?.draft ?? {}) }, [actor.userId], input.typed);
  await closeTask(tx, task, 'answered', actor, l.acting.onBehalfOf, rc.now());
  if (owner) {
    const draft = { ...(owner.draft ?? {}), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), _helper: { by: actor.userId, name: actor.name, opinion: opinion ?? '' } };
    await updateTask(tx, owner.id, { status: 'open', draft }, 'waiting');
  }
  return logOnly(rc, tx, actor, l, 'task.delegate_answered', { ...(opinion && { opinion }), data: patch });
}

/** 加签: a signer's answer; before -> the owner's task reopens; after -> the step may now complete. */
async function finishSigner(rc: RuntimeContext, tx: Knex, actor: Actor, l: Loaded, input: CompleteInput): Promise<CompleteResult> {
  const { task, inst, wf } = l;
  const g = groupOf(wf, task.state, task.grp);
  const opinion = checkOpinion({ ...g, opinion: g.opinion === 'none' ? 'optional' : g.opinion }, input.opinion);
  await closeTask(tx, task, input.event || 'signed', actor, l.acting.onBehalfOf, rc.now());
  const position = signerPosition(task);
  const tasks = await tasksOfVisit(tx, inst.id, task.state, task.visit);
  const owner = tasks.find((t) => t.id === task.ownerTaskId);
  const w = openWorking(rc, tx, inst, wf, inst.data);
  if (position === 'before' && owner) {
    await updateTask(tx, owner.id, { status: 'open' }, 'waiting');
  } else if (owner && owner.status === 'done') {
    const others = tasks.filter((t) => t.kind === 'signer' && t.ownerTaskId === owner.id && t.id !== task.id && t.status !== 'done' && t.status !== 'cancelled');
    if (others.length === 0) await advanceAfter(w, stateOf(wf, task.state), g, owner, owner.outcome ?? 'submit', celActor(actor));
  }
  await settle(w, celActor(actor));
  await persist(w);
  await appendEvent(tx, {
    instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: l.acting.onBehalfOf ?? null,
    type: 'task.signed', taskId: task.id, fromState: inst.state, toState: w.inst.state, payload: { ...(opinion && { opinion }), position },
  });
  return { instanceId: inst.id, state: w.inst.state, stateTitle: stateOf(wf, w.inst.state).title };
}

/** An event that changes rows but not the machine: bump the version, log it. */
export async function logOnly(rc: RuntimeContext, tx: Knex, actor: Actor, l: { inst: InstanceRow; wf: Loaded['wf']; task?: TaskRow; acting?: Loaded['acting'] }, type: string, payload: Record<string, unknown>): Promise<CompleteResult> {
  const w = openWorking(rc, tx, l.inst, l.wf, l.inst.data);
  await persist(w);
  await appendEvent(tx, {
    instanceId: l.inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: l.acting?.onBehalfOf ?? null,
    type, taskId: l.task?.id ?? null, fromState: l.inst.state, toState: l.inst.state, payload,
  });
  return { instanceId: l.inst.id, state: l.inst.state, stateTitle: stateOf(l.wf, l.inst.state).title };
}

// load.ts: load a task with its instance and definition inside a transaction, and authorise.

import type { Knex } from 'knex';
import type { CompiledWorkflow } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import { getInstance, getTask, getTaskWithInstance, lockInstance, type InstanceRow, type TaskRow } from '../store/process/index.ts';
import { isPostgres } from '../store/db.ts';
import type { Actor } from './types.ts';
import { actingOn, notFound, type Acting } from './access.ts';
import { workflowOf, type RuntimeContext } from './runtime-context.ts';
import type { CelActor } from './machine.ts';
import { textProblem } from '../forms/text-safety.ts';

export interface Loaded {
  task: TaskRow;
  inst: InstanceRow;
  wf: CompiledWorkflow;
  acting: Acting;
}

/**
 * Inside a write transaction the instance is locked (PostgreSQL: `for update`; SQLite: writeTx
 * already holds the one write lock) and the task read again after the lock, so a request that
 * waited for a racing one decides on what the winner left. A plain read (db) locks nothing.
 */
export async function loadTask(rc: RuntimeContext, tx: Knex, actor: Actor, taskId: string): Promise<Loaded> {
  if (!isPostgres(tx)) {
    // SQLite: the transaction already holds the one write lock; task and instance in one read.
    const both = await getTaskWithInstance(tx, taskId);
    if (!both) throw notFound('待办', taskId);
    const acting = await actingOn(rc, tx, actor, both.task, both.inst);
    return { ...both, wf: workflowOf(rc, both.inst.workflowId, both.inst.workflowVersion), acting };
  }
  let task = await getTask(tx, taskId);
  if (!task) throw notFound('待办', taskId);
  const inst = tx.isTransaction ? await lockInstance(tx, task.instanceId) : await getInstance(tx, task.instanceId);
  if (!inst) throw notFound('待办', taskId);
  if (tx.isTransaction && isPostgres(tx)) task = (await getTask(tx, taskId)) ?? task;
  const acting = await actingOn(rc, tx, actor, task, inst);
  return { task, inst, wf: workflowOf(rc, inst.workflowId, inst.workflowVersion), acting };
}

export function ensureRunning(inst: InstanceRow): void {
  if (inst.status === 'completed' || inst.status === 'cancelled' || inst.status === 'terminated') {
    throw new LvzError('LVZ_RUN_INSTANCE_CLOSED', '这份件已经办结或被撤销、终止，不能再办理：请从列表查看它的办理记录', { params: { instanceId: inst.id, status: inst.status } });
  }
}

export function ensureOpen(task: TaskRow, inst: InstanceRow): void {
  ensureRunning(inst);
  if (task.status === 'waiting') {
    throw new LvzError('LVZ_RUN_TASK_CLOSED', '这项任务正在等待他人先处理（委派、加签或依次办理）：请等对方办完后再办理', { params: { taskId: task.id } });
  }
  if (task.status !== 'open') {
    throw new LvzError('LVZ_RUN_TASK_CLOSED', '这项任务已经办理完毕或已取消：请刷新待办列表查看最新情况', { params: { taskId: task.id, status: task.status } });
  }
}

export function celActor(actor: Actor): CelActor {
  return { id: actor.userId, org: actor.orgId, roles: [...actor.roles] };
}

/**
 * Text typed beside a form (a reason, an opinion, a reminder's message): refused, naming it, when
 * it holds a character no input may (forms/text-safety.ts), the same on SQLite and PostgreSQL.
 */
export function ensurePlainText(value: unknown, label: string, field: string): void {
  const problem = typeof value === 'string' ? textProblem(label, value, true) : undefined;
  if (problem) throw new LvzError('LVZ_RUN_BAD_REQUEST', problem, { params: { field } });
}

export function requireReason(reason: string | undefined, what: string): string {
  ensurePlainText(reason, `${what}的理由`, 'reason');
  const r = (reason ?? '').trim();
  if (!r) throw new LvzError('LVZ_RUN_REASON_REQUIRED', `${what}需要填写理由：请在“理由”一栏写明原因后再提交`, {});
  if (r.length > 2000) throw new LvzError('LVZ_RUN_BAD_REQUEST', '理由不能超过 2000 个字：请精简后再提交', { params: { field: 'reason' } });
  return r;
}

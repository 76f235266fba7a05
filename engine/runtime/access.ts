// access.ts: who may see an instance and who may act on a task. Scope is enforced here, in the
// engine: a unit asking for another unit's task gets LVZ_RUN_NOT_FOUND (existence is not leaked),
// someone who may see the instance but not act gets LVZ_RUN_TASK_NOT_YOURS.

import type { Knex } from 'knex';
import type { CompiledWorkflow } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import { isVisible, type Holder, type InstanceRow, type InstanceScope, type TaskRow } from '../store/process/index.ts';
import type { Actor } from '../model/actor.ts';
import type { RuntimeContext } from './runtime-context.ts';
import { adminReach } from './admin-scope.ts';
import { holderOf, holdersOf } from '../auth/holders.ts';

export { holderOf, holdersOf } from '../auth/holders.ts';

export function holds(task: TaskRow, h: Holder): boolean {
  if (task.assigneeId) return task.assigneeId === h.userId;
  if (!task.role || !h.roles.includes(task.role)) return false;
  return task.orgId === null || task.orgId === h.orgId;
}

/** Roles that may see every instance of a workflow: those holding an unscoped role task in it. */
export function viewerRoles(wf: CompiledWorkflow): Set<string> {
  const roles = new Set<string>(wf.def.viewers);
  for (const s of Object.values(wf.def.states)) {
    for (const g of s.tasks) if (g.role && !g.org) roles.add(g.role);
  }
  return roles;
}

/**
 * What the actor may see: a city admin everything; a district admin their district's instances
 * (admin-scope.ts) besides what anyone sees by role or involvement; others by role or involvement.
 */
export async function scopeFor(rc: RuntimeContext, db: Knex, actor: Actor, holders: Holder[]): Promise<InstanceScope> {
  const reach = await adminReach(db, actor);
  if (reach && !reach.district) return { all: true, workflows: [], holders };
  const workflows = new Set<string>();
  for (const wf of rc.registry.workflows.values()) {
    const roles = viewerRoles(wf);
    if (actor.roles.some((r) => roles.has(r))) workflows.add(wf.def.id);
  }
  return { all: false, workflows: [...workflows], holders, ...(reach?.district && { orgs: reach.district.orgs }) };
}

export async function canSee(rc: RuntimeContext, db: Knex, actor: Actor, holders: Holder[], inst: InstanceRow): Promise<boolean> {
  const scope = await scopeFor(rc, db, actor, holders);
  if (scope.all || scope.workflows.includes(inst.workflowId) || scope.orgs?.includes(inst.initiatorOrg)) return true;
  if (holders.some((h) => h.userId === inst.initiatorId)) return true;
  return isVisible(db, scope, inst.id);
}

/** The id stays in params (and the log), never in the words a user reads: 事项不存在或您无权查看. */
export function notFound(what: '事项' | '待办' | '文件', id: string): LvzError {
  return new LvzError('LVZ_RUN_NOT_FOUND', `${what}不存在或您无权查看：请从待办列表重新进入`, { params: { id } });
}

export interface Acting {
  /** Whose task it is: the actor, or the principal they stand in for. */
  holder: Holder;
  /** Set when acting for someone else (代理). */
  onBehalfOf?: string;
}

/**
 * The holder the actor acts as on this task, or the right error: NOT_FOUND when the actor may not
 * even see the instance, NOT_YOURS when they may see it but the task is someone else's.
 */
export async function actingOn(rc: RuntimeContext, db: Knex, actor: Actor, task: TaskRow, inst: InstanceRow): Promise<Acting> {
  const holders = await holdersOf(db, actor, rc.now());
  const h = holders.find((x) => holds(task, x));
  if (h) return h.userId === actor.userId ? { holder: h } : { holder: h, onBehalfOf: h.userId };
  if (!(await canSee(rc, db, actor, holders, inst))) throw notFound('待办', task.id);
  throw new LvzError('LVZ_RUN_TASK_NOT_YOURS', '这项任务不由您办理：请在待办列表中选择您自己的任务，如需代办请让对方设置代理', { params: { taskId: task.id } });
}

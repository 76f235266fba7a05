// views.ts: what the pages read: inbox lists, the instance list, the instance page and the task
// page, each scoped to what the actor may see (city admin: all; district admin: their district's,
// admin-scope.ts; a workflow's viewer roles: all of it; others: what they started, hold or held, or
// were copied on).

import type { Knex } from 'knex';
import { workingDaysBetween } from '../calendar/index.ts';
import { renderDiagram, diagramSteps } from '../dsl/diagram.ts';
import type { CompiledWorkflow } from '../dsl/types.ts';
import { buildFormModel } from '../forms/model.ts';
import type { FieldAccess } from '../forms/types.ts';
import {
  arrivalsOf, childrenOf, getInstance, getInstances, inboxCounts as countInbox, inboxPage, listEvents, listInstances, tasksOfInstance, updateTask,
  type Holder, type InboxRow, type InstanceRow, type ListedInstance, type TaskRow,
} from '../store/process/index.ts';
import { COUNT_CAP, INBOX_COUNT_CAP, type Actor, type InboxList, type InstanceSummary, type InstanceView, type Page, type TaskSummary } from './types.ts';
import { canSee, holdersOf, holds, notFound, scopeFor, viewerRoles } from './access.ts';
import { formOf, stateOf, workflowOf, type Names, type RuntimeContext } from './runtime-context.ts';
import { accessOf } from './step-input.ts';
import { adminReach, administers } from './admin-scope.ts';
import { groupAnswers } from './group-answers.ts';
import { anonymityOf, hidesActor, historyOf } from './history.ts';
import { isAllMine, withdrawable } from './instance-actions.ts';
import { arrivalOf } from './arrival.ts';
import { groupRuntime, spawnRuntime } from '../constructs/runs.ts';
import type { ProgressQuery } from './view-types.ts';
import type { RoleSet } from '../dsl/roles.ts';

export function holderName(t: TaskRow, names: Names, roles: RoleSet): string {
  if (t.assigneeId) return names.user.get(t.assigneeId) ?? t.assigneeId;
  if (t.orgId) return names.org.get(t.orgId) ?? t.orgId;
  // A task open to everyone with a role (审查交办): the role's zh-CN name, never its id.
  return t.role ? roles.labelOf(t.role) : '';
}

/** Working days to a deadline; into a year the calendar lacks it is an estimate, as the deadline is (provisional). */
export function daysLeft(rc: RuntimeContext, due: string | null): number | undefined {
  return due ? workingDaysBetween(rc.now(), new Date(due), rc.calendar) : undefined;
}

function taskSummary(rc: RuntimeContext, x: InboxRow, names: Names): TaskSummary {
  const t = x.task;
  const wf = rc.registry.workflows.get(`${x.workflowId}@${x.workflowVersion}`);
  const left = daysLeft(rc, t.dueAt);
  const isOverdue = t.overdue || (t.status === 'open' && !!t.dueAt && t.dueAt < rc.now().toISOString());
  return {
    taskId: t.id, instanceId: t.instanceId, workflowTitle: wf?.def.title ?? '', instanceTitle: x.instanceTitle,
    stepTitle: t.title || (wf?.def.states[t.state]?.title ?? t.state),
    // A copy is the reader's own: its 办理人 would be the reader, so it names none.
    holder: t.kind === 'cc' ? '' : holderName(t, names, rc.registry.roles), createdAt: t.createdAt,
    ...(t.dueAt && { dueAt: t.dueAt }), ...(t.dueAt && t.dueProvisional && { provisional: true as const }),
    ...(left !== undefined && { workingDaysLeft: left }), isOverdue, status: t.status,
    ...(t.kind === 'cc' && { isRead: t.readAt !== null }),
    instanceNumber: x.instanceNumber, initiatorName: names.user.get(x.initiatorId) ?? x.initiatorId,
    ...(t.completedAt && { completedAt: t.completedAt }),
    currentStep: wf?.def.states[x.instanceState]?.title ?? x.instanceState, instanceStatus: x.instanceStatus,
    ...(t.returned && { isReturned: true as const }),
  };
}

export function instanceSummary(rc: RuntimeContext, i: ListedInstance, names: Names): InstanceSummary {
  const wf = rc.registry.workflows.get(`${i.workflowId}@${i.workflowVersion}`);
  return {
    instanceId: i.id, workflowId: i.workflowId, workflowTitle: wf?.def.title ?? i.workflowId, title: i.title, state: i.state,
    stateTitle: wf?.def.states[i.state]?.title ?? i.state, status: i.status,
    initiatorName: names.user.get(i.initiatorId) ?? i.initiatorId, createdAt: i.createdAt, updatedAt: i.updatedAt,
    workflowVersion: i.workflowVersion, number: i.number,
  };
}

export async function inbox(rc: RuntimeContext, actor: Actor, list: InboxList, query: { page: number; pageSize: number; q?: string; total?: number }): Promise<Page<TaskSummary>> {
  const page = Math.max(1, Math.floor(query.page || 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize || 20)));
  const holders = await holdersOf(rc.reads, actor, rc.now());
  const names = await rc.names();
  const known = query.q ? undefined : query.total;
  if (list === 'started') {
    const r = await listInstances(query.q ? rc.searches : rc.reads, { all: true, workflows: [], holders }, { page, pageSize, ...(query.q && { q: query.q }), initiatorIds: [actor.userId] }, INBOX_COUNT_CAP, known);
    const items = r.rows.map((i): TaskSummary => {
      const s = instanceSummary(rc, i, names);
      return {
        taskId: '', instanceId: i.id, workflowTitle: s.workflowTitle, instanceTitle: i.title, stepTitle: s.stateTitle, holder: '', createdAt: i.createdAt, isOverdue: false,
        status: i.status === 'active' || i.status === 'draft' ? 'open' : 'done',
        instanceNumber: i.number, initiatorName: s.initiatorName, currentStep: s.stateTitle, instanceStatus: i.status,
      };
    });
    return { items, total: r.total, isCapped: r.total >= INBOX_COUNT_CAP, page, pageSize };
  }
  const r = await inboxPage(query.q ? rc.searches : rc.reads, holders, { list, page, pageSize, ...(query.q && { q: query.q }) }, INBOX_COUNT_CAP, known);
  const items = r.rows.map((x) => taskSummary(rc, x, names));
  await markReturned(rc, actor, r.rows, items, names);
  return { items, total: r.total, isCapped: r.total >= INBOX_COUNT_CAP, page, pageSize };
}

/** 待办 rows made by 退回 carry who sent them back, when and why (the list marks them 退回); one query per page. */
async function markReturned(rc: RuntimeContext, actor: Actor, rows: { task: TaskRow; workflowId: string; workflowVersion: number }[], items: TaskSummary[], names: Names): Promise<void> {
  // Only rows the 退回 column marks (migration 019): a page without one reads nothing more.
  const later = rows.filter((x) => x.task.kind === 'task' && x.task.status === 'open' && x.task.returned);
  if (later.length === 0) return;
  const events = await arrivalsOf(rc.reads, later.map((x) => x.task.instanceId));
  for (const x of later) {
    const wf = rc.registry.workflows.get(`${x.workflowId}@${x.workflowVersion}`);
    const a = wf && arrivalOf(events, x.task, wf, { roles: actor.roles, names });
    const item = items[rows.indexOf(x)];
    if (a && 'returned' in a && item) item.returned = a.returned;
  }
}

/** The four lists' counts for the navigation, each up to INBOX_COUNT_CAP (the cap itself: shown as 99+). */
export async function inboxCounts(rc: RuntimeContext, actor: Actor): Promise<Record<InboxList, number>> {
  const holders = await holdersOf(rc.reads, actor, rc.now());
  return countInbox(rc.reads, holders, actor.userId, INBOX_COUNT_CAP);
}

export async function instances(rc: RuntimeContext, actor: Actor, query: { page: number; pageSize: number; q?: string; workflowId?: string; status?: string; state?: string }): Promise<Page<InstanceSummary>> {
  const page = Math.max(1, Math.floor(query.page || 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize || 20)));
  const holders = await holdersOf(rc.reads, actor, rc.now());
  const r = await listInstances(query.q ? rc.searches : rc.reads, await scopeFor(rc, rc.reads, actor, holders), { ...query, page, pageSize }, COUNT_CAP);
  const names = await rc.names();
  return { items: r.rows.map((i) => instanceSummary(rc, i, names)), total: r.total, isCapped: r.total >= COUNT_CAP, page, pageSize };
}

/**
 * Fields a viewer may read on the instance page: all for the initiator, the admins who administer
 * it (isAdmin) and viewer roles, else those of the steps they worked on.
 */
export function viewerFields(wf: CompiledWorkflow, rc: RuntimeContext, actor: Actor, holders: Holder[], inst: InstanceRow, tasks: TaskRow[], isAdmin: boolean): FieldAccess {
  const form = formOf(rc, wf.def.record);
  const all = new Set(form.def.fields.map((f) => f.name));
  const roles = viewerRoles(wf);
  if (isAdmin || inst.initiatorId === actor.userId || actor.roles.some((r) => roles.has(r))) return { edit: new Set(), read: all };
  const read = new Set<string>();
  for (const t of tasks) {
    if (t.kind === 'cc' || !holders.some((h) => holds(t, h) || t.completedBy === h.userId)) continue;
    const g = wf.def.states[t.state]?.tasks.find((x) => x.id === t.grp);
    if (!g) continue;
    const a = accessOf(form, g);
    for (const f of [...a.read, ...a.edit]) read.add(f);
  }
  return { edit: new Set(), read: read.size > 0 ? read : all };
}

/** A back-to-back step's holder is its actor-to-be: hidden from the roles its history hides the actor from. */
function isHolderHidden(wf: CompiledWorkflow, t: TaskRow, actor: Actor): boolean {
  const g = wf.def.states[t.state]?.tasks.find((x) => x.id === t.grp);
  return !!g && hidesActor(g, actor.roles);
}

async function loadInstance(rc: RuntimeContext, db: Knex, actor: Actor, id: string): Promise<{ inst: InstanceRow; wf: CompiledWorkflow; holders: Holder[] }> {
  const inst = await getInstance(db, id);
  const holders = await holdersOf(db, actor, rc.now());
  if (!inst || !(await canSee(rc, db, actor, holders, inst))) throw notFound('事项', id);
  return { inst, wf: workflowOf(rc, inst.workflowId, inst.workflowVersion), holders };
}

export async function instanceView(rc: RuntimeContext, actor: Actor, id: string, progressQuery?: ProgressQuery): Promise<InstanceView> {
  const { inst, wf, holders } = await loadInstance(rc, rc.reads, actor, id);
  const [tasks, events, names, dir, children] = await Promise.all([
    tasksOfInstance(rc.reads, id), listEvents(rc.reads, id, { withoutAnswers: true }), rc.names(), rc.directory(), childrenOf(rc.reads, id),
  ]);
  // 抄送: opening the instance marks my copies read (not an event: it changes no business state).
  for (const t of tasks) if (t.kind === 'cc' && t.readAt === null && t.assigneeId === actor.userId) await updateTask(rc.db, t.id, { readAt: rc.now().toISOString() });
  const isAdmin = administers(await adminReach(rc.reads, actor), inst);
  const access = viewerFields(wf, rc, actor, holders, inst, tasks, isAdmin);
  const form = formOf(rc, wf.def.record);
  const visited = Object.keys(inst.snapshot.visits ?? {});
  const open = tasks.filter((t) => (t.status === 'open' || t.status === 'waiting') && t.kind !== 'cc');
  // A group step's members are shown by 办理进度 (counts, by unit), not as thousands of rows here.
  const listed = open.filter((t) => !wf.def.states[t.state]?.tasks.find((g) => g.id === t.grp)?.to);
  const progress = await groupRuntime.groupProgress(rc.reads, actor, inst, wf, names, progressQuery);
  const parent = inst.parentId ? (await getInstances(rc.reads, [inst.parentId]))[0] : undefined;
  const isRunning = inst.status === 'active' || inst.status === 'draft';
  const w = isRunning ? await withdrawable(rc, rc.reads, actor, inst, { events, tasks }) : { from: '', problem: 'not_yours' as const };
  return {
    summary: instanceSummary(rc, inst, names),
    version: inst.version,
    form: buildFormModel(form, inst.data, access, [], dir),
    history: historyOf(events, wf, form, { roles: actor.roles, fields: access.read, names: names.user, orgOf: names.userOrg, orgNames: names.org }),
    anonymity: anonymityOf(wf, { roles: actor.roles, fields: access.read }),
    groups: groupAnswers(rc, wf, inst.data, tasks, { names, dir, viewer: { read: access.read, roles: actor.roles } }),
    diagram: { svg: renderDiagram(wf.def, { current: [inst.state], visited, roleLabel: rc.registry.roles.labelOf }), steps: diagramSteps(wf.def, { current: [inst.state], visited }) },
    myTasks: open.filter((t) => t.status === 'open' && holders.some((h) => holds(t, h))).map((t) => ({ taskId: t.id, stepTitle: t.title || stateOf(wf, t.state).title })),
    openTasks: [...(progress && !progress.closedHow ? [{
      stepTitle: progress.stepTitle, holder: `${progress.total.toLocaleString('en-US')} 人（单位）中 ${progress.open.toLocaleString('en-US')} 个未答，见下方办理进度`, isOverdue: false,
    }] : []), ...listed.map((t) => ({
      stepTitle: t.title || stateOf(wf, t.state).title, holder: isHolderHidden(wf, t, actor) ? '匿名' : holderName(t, names, rc.registry.roles),
      ...(t.dueAt && { dueAt: t.dueAt }), ...(t.dueAt && t.dueProvisional && { provisional: true as const }), isOverdue: t.overdue,
    }))],
    can: {
      cancel: isRunning && inst.initiatorId === actor.userId,
      terminate: isRunning && isAdmin,
      move: isRunning && isAdmin,
      remind: isRunning && open.length > 0 && !isAllMine(tasks, holders),
      withdraw: isRunning && !w.problem,
    },
    moveTargets: isRunning && isAdmin
      ? Object.values(wf.def.states).filter((s) => !s.final).map((s) => ({ name: s.name, title: s.title, isCurrent: s.name === inst.state }))
      : [],
    linked: [
      ...(parent ? [{ instanceId: parent.id, title: parent.title, relation: '来源' }] : []),
      ...children.filter((c) => !spawnRuntime.isListed(wf, c)).map((c) => ({ instanceId: c.id, title: c.title, relation: '转为' })),
    ],
    spawned: spawnRuntime.spawnedSteps(inst, wf, children, (c) => rc.registry.workflows.get(`${c.workflowId}@${c.workflowVersion}`)?.def.states[c.state]?.title ?? c.state),
    ...(progress && { progress }),
  };
}

// task-view.ts: the task page: the step's form with its field rights, buttons, actions, opinion,
// saved phrases, return targets and the history, for the holder (or their 代理) only.

import { buildFormModel } from '../forms/model.ts';
import { pickerModel } from '../forms/fields/picker.ts';
import { listPhrases } from '../store/directory.ts';
import { getInstance, getTask, listEvents, tasksBesideGroup, tasksOfInstance, updateTask, type EventRow, type TaskRow } from '../store/process/index.ts';
import type { Actor, HandledFact, HistoryEntry, TaskButton, TaskView } from './types.ts';
import { actingOn, notFound } from './access.ts';
import { groupOf, stateOf, workflowOf, type Names, type RuntimeContext } from './runtime-context.ts';
import { accessOf, isDraftable, stepForm } from './step-input.ts';
import { waitingOf } from './wait-for.ts';
import { groupAnswers, perItemFields } from './group-answers.ts';
import { anonymityOf, historyOf } from './history.ts';
import { isRemovable, returnTargets } from './actions.ts';
import { signerPosition } from './entry-rows.ts';
import { daysLeft } from './views.ts';
import { arrivalOf } from './arrival.ts';
import { handoffTargets } from './handoff.ts';
import type { PickerModel } from '../forms/types.ts';

/** The events that close a task: the step's own outcome, 退回, a 加签 opinion, a 委派 answer. */
const CLOSING = new Set(['task.completed', 'task.returned', 'task.signed', 'task.delegate_answered']);

/** A done task as its history line reads: who, when, the result and the opinion. */
function handledOf(task: TaskRow, events: EventRow[], history: HistoryEntry[], actor: Actor): HandledFact | undefined {
  if (task.status !== 'done' || !task.completedAt) return undefined;
  const closing = [...events].reverse().find((e) => e.taskId === task.id && CLOSING.has(e.type));
  const line = closing && history.find((h) => h.seq === closing.seq);
  return {
    byName: line?.actorName ?? '', isMine: task.completedBy === actor.userId, at: task.completedAt,
    result: line?.summary ?? '', ...(line?.opinion && { opinion: line.opinion }),
  };
}

/** A waiting task's open helpers (委派 or 加签 before it), by name: the page says whom it waits for. */
function waitsForOf(task: TaskRow, tasks: readonly TaskRow[], names: Names): { waitsFor: NonNullable<TaskView['waitsFor']> } | undefined {
  const helpers = tasks.filter((t) => t.ownerTaskId === task.id && t.status === 'open' && (t.kind === 'delegated' || t.kind === 'signer'));
  if (helpers.length === 0) return undefined;
  return { waitsFor: {
    kind: helpers.some((t) => t.kind === 'delegated') ? 'delegated' : 'signer',
    names: helpers.map((t) => names.user.get(t.assigneeId ?? '') ?? t.assigneeId ?? ''),
  } };
}

export async function taskView(rc: RuntimeContext, actor: Actor, taskId: string): Promise<TaskView> {
  const task = await getTask(rc.reads, taskId);
  const inst = task ? await getInstance(rc.reads, task.instanceId) : undefined;
  if (!task || !inst) throw notFound('待办', taskId);
  const acting = await actingOn(rc, rc.reads, actor, task, inst);
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const s = stateOf(wf, task.state);
  const g = groupOf(wf, task.state, task.grp === 'cc' ? (s.tasks[0]?.id ?? 'main') : task.grp);
  const form = stepForm(rc, wf, g);
  const full = accessOf(form, g);
  const isOpen = task.status === 'open' && task.kind !== 'cc';
  // Read-only once it cannot be acted on: what the step edited is shown as it stands, when it holds a value.
  const access = isOpen ? full : { ...full, edit: new Set<string>(), read: new Set([...full.read, ...full.edit]) };
  if (task.kind === 'cc' && task.readAt === null) await updateTask(rc.db, task.id, { readAt: rc.now().toISOString() });
  const [dir, names, phrases, events, tasks] = await Promise.all([
    rc.directory(), rc.names(), listPhrases(rc.reads, actor.userId), listEvents(rc.reads, inst.id, { withoutAnswers: true }),
    g.to ? tasksBesideGroup(rc.reads, inst.id, task) : tasksOfInstance(rc.reads, inst.id),
  ]);
  const readable = new Set([...full.read, ...full.edit]);
  const waiting = isOpen && task.kind === 'task' ? waitingOf(s, g, tasks.filter((t) => t.state === task.state && t.visit === task.visit), rc.now()) : undefined;
  // While the step waits for another group (wait_for:) its buttons are not offered; the engine refuses them too.
  const buttons: TaskButton[] = !isOpen || waiting ? []
    : task.kind === 'delegated' ? [{ event: 'answer', label: '答复委派', reason: 'none' }]
    : task.kind === 'signer' ? [{ event: 'sign', label: '提交加签意见', reason: 'none' }]
    : g.outcomes.map((o) => ({
      event: o.id, label: o.label,
      reason: (s.on[o.id] ?? []).some((t) => t.reason === 'required') ? 'required' : (s.on[o.id] ?? []).some((t) => t.reason === 'optional') ? 'optional' : 'none',
    }));
  const targets = isOpen && task.kind === 'task' && g.actions.includes('return') ? await returnTargets(rc.reads, { inst, wf }, g, task.state) : [];
  const left = daysLeft(rc, task.dueAt);
  const mayRemove = task.kind === 'task' && (task.status === 'open' || task.status === 'waiting') && g.actions.includes('add_signer')
    && (inst.status === 'active' || inst.status === 'draft');
  const actions = isOpen && task.kind === 'task' ? g.actions.filter((a) => a !== 'withdraw' && a !== 'remind') : [];
  const handsOff = actions.some((a) => a === 'reassign' || a === 'delegate' || a === 'add_signer');
  const handoff = handsOff ? await handoffTargets(rc, rc.reads, { task, inst, g }, acting.holder.userId, actor.userId, { tasks, events }) : undefined;
  const people = dir.people.filter((c) => handoff?.people.has(c.value));
  const orgs = dir.orgs.filter((c) => handoff?.orgs.has(c.value));
  // The pickers of 转办/委派/加签 search this task's handoff set, nothing wider (picker-search.ts).
  const scoped = (m: PickerModel, type: 'person' | 'org'): PickerModel => ({ ...m, searchUrl: `/pickers/${type}?task=${encodeURIComponent(task.id)}` });
  const model = buildFormModel(form, { ...inst.data, ...(task.draft ?? {}) }, access, [], dir);
  const perItem = perItemFields(wf);
  const history = historyOf(events, wf, form, { roles: actor.roles, fields: readable, names: names.user, orgOf: names.userOrg, orgNames: names.org });
  const handled = handledOf(task, events, history, actor);
  return {
    taskId: task.id, instanceId: inst.id, instanceTitle: inst.title, workflowTitle: wf.def.title, stepTitle: task.title || s.title,
    version: inst.version,
    form: { ...model, fields: model.fields.filter((f) => !(f.readonly && perItem.has(f.name))) },
    buttons,
    // 撤回 is on the instance page; 催办 never here: this page is the holder's, and one reminds others.
    actions,
    opinion: !isOpen ? 'none' : task.kind === 'task' ? g.opinion : 'optional',
    ...(g.opinion_label && { opinionLabel: g.opinion_label }),
    ...(waiting && { waiting }),
    isDraftable: isOpen && isDraftable(g, task.kind),
    phrases: phrases.map((p) => p.text),
    ...(isOpen && typeof task.draft?._opinion === 'string' && { draftOpinion: task.draft._opinion }),
    returnTargets: targets.map((t) => ({ state: t, title: wf.def.states[t]?.title ?? t })),
    ...(task.dueAt && { dueAt: task.dueAt }), ...(task.dueAt && task.dueProvisional && { provisional: true as const }),
    ...(left !== undefined && { workingDaysLeft: left }),
    isOverdue: task.overdue || (!!task.dueAt && task.dueAt < rc.now().toISOString() && task.status === 'open'),
    isDelegated: task.kind === 'delegated',
    ...(task.status === 'waiting' && waitsForOf(task, tasks, names)),
    ...arrivalOf(events, task, wf, { roles: actor.roles, names }),
    isOpen,
    ...(handled && { handled }),
    history,
    anonymity: anonymityOf(wf, { roles: actor.roles, fields: readable }),
    groups: groupAnswers(rc, wf, inst.data, tasks, { names, dir, viewer: { read: readable, roles: actor.roles } }),
    signers: mayRemove
      ? tasks.filter((t) => isRemovable(t, task)).map((t) => ({
        taskId: t.id, name: names.user.get(t.assigneeId ?? '') ?? t.assigneeId ?? '',
        position: signerPosition(t),
      }))
      : [],
    people,
    orgs,
    reassignTo: handoff?.reassignTo ?? 'person',
    actionPickers: {
      user: scoped(pickerModel({ type: 'person' }, people, [], 'a-user'), 'person'),
      users: pickerModel({ type: 'person', multiple: true }, dir.people, [], 'a-copy-users'),
      org: scoped(pickerModel({ type: 'org' }, orgs, [], 'a-reassign-org'), 'org'),
    },
  };
}

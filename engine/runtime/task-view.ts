// task-view.ts: the task page: the step's form with its field rights, buttons, actions, opinion,
// saved phrases, return targets and the history, for the holder (or their 代理) only.

import { buildFormModel } from '../forms/model.ts';
import { pickerModel } from '../forms/fields/picker.ts';
import { listPhrases } from '../store/directory.ts';
import { getInstance, getTask, listEvents, tasksOfInstance, updateTask, type EventRow } from '../store/process/index.ts';
import type { Actor, TaskButton, TaskView } from './types.ts';
import { actingOn, notFound } from './access.ts';
import { groupOf, stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { accessOf, stepForm } from './step-input.ts';
import { groupAnswers, perItemFields } from './group-answers.ts';
import { anonymityOf, historyOf } from './history.ts';
import { isRemovable, returnTargets } from './actions.ts';
import { signerPosition } from './entry-rows.ts';
import { daysLeft } from './views.ts';

/** The note of the move that brought the instance back into `state` (the latest arrival), if it had one. */
function cameBackOf(events: EventRow[], state: string): { cameBack: { note: string; at: string } } | undefined {
  const arrival = [...events].reverse().find((e) => e.toState === state && e.fromState !== state);
  const note = arrival?.payload.note;
  return arrival && typeof note === 'string' && note ? { cameBack: { note, at: arrival.at } } : undefined;
}

export async function taskView(rc: RuntimeContext, actor: Actor, taskId: string): Promise<TaskView> {
  const task = await getTask(rc.reads, taskId);
  const inst = task ? await getInstance(rc.reads, task.instanceId) : undefined;
  if (!task || !inst) throw notFound('待办', taskId);
  await actingOn(rc, rc.reads, actor, task, inst);
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const s = stateOf(wf, task.state);
  const g = groupOf(wf, task.state, task.grp === 'cc' ? (s.tasks[0]?.id ?? 'main') : task.grp);
  const form = stepForm(rc, wf, g);
  const full = accessOf(form, g);
  const isOpen = task.status === 'open' && task.kind !== 'cc';
  const access = isOpen ? full : { edit: new Set<string>(), read: new Set([...full.read, ...full.edit]) };
  if (task.kind === 'cc' && task.readAt === null) await updateTask(rc.db, task.id, { readAt: rc.now().toISOString() });
  const [dir, names, phrases, events, tasks] = await Promise.all([
    rc.directory(), rc.names(), listPhrases(rc.reads, actor.userId), listEvents(rc.reads, inst.id), tasksOfInstance(rc.reads, inst.id),
  ]);
  const readable = new Set([...full.read, ...full.edit]);
  const buttons: TaskButton[] = !isOpen ? []
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
  const model = buildFormModel(form, { ...inst.data, ...(task.draft ?? {}) }, access, [], dir);
  const perItem = perItemFields(wf);
  return {
    taskId: task.id, instanceId: inst.id, instanceTitle: inst.title, workflowTitle: wf.def.title, stepTitle: task.title || s.title,
    version: inst.version,
    form: { ...model, fields: model.fields.filter((f) => !(f.readonly && perItem.has(f.name))) },
    buttons,
    actions: isOpen && task.kind === 'task' ? g.actions.filter((a) => a !== 'withdraw') : [],
    opinion: task.kind === 'task' ? g.opinion : 'optional',
    phrases: phrases.map((p) => p.text),
    ...(isOpen && typeof task.draft?._opinion === 'string' && { draftOpinion: task.draft._opinion }),
    returnTargets: targets.map((t) => ({ state: t, title: wf.def.states[t]?.title ?? t })),
    ...(task.dueAt && { dueAt: task.dueAt }), ...(task.dueAt && task.dueProvisional && { provisional: true as const }),
    ...(left !== undefined && { workingDaysLeft: left }),
    isOverdue: task.overdue || (!!task.dueAt && task.dueAt < rc.now().toISOString() && task.status === 'open'),
    isDelegated: task.kind === 'delegated',
    ...(isOpen && task.visit > 1 && cameBackOf(events, task.state)),
    history: historyOf(events, wf, form, { roles: actor.roles, fields: readable, names: names.user, orgOf: names.userOrg, orgNames: names.org }),
    anonymity: anonymityOf(wf, { roles: actor.roles, fields: readable }),
    groups: groupAnswers(rc, wf, inst.data, tasks, { names, dir, viewer: { read: readable, roles: actor.roles } }),
    signers: mayRemove
      ? tasks.filter((t) => isRemovable(t, task)).map((t) => ({
        taskId: t.id, name: names.user.get(t.assigneeId ?? '') ?? t.assigneeId ?? '',
        position: signerPosition(t),
      }))
      : [],
    people: dir.people,
    orgs: dir.orgs,
    actionPickers: {
      user: pickerModel({ type: 'person' }, dir.people, [], 'a-user'),
      users: pickerModel({ type: 'person', multiple: true }, dir.people, [], 'a-copy-users'),
      org: pickerModel({ type: 'org' }, dir.orgs, [], 'a-reassign-org'),
    },
  };
}

// tasks.ts: the task page, its submit (PRG on success, 422 re-render on bad input, 409 re-render
// keeping what was typed when someone acted first), the htmx inline field check, and the office
// actions (退回/转办/委派/加签/催办/抄送; a refused reason re-renders the page with the error summary).
// Forms carry a one-time submission key (`_once`).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LvzError, isLvzError } from '../../engine/errors.ts';
import type { FieldError, FormModel } from '../../engine/forms/types.ts';
import type { Actor, Engine, TaskActionInput, TaskView } from '../../engine/runtime/types.ts';
import { DRAFT_EVENT, addRowOf, attachUploads, newSubmissionKey, onceOf, readFormPost, type FormPost } from '../form-post.ts';
import { statusOf } from '../error-status.ts';
import { isHtmx } from '../page.ts';
import { recordFormModel, submitFailure } from '../record-form.ts';
import { requireActor } from '../session.ts';
import { deadlineView } from '../view-models.ts';
import { PICKER_ASSETS, hasPicker } from './pickers.ts';

type IdParams = { Params: { id: string } };

const ACTION_PANELS = ['return', 'reassign', 'delegate', 'add_signer', 'remind', 'copy'] as const;
/** Actions a task page posts: the step's panels, and 减签 (offered with 加签, while signers are left to take back). */
const ACTIONS = [...ACTION_PANELS, 'remove_signer'] as const;
type PanelAction = (typeof ACTIONS)[number];

/** After PRG: a plain browser gets 303; htmx gets HX-Redirect so the whole page navigates. */
export function seeOther(request: FastifyRequest, reply: FastifyReply, url: string): FastifyReply {
  if (isHtmx(request)) return reply.code(200).header('HX-Redirect', url).send('');
  return reply.redirect(url, 303);
}

function taskUrl(id: string): string {
  return `/tasks/${encodeURIComponent(id)}`;
}

/** A picker that comes back after a refused post: the message on it, what was chosen or typed kept. */
function typedPicker(picker: TaskView['actionPickers']['user'], typed: string): TaskView['actionPickers']['user'] {
  if (!typed) return picker;
  if (picker.isSearch) return { ...picker, text: typed };
  return { ...picker, groups: picker.groups?.map((g) => ({ ...g, items: g.items.map((i) => ({ ...i, checked: i.value === typed })) })) };
}

/** The panel's picker fields, shaped as a field's model so form/picker.hbs places them (inline or searched). */
function actionPickers(action: PanelAction, view: TaskView, t: (key: string) => string, failed?: PanelError) {
  const p = view.actionPickers;
  const field = (id: string, name: string, label: string, picker: typeof p.user) => {
    const error = failed?.action === action && failed.field === name ? failed.message : undefined;
    const typed = failed?.action === action && typeof failed.body[name] === 'string' ? (failed.body[name] as string) : '';
    return {
      id, name, label, required: false, picker: typedPicker(picker, typed),
      ...(error && { error, errorId: `${id}-error`, describedBy: `${id}-error` }),
    };
  };
  if (action === 'copy') return { usersField: field('a-copy-users', 'toUsers', t('task.actions.copyTo'), p.users) };
  // 转办 has one picker: a unit for a unit's task, a person for any other (handoff.ts).
  if (action === 'reassign') {
    return view.reassignTo === 'org'
      ? { orgField: field('a-reassign-org', 'toOrg', t('task.actions.reassignToOrg'), p.org), hint: t('task.actions.reassignHintOrg') }
      : { userField: field('a-reassign-user', 'toUser', t('task.actions.reassignToUser'), p.user) };
  }
  if (action === 'delegate') return { userField: field('a-delegate-user', 'toUser', t('task.actions.delegateTo'), p.user) };
  if (action === 'add_signer') return { userField: field('a-add_signer-user', 'toUser', t('task.actions.addSignerTo'), p.user) };
  return {};
}

/** Whether a panel has anyone to hand the task to: one that has not is not offered. */
function hasTargets(action: PanelAction, view: TaskView): boolean {
  if (action === 'reassign') return (view.reassignTo === 'org' ? view.orgs : view.people).length > 0;
  if (action === 'delegate' || action === 'add_signer') return view.people.length > 0;
  return true;
}

/** A refused action post (an empty reason): which panel, its message, and what was typed. */
interface PanelError {
  action: PanelAction;
  message: string;
  body: Record<string, unknown>;
  /** The panel's field the message is on: its reason box, or the picker of whom it goes to. */
  field: 'reason' | TargetField;
}

/** The pickers of a panel that name whom it goes to. */
const TARGET_FIELDS = ['toUser', 'toOrg', 'toUsers'] as const;
type TargetField = (typeof TARGET_FIELDS)[number];

/** The id of the field a refused panel's message links to from the error summary. */
function panelFieldId(failed: PanelError): string {
  if (failed.field === 'reason') return `a-${failed.action}-reason`;
  if (failed.field === 'toUsers') return 'a-copy-users';
  return failed.field === 'toOrg' ? 'a-reassign-org' : `a-${failed.action}-user`;
}

function actionPanels(request: FastifyRequest, view: TaskView, failed?: PanelError) {
  const t = request.server.renderer.t;
  const panels: PanelAction[] = view.actions
    .filter((a): a is (typeof ACTION_PANELS)[number] => (ACTION_PANELS as readonly string[]).includes(a))
    .filter((a) => a !== 'return' || view.returnTargets.length > 0)
    .filter((a) => hasTargets(a, view));
  if (view.signers.length > 0) panels.push('remove_signer');
  return panels
    .map((action) => ({
      ...(failed?.action === action && panelTyped(failed)),
      partial: `page/actions/${action}`,
      action,
      title: t(`task.actions.${action}`),
      hint: t(`task.actions.${action === 'add_signer' ? 'addSigner' : action === 'remove_signer' ? 'removeSigner' : action}Hint`),
      taskId: view.taskId,
      version: view.version,
      onceKey: newSubmissionKey(),
      csrfToken: request.csrfToken,
      targets: view.returnTargets,
      ...actionPickers(action, view, t, failed),
      signers: view.signers.map((x) => ({ ...x, positionLabel: t(`task.actions.${x.position}`) })),
    }));
}

/** The failed panel comes back open, its reason box marked and everything typed in it kept. */
function panelTyped(failed: PanelError) {
  const s = (k: string) => (typeof failed.body[k] === 'string' ? (failed.body[k] as string) : '');
  return { open: true, reasonValue: s('reason'), ...(failed.field === 'reason' && { reasonError: failed.message }), selectedTo: s('to') };
}

function taskFormModel(request: FastifyRequest, view: TaskView, form: FormModel, post?: FormPost, extra?: FieldError[], notice?: string) {
  // After a conflict the page shows the current version: the next submit is made on what is there now.
  const stale = notice !== undefined;
  return recordFormModel(request.server.renderer.t, {
    action: taskUrl(view.taskId),
    checkUrl: `${taskUrl(view.taskId)}/check`,
    form,
    buttons: view.buttons,
    version: post && post.version >= 0 && !stale ? post.version : view.version,
    allowDraft: view.isDraftable,
    opinion: view.opinion,
    ...(view.opinionLabel && { opinionLabel: view.opinionLabel }),
    phrases: view.phrases,
    post,
    opinionValue: view.draftOpinion,
    extraErrors: extra,
    // A 422 keeps the page's key (the failed post stored nothing under it); after a conflict the
    // key may already answer for an earlier post of this page, so the form gets a fresh one.
    onceKey: (!stale && post?.once) || newSubmissionKey(),
    notice,
  });
}

async function sendTaskPage(request: FastifyRequest, reply: FastifyReply, view: TaskView, formModel: Record<string, unknown>, status = 200, failed?: PanelError) {
  if (status !== 200 && !failed && isHtmx(request)) return reply.fragment('fragments/record-form', formModel, status);
  const t = request.server.renderer.t;
  const panels = actionPanels(request, view, failed);
  const form = formModel.form as FormModel | undefined;
  return reply.page('task', {
    title: `${view.stepTitle} - ${view.instanceTitle}`,
    task: view,
    // Done (已办, or the back button after submitting), waiting or a copy: the record read-only. A
    // submit that lost its race keeps the form, so what was typed can still be copied.
    readOnly: !view.isOpen && formModel.notice === undefined,
    deadline: deadlineView(t, view),
    actionPanels: panels,
    // A refused action: the page's error summary, its link moving focus to the panel's reason box.
    ...(failed && { panelErrors: [{ id: panelFieldId(failed), message: failed.message }] }),
    ...formModel,
    ...(hasPicker(form ?? view.form, panels) && PICKER_ASSETS),
  }, status);
}

/**
 * The engine stops at a missing opinion or reason before it looks at the fields, and hands back no
 * form. Each editable field is rebuilt from what was typed through the inline check (which also
 * gives its message), so the re-render keeps every value and lists every problem at once.
 */
async function typedForm(engine: Engine, actor: Actor, id: string, stored: FormModel, post: FormPost): Promise<FormModel> {
  const fields = await Promise.all(stored.fields.map(async (f) => {
    if (f.readonly) return f;
    const checked = await engine.checkField(actor, id, f.name, post.input);
    return checked.fields.find((c) => c.name === f.name) ?? f;
  }));
  const errors = fields.filter((f) => f.error).map((f) => ({ id: f.id, name: f.name, message: f.error! }));
  return { ...stored, fields, errors };
}

/**
 * 添加一项 without JavaScript: the same page with what was typed (files chosen so far stored and shown
 * kept) and one more row of the group; nothing is saved. The group's own message waits for a submit.
 */
async function addRow(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, post: FormPost, group: string) {
  const engine = request.server.engine;
  await attachUploads(engine, actor, request, { taskId: id }, post.input);
  const view = await engine.task(actor, id);
  const typed = await engine.checkField(actor, id, group, post.input);
  const fields = typed.fields.map((f) => (f.name === group ? { ...f, error: undefined } : f));
  return sendTaskPage(request, reply, view, taskFormModel(request, view, { ...typed, fields, errors: [] }, post, []), 200);
}

/** A rejected submit: the same page with the error summary first and every typed value kept. */
async function rerender(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, post: FormPost, error: unknown) {
  if (isLvzError(error) && LOST_RACE.has(error.code)) return conflictPage(request, reply, actor, id, post, error);
  const failure = submitFailure(error);
  if (!failure) throw error;
  const engine = request.server.engine;
  const view = await engine.task(actor, id);
  const form = failure.kind === 'form' ? failure.form : await typedForm(engine, actor, id, view.form, post);
  const extra = failure.kind === 'extra' ? [failure.error] : [];
  const status = isLvzError(error) && error.code === 'LVZ_RUN_WAITING' ? statusOf(error.code) : 422;
  return sendTaskPage(request, reply, view, taskFormModel(request, view, form, post, extra), status);
}

/**
 * The 409s of a submit: a stale page, a lost race, a task done by someone else or moved away
 * (调整办理步骤); and a page posted again with other content after its first post went through.
 */
const LOST_RACE = new Set(['LVZ_RUN_CONFLICT', 'LVZ_RUN_TASK_CLOSED', 'LVZ_RUN_INSTANCE_CLOSED', 'LVZ_RUN_IDEMPOTENCY_MISMATCH']);

/** What changed, in a line: the newest entry of the history the user may see. */
function lastChange(view: TaskView, t: (k: string) => string): string {
  const e = view.history[view.history.length - 1];
  if (!e) return t('task.conflictUnknownChange');
  // 陈静（市教育局）已在“承办答复”环节提交: who, from where, at which step, what they did, as a sentence.
  return `${e.actorName}${e.actorOrg ? `（${e.actorOrg}）` : ''}已${e.stepTitle ? `在“${e.stepTitle}”环节` : ''}${e.summary}`;
}

/**
 * A submit that lost a race never loses what was typed: while the task is still open it is kept as
 * the task's draft, and the form comes back (409) with the typed values, the current version and
 * a notice of what changed. A task that can no longer be submitted shows the values to copy.
 */
async function conflictPage(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, post: FormPost, error: LvzError) {
  const { engine, renderer: { t } } = request.server;
  const isOpen = await engine.saveDraft(actor, id, post.input, post.opinion).then(() => true, (e: unknown) => {
    if (isLvzError(e)) return false;
    throw e;
  });
  let view: TaskView;
  let typed: FormModel;
  try {
    view = await engine.task(actor, id);
    // Every field from what was typed (checking no field, so no messages): a value a draft could not keep is shown too.
    typed = await engine.checkField(actor, id, '', post.input);
  } catch (e) {
    // No longer this user's to see (转办 to another unit, say): the error page shows the typed text (error-handler.ts).
    if (isLvzError(e)) throw error;
    throw e;
  }
  const notice = t(isOpen ? 'task.conflictSaved' : 'task.conflictClosed', { change: lastChange(view, t) });
  // The task is closed: no buttons, and the opinion box only to give back what was typed.
  const shown: TaskView = isOpen ? view : { ...view, buttons: [], opinion: post.opinion ? 'optional' : 'none' };
  return sendTaskPage(request, reply, shown, taskFormModel(request, shown, typed, post, [], notice), 409);
}

function actionInput(action: PanelAction, body: Record<string, unknown>, version: number): TaskActionInput {
  const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const list = (k: string) => (Array.isArray(body[k]) ? (body[k] as unknown[]) : body[k] ? [body[k]] : []).map(String).filter(Boolean);
  // A picker posted twice (a forged form, two boxes) stays two names: the engine refuses it as ambiguous, it never picks one.
  const one = (k: string) => list(k).map((v) => v.trim()).filter(Boolean).join('、');
  switch (action) {
    case 'return': return { action, to: s('to'), reason: s('reason'), version };
    case 'reassign': return { action, toOrg: one('toOrg') || undefined, toUser: one('toUser') || undefined, reason: s('reason'), version };
    case 'delegate': return { action, toUser: one('toUser'), reason: s('reason') || undefined, version };
    case 'add_signer': return { action, toUser: one('toUser'), position: s('position') === 'after' ? 'after' : 'before', reason: s('reason') || undefined, version };
    case 'remove_signer': return { action, signerTaskId: s('signerTaskId'), reason: s('reason') || undefined, version };
    case 'remind': return { action, message: s('message') || undefined };
    case 'copy': return { action, toUsers: list('toUsers') };
  }
}

/** The field of a panel the engine's refusal is about: the reason (missing, too long) or whom it goes to (not allowed, two targets). */
function panelFieldOf(e: unknown): PanelError['field'] | undefined {
  if (!isLvzError(e)) return undefined;
  if (e.code === 'LVZ_RUN_REASON_REQUIRED' || e.params.field === 'reason') return 'reason';
  const field = e.params.field;
  return (TARGET_FIELDS as readonly unknown[]).includes(field) ? field as TargetField : undefined;
}

export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<IdParams>('/tasks/:id', async (request, reply) => {
    const actor = requireActor(request);
    const view = await app.engine.task(actor, request.params.id);
    return sendTaskPage(request, reply, view, taskFormModel(request, view, view.form));
  });

  app.post<IdParams>('/tasks/:id', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const post = readFormPost(request.body);
    const once = onceOf(request, post);
    const adding = addRowOf(post.input);
    if (adding) return addRow(request, reply, actor, id, post, adding);
    try {
      await attachUploads(app.engine, actor, request, { taskId: id }, post.input);
      if (post.event === DRAFT_EVENT) {
        await app.engine.saveDraft(actor, id, post.input, post.opinion);
        reply.flash(t('task.draftSaved'));
        return seeOther(request, reply, taskUrl(id));
      }
      const done = await app.engine.complete(actor, id, {
        event: post.event, input: post.input, opinion: post.opinion, reason: post.reason, version: post.version, once,
      });
      if (done.replayed) {
        reply.flash(t('task.replayed'));
        return seeOther(request, reply, `/instances/${encodeURIComponent(done.instanceId)}`);
      }
      if (post.savePhrase && post.opinion) await app.engine.savePhrase(actor, post.opinion);
      reply.flash(t('task.submitted', { step: done.stateTitle }));
      return seeOther(request, reply, `/instances/${encodeURIComponent(done.instanceId)}`);
    } catch (e) {
      return rerender(request, reply, actor, id, post, e);
    }
  });

  app.post<IdParams & { Querystring: { field?: string } }>('/tasks/:id/check', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const name = String(request.query.field ?? '');
    const form = await app.engine.checkField(actor, id, name, readFormPost(request.body).input);
    const field = form.fields.find((f) => f.name === name);
    if (!field) throw new LvzError('LVZ_RUN_NOT_FOUND', `表单中没有“${name}”这一项，请刷新页面后重试。`);
    const checkUrl = `${taskUrl(id)}/check`;
    // Fields shown only under a condition follow the answer: sent along as out-of-band swaps.
    const others = form.fields.filter((f) => f.visibleWhen && f.name !== name);
    const html = [field, ...others]
      .map((f, i) => app.renderer.fragment('fragments/field', { field: f, checkUrl, oob: i > 0 }))
      .join('\n');
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post<IdParams & { Params: { action: string } }>('/tasks/:id/actions/:action', async (request, reply) => {
    const actor = requireActor(request);
    const action = request.params.action as PanelAction;
    if (!(ACTIONS as readonly string[]).includes(action)) throw new LvzError('LVZ_RUN_NOT_FOUND', '没有这种操作，请从事项页面重新选择。');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const post = readFormPost(body);
    const input = actionInput(action, body, post.version);
    let done;
    try {
      done = await app.engine.taskAction(actor, request.params.id, input, post.once ? { key: post.once, request: input } : undefined);
    } catch (e) {
      const field = panelFieldOf(e);
      if (!field || !isLvzError(e)) throw e;
      // No browser bubble (the box has no `required`): the task page again (422, or 400 for a bad text), with
      // the error summary first and the panel open, its field marked, what was typed kept.
      const view = await app.engine.task(actor, request.params.id);
      return sendTaskPage(request, reply, view, taskFormModel(request, view, view.form), statusOf(e.code), { action, message: e.message, body, field });
    }
    reply.flash(done.replayed ? t('task.replayed') : t(`task.actions.done.${action}`));
    // 催办, 抄送 and 减签 leave the task where it was: its holder carries on.
    const stays = action === 'remind' || action === 'copy' || action === 'remove_signer';
    return seeOther(request, reply, stays ? taskUrl(request.params.id) : '/inbox');
  });
}

// start.ts: the list of workflows a user may start, the start form and starting (or saving a draft), once per submission key.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, TaskButton } from '../../engine/runtime/types.ts';
import type { FormModel } from '../../engine/forms/types.ts';
import { DRAFT_EVENT, addRowOf, attachUploads, newSubmissionKey, onceOf, readFormPost, type FormPost } from '../form-post.ts';
import { isLvzError } from '../../engine/errors.ts';
import { recordFormModel, submitFailure } from '../record-form.ts';
import { isHtmx } from '../page.ts';
import { requireActor } from '../session.ts';
import { seeOther } from './tasks.ts';
import { PICKER_ASSETS, hasPicker } from './pickers.ts';

type WfParams = { Params: { workflowId: string } };

function startUrl(workflowId: string): string {
  return `/start/${encodeURIComponent(workflowId)}`;
}

async function sendStartForm(
  request: FastifyRequest, reply: FastifyReply, workflowId: string,
  start: { title: string; form: FormModel; buttons: TaskButton[] }, post?: FormPost, status = 200, notice?: string,
) {
  // A re-render keeps the key of the page it came from (a failed post stored nothing under it),
  // unless the key already answers for an earlier post of this page (the notice says so).
  const model = recordFormModel(request.server.renderer.t, {
    action: startUrl(workflowId), form: start.form, buttons: start.buttons, allowDraft: true, post,
    onceKey: (!notice && post?.once) || newSubmissionKey(), notice,
  });
  if (status !== 200 && isHtmx(request)) return reply.fragment('fragments/record-form', model, status);
  return reply.page('start-form', { title: start.title, ...model, ...(hasPicker(start.form) && PICKER_ASSETS) }, status);
}

async function startOrRerender(request: FastifyRequest, reply: FastifyReply, actor: Actor, workflowId: string) {
  const app = request.server;
  const t = app.renderer.t;
  const post = readFormPost(request.body);
  const draft = post.event === DRAFT_EVENT;
  const once = onceOf(request, post, { draft });
  if (addRowOf(post.input)) {
    // 添加一项 without JavaScript: files chosen so far are stored (unattached until a submit) and shown kept.
    await attachUploads(app.engine, actor, request, { workflowId }, post.input);
    return sendStartForm(request, reply, workflowId, await app.engine.startForm(actor, workflowId, post.input), post);
  }
  try {
    await attachUploads(app.engine, actor, request, { workflowId }, post.input);
    const started = await app.engine.start(actor, workflowId, {
      event: draft ? '' : post.event, input: post.input, opinion: post.opinion, reason: post.reason, version: 0, draft, once,
    });
    // The same page posted twice (a double click, a resubmit after a lost answer): where the first went.
    if (started.replayed) reply.flash(t('start.replayed'));
    if (draft) {
      if (!started.replayed) reply.flash(t('start.draftSaved'));
      return seeOther(request, reply, started.taskId ? `/tasks/${encodeURIComponent(started.taskId)}` : `/instances/${encodeURIComponent(started.instanceId)}`);
    }
    const view = await app.engine.instance(actor, started.instanceId);
    if (!started.replayed) reply.flash(t('start.started', { step: view.summary.stateTitle }));
    return seeOther(request, reply, `/instances/${encodeURIComponent(started.instanceId)}`);
  } catch (e) {
    if (isLvzError(e) && e.code === 'LVZ_RUN_IDEMPOTENCY_MISMATCH') {
      // The page was posted before and now comes back changed (the back button, then edits): a
      // second case may be meant, so the typed form returns with a fresh key to confirm it.
      const start = await app.engine.startForm(actor, workflowId, post.input);
      return sendStartForm(request, reply, workflowId, start, post, 422, t('start.resubmitted'));
    }
    const failure = submitFailure(e);
    if (!failure || failure.kind !== 'form') throw e;
    const start = await app.engine.startForm(actor, workflowId);
    return sendStartForm(request, reply, workflowId, { ...start, form: failure.form }, post, 422);
  }
}

export async function startRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/start', async (request, reply) => {
    const actor = requireActor(request);
    const workflows = await app.engine.startable(actor);
    return reply.page('start', { title: t('start.title'), workflows });
  });

  app.get<WfParams>('/start/:workflowId', async (request, reply) => {
    const actor = requireActor(request);
    const start = await app.engine.startForm(actor, request.params.workflowId);
    return sendStartForm(request, reply, request.params.workflowId, start);
  });

  app.post<WfParams>('/start/:workflowId', async (request, reply) => {
    const actor = requireActor(request);
    return startOrRerender(request, reply, actor, request.params.workflowId);
  });
}

// instances.ts: the searchable list of instances, one instance's page, and 撤回/撤销/终止/催办.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LvzError, isLvzError } from '../../engine/errors.ts';
import type { Actor, GroupProgress, SpawnedStep } from '../../engine/runtime/types.ts';
import { ballotLinks } from '../ballot-view.ts';
import { statusOf } from '../error-status.ts';
import { pageNumber, readFormPost, textOf } from '../form-post.ts';
import { formatDateTime } from '../render.ts';
import { cspAllowingStylesOf } from '../security.ts';
import { requireActor } from '../session.ts';
import { deadlineView, pager } from '../view-models.ts';
import { PAGE_SIZE } from './inbox.ts';
import { seeOther } from './tasks.ts';

type IdParams = { Params: { id: string } };
/** The actions whose panel has a 理由 box (templates/partials/page/instance-reason.hbs). */
const REASON_ACTIONS = ['cancel', 'terminate', 'move', 'close'] as const;
interface InstanceFailure { action: string; message: string; reason: string; to: string }
interface ListQuery { q?: string; workflow?: string; status?: string; page?: string }
/** 办理进度: the unit whose members are listed, and their page. */
interface ProgressParams { unit?: string; page?: string }

export const INSTANCE_STATUSES = ['draft', 'active', 'completed', 'cancelled', 'terminated'] as const;
const INSTANCE_ACTIONS = ['withdraw', 'cancel', 'terminate', 'move', 'remind', 'close'] as const;
type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

const clean = (v: unknown, max = 100): string => textOf(v, max);

/** 办理进度 as the partial places it: numbers with separators, words from the label set, each unit's link. */
function progressView(t: (key: string) => string, id: string, p: GroupProgress) {
  const base = `/instances/${encodeURIComponent(id)}`;
  const n = (x: number): string => x.toLocaleString('en-US');
  const members = p.members && {
    ...p.members,
    rows: p.members.rows.map((r) => ({ ...r, statusText: r.outcome ?? t(`group.memberStatus.${r.status}`) })),
    pager: pager(base, { unit: p.members.unit }, { page: p.members.page, pageSize: 50, total: p.members.total }),
  };
  return {
    ...p, ...(members && { members }),
    totalText: n(p.total), doneText: n(p.done), openText: n(p.open),
    ...(p.closedHow && { closedText: t(`group.closed.${p.closedHow}`) }),
    outcomes: p.outcomes.map((o) => ({ ...o, countText: n(o.count) })),
    units: p.units.map((u) => ({ ...u, totalText: n(u.total), doneText: n(u.done), openText: n(u.open), href: `${base}?unit=${encodeURIComponent(u.unit)}#progress-members` })),
  };
}

export async function instanceRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<{ Querystring: ListQuery }>('/instances', async (request, reply) => {
    const actor = requireActor(request);
    const q = clean(request.query.q);
    const workflow = clean(request.query.workflow, 64);
    const status = (INSTANCE_STATUSES as readonly string[]).includes(clean(request.query.status)) ? clean(request.query.status) : '';
    const page = pageNumber(request.query.page);
    const [result, startable] = await Promise.all([
      app.engine.instances(actor, { page, pageSize: PAGE_SIZE, q: q || undefined, workflowId: workflow || undefined, status: status || undefined }),
      app.engine.startable(actor),
    ]);
    return reply.page('instances', {
      title: t('instances.title'),
      query: { q },
      isFiltered: !!(q || workflow || status),
      workflows: startable.map((w) => ({ value: w.workflowId, label: w.title, selected: w.workflowId === workflow })),
      statuses: INSTANCE_STATUSES.map((s) => ({ value: s, label: t(`instance.statuses.${s}`), selected: s === status })),
      rows: result.items.map((r) => ({ ...r, statusText: t(`instance.statuses.${r.status}`) })),
      pager: pager('/instances', { q, workflow, status }, result),
    });
  });

  /** A step's children as the page shows them: what the step waits for, and each child's status in words. */
  function spawnedView(s: SpawnedStep) {
    const waitKey = s.wait === 'all' ? 'waitAll' : s.wait === 'any' ? 'waitAny' : 'waitNone';
    const ended = s.children.filter((c) => c.status === 'completed' || c.status === 'cancelled' || c.status === 'terminated').length;
    return {
      ...s, waitText: t(`instance.spawned.${waitKey}`), counts: t('instance.spawned.counts', { total: s.children.length, ended }),
      children: s.children.map((c) => ({ ...c, statusText: t(`instance.statuses.${c.status}`) })),
    };
  }

  /** The instance page; after a refused reason (撤销/终止/调整办理步骤) with the error summary and that panel open. */
  async function sendInstancePage(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, failed?: InstanceFailure, status = 200) {
    const q = (request.query ?? {}) as ProgressParams;
    const unit = clean(q.unit, 64);
    const view = await app.engine.instance(actor, id, unit ? { unit, page: pageNumber(q.page) } : {});
    const ballots = await app.engine.ballotsOf(actor, id);
    reply.header('Content-Security-Policy', cspAllowingStylesOf(view.diagram.svg));
    return reply.page('instance', {
      failed,
      ballots: ballotLinks(t, ballots),
      ...(failed && { panelErrors: [{ id: `i-${failed.action}-reason`, message: failed.message }] }),
      title: view.summary.title,
      view,
      statusText: t(`instance.statuses.${view.summary.status}`),
      // Unanswered fields are left out: the record reads as what has been said so far.
      recordFields: view.form.fields.filter((f) => !isBlank(f.value)),
      openTasks: view.openTasks.map((o) => ({ ...o, deadline: deadlineView(t, o) })),
      ...(view.progress && { progress: progressView(t, id, view.progress) }),
      hasActions: view.can.withdraw || view.can.cancel || view.can.terminate || view.can.move || view.can.remind,
      spawned: view.spawned.map((s) => spawnedView(s)),
    }, status);
  }

  app.get<IdParams>('/instances/:id', async (request, reply) => sendInstancePage(request, reply, requireActor(request), request.params.id));

  // A plain document to print: no navigation, the 打印 button wired by app.js (no inline script).
  app.get<IdParams>('/instances/:id/print', async (request, reply) => {
    const actor = requireActor(request);
    const view = await app.engine.instance(actor, request.params.id);
    const html = app.renderer.page('print', {
      title: view.summary.title,
      view,
      statusText: t(`instance.statuses.${view.summary.status}`),
      recordFields: view.form.fields.filter((f) => !isBlank(f.value)),
      printedBy: actor.name,
      printView: true,
      // As of the last change, not the wall clock: the sheet says what state it shows.
      asOf: formatDateTime(view.summary.updatedAt),
    }, { layout: 'print' });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post<IdParams & { Params: { action: string } }>('/instances/:id/:action', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const action = request.params.action as InstanceAction;
    if (!(INSTANCE_ACTIONS as readonly string[]).includes(action)) throw new LvzError('LVZ_RUN_NOT_FOUND', '没有这种操作，请从事项页面重新选择。');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const version = readFormPost(body).version;
    const reason = clean(body.reason, 2000);
    try {
      if (action === 'withdraw') await app.engine.withdraw(actor, id, { version });
      else if (action === 'cancel') await app.engine.cancel(actor, id, { reason, version });
      else if (action === 'terminate') await app.engine.terminate(actor, id, { reason, version });
      else if (action === 'move') await app.engine.move(actor, id, { to: clean(body.to, 200), reason, version });
      else if (action === 'close') await app.engine.closeGroup(actor, id, { reason, version });
      else await app.engine.remindInstance(actor, id, clean(body.message, 2000) || undefined);
    } catch (e) {
      // No browser bubble (the box has no `required`): the page again, the summary first, what was typed kept.
      if (!isLvzError(e) || (e.code !== 'LVZ_RUN_REASON_REQUIRED' && e.params.field !== 'reason') || !(REASON_ACTIONS as readonly string[]).includes(action)) throw e;
      const failed = { action, message: e.message, reason, to: clean(body.to, 200) };
      return sendInstancePage(request, reply, actor, id, failed, statusOf(e.code));
    }
    reply.flash(t(`instance.done.${action}`));
    return seeOther(request, reply, `/instances/${encodeURIComponent(id)}`);
  });
}

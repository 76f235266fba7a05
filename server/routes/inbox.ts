// inbox.ts: the four lists an office worker expects: 待办, 已办, 我发起的, 抄送我的.

import type { FastifyInstance } from 'fastify';
import type { InboxList, TaskSummary } from '../../engine/runtime/types.ts';
import { ballotLinks, listedBallots } from '../ballot-view.ts';
import { pageNumber } from '../form-post.ts';
import { requireActor } from '../session.ts';
import { inboxCountsOf } from '../page.ts';
import { deadlineView, pager } from '../view-models.ts';

export const INBOX_LISTS: InboxList[] = ['todo', 'done', 'started', 'cc'];
export const PAGE_SIZE = 20;

export function isInboxList(v: unknown): v is InboxList {
  return typeof v === 'string' && (INBOX_LISTS as string[]).includes(v);
}

/** Where a row leads: an open task to its form, everything else to the instance page. */
function rowHref(list: InboxList, row: TaskSummary): string {
  return list === 'todo' && row.taskId ? `/tasks/${encodeURIComponent(row.taskId)}` : `/instances/${encodeURIComponent(row.instanceId)}`;
}

/**
 * Which columns a list shows. 待办: what to do and by when (with the proposer, the number and, for
 * a role's or a stand-in's task, whose it is). 已办: the step I handled and when, and where the case
 * is now. 抄送我的: where the case is now and whether I read it (no 办理人: the copy is mine).
 * 我发起的: where it is and its status.
 */
function columnsOf(list: InboxList) {
  return {
    initiator: list !== 'started',
    step: list === 'todo' || list === 'done',
    holder: list === 'todo',
    received: list === 'todo',
    deadline: list === 'todo',
    handled: list === 'done',
    current: list !== 'todo',
    copied: list === 'cc',
    read: list === 'cc',
    started: list === 'started',
    status: list === 'started',
  };
}

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<{ Querystring: { list?: string; page?: string; q?: string } }>('/inbox', async (request, reply) => {
    const actor = requireActor(request);
    const list: InboxList = isInboxList(request.query.list) ? request.query.list : 'todo';
    const q = typeof request.query.q === 'string' ? request.query.q.trim().slice(0, 100) : '';
    const page = pageNumber(request.query.page);
    // The layout's navigation shows the four lists with these counts (once per request); without a
    // search the list's own total is one of them.
    const counts = await inboxCountsOf(request, actor);
    const result = await app.engine.inbox(actor, list, { page, pageSize: PAGE_SIZE, ...(q ? { q } : { total: counts[list] }) });
    const rows = result.items.map((row) => ({
      ...row,
      href: rowHref(list, row),
      deadline: row.status === 'open' ? deadlineView(t, row) : undefined,
      isUnread: list === 'cc' && row.isRead === false,
      isReturned: list === 'todo' && row.isReturned === true,
      readText: list === 'cc' ? t(row.isRead ? 'inbox.read' : 'inbox.unread') : '',
      // A case stopped by 撤销/终止 is not "at" its last step: it says so.
      isStopped: row.instanceStatus === 'cancelled' || row.instanceStatus === 'terminated',
      instanceStatusText: row.instanceStatus ? t(`instance.statuses.${row.instanceStatus}`) : '',
    }));
    // 待办 leads with the ballots the member may vote in or chair (表决 has no task of its own).
    const ballots = list === 'todo' && !q && page === 1 ? await listedBallots(() => app.engine.ballotsFor(actor)) : [];
    return reply.page('inbox', {
      ballots: ballotLinks(t, ballots),
      title: t(`nav.${list}`),
      listTitle: t(`nav.${list}`),
      list,
      q,
      cols: columnsOf(list),
      rows,
      emptyText: t(`inbox.empty.${list}`),
      pager: pager('/inbox', { list, q }, result),
    });
  });
}

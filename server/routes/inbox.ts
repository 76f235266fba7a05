// inbox.ts: the four lists an office worker expects: 待办, 已办, 我发起的, 抄送我的.

import type { FastifyInstance } from 'fastify';
import { INBOX_COUNT_CAP, type InboxList, type TaskSummary } from '../../engine/runtime/types.ts';
import { pageNumber } from '../form-post.ts';
import { requireActor } from '../session.ts';
import { inboxCountsOf } from '../page.ts';
import { countText, deadlineView, pager } from '../view-models.ts';

export const INBOX_LISTS: InboxList[] = ['todo', 'done', 'started', 'cc'];
export const PAGE_SIZE = 20;

export function isInboxList(v: unknown): v is InboxList {
  return typeof v === 'string' && (INBOX_LISTS as string[]).includes(v);
}

/** Where a row leads: an open task to its form, everything else to the instance page. */
function rowHref(list: InboxList, row: TaskSummary): string {
  return list === 'todo' && row.taskId ? `/tasks/${encodeURIComponent(row.taskId)}` : `/instances/${encodeURIComponent(row.instanceId)}`;
}

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<{ Querystring: { list?: string; page?: string; q?: string } }>('/inbox', async (request, reply) => {
    const actor = requireActor(request);
    const list: InboxList = isInboxList(request.query.list) ? request.query.list : 'todo';
    const q = typeof request.query.q === 'string' ? request.query.q.trim().slice(0, 100) : '';
    const page = pageNumber(request.query.page);
    // The layout reuses these counts (once per request), and without a search the list's own total is one of them.
    const counts = await inboxCountsOf(request, actor);
    const result = await app.engine.inbox(actor, list, { page, pageSize: PAGE_SIZE, ...(q ? { q } : { total: counts[list] }) });
    const rows = result.items.map((row) => ({
      ...row,
      href: rowHref(list, row),
      deadline: row.status === 'open' ? deadlineView(t, row) : undefined,
      isUnread: list === 'cc' && row.isRead === false,
      statusText: list === 'cc' ? t(row.isRead ? 'inbox.read' : 'inbox.unread') : t(`inbox.status.${row.status}`),
    }));
    const tabs = INBOX_LISTS.map((l) => ({ href: `/inbox?list=${l}`, label: t(`nav.${l}`), count: countText(counts[l], INBOX_COUNT_CAP), current: l === list }));
    return reply.page('inbox', {
      title: t(`nav.${list}`),
      listTitle: t(`nav.${list}`),
      list,
      q,
      tabs,
      rows,
      isCc: list === 'cc',
      emptyText: t(`inbox.empty.${list}`),
      pager: pager('/inbox', { list, q }, result),
    });
  });
}

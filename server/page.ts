// page.ts: reply.page / reply.fragment / reply.flash, and the layout context every page shares.

import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INBOX_COUNT_CAP, type Actor, type InboxList } from '../engine/runtime/types.ts';
import { cookieOptions } from './session.ts';
import { countText } from './view-models.ts';
import { ADMIN_ROLE } from '../engine/index.ts';

const FLASH_COOKIE = 'lvzhi_flash';

export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}

const LISTS: InboxList[] = ['todo', 'done', 'started', 'cc'];

const countsOfRequest = new WeakMap<FastifyRequest, Promise<Record<InboxList, number>>>();

/**
 * The four inbox counts of this request's viewer, asked of the engine once per request: the
 * layout's navigation and the inbox route (a list's total) share one answer.
 */
export function inboxCountsOf(request: FastifyRequest, actor: Actor): Promise<Record<InboxList, number>> {
  let p = countsOfRequest.get(request);
  if (!p) {
    p = request.server.engine.inboxCounts(actor);
    countsOfRequest.set(request, p);
  }
  return p;
}

/** The header navigation: the four inbox lists with their counts, then 发起 and 全部事项 (and for admins 流程定义, 通讯录). */
function navItems(request: FastifyRequest, counts: Record<InboxList, number>) {
  const t = request.server.renderer.t;
  const [path, query = ''] = request.url.split('?');
  const list = new URLSearchParams(query).get('list') ?? 'todo';
  return [
    ...LISTS.map((l) => ({
      href: `/inbox?list=${l}`, label: t(`nav.${l}`), count: countText(counts[l], INBOX_COUNT_CAP), hasCount: true, current: path === '/inbox' && list === l,
    })),
    { href: '/start', label: t('nav.start'), current: path!.startsWith('/start') },
    { href: '/instances', label: t('nav.instances'), current: path === '/instances' },
    // The studio, for admins only (the engine refuses everyone else anyway).
    ...(request.actor?.roles.includes(ADMIN_ROLE) ? [
      { href: '/admin', label: t('admin.nav'), current: path!.startsWith('/admin') && !path!.startsWith('/admin/directory') },
      { href: '/admin/directory', label: t('directory.nav'), current: path!.startsWith('/admin/directory') },
    ] : []),
  ];
}

async function layoutContext(request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
  const actor = request.actor;
  const flash = request.cookies[FLASH_COOKIE];
  if (flash) reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const counts = actor ? await inboxCountsOf(request, actor) : undefined;
  return {
    actor,
    navItems: counts ? navItems(request, counts) : [],
    // 接口文档 in the footer for administrators only; anyone else with tokens finds it under 设置 → 接口令牌 (docs/api.md).
    showApiDocs: actor?.roles.includes(ADMIN_ROLE) ?? false,
    csrfToken: request.csrfToken,
    flash: reply.getFlash() ?? flash,
    path: request.url.split('?')[0],
    rehearsal: rehearsalBanner(request),
  };
}

/** 2027-01-10 09:00 in Beijing time (the business zone is UTC+8 all year). */
function beijing(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The banner text of a rehearsal install (its clock runs ahead of real time), else undefined. */
function rehearsalBanner(request: FastifyRequest): string | undefined {
  const r = request.server.engine.rehearsal();
  if (!r) return undefined;
  const minutes = r.speed;
  const per = minutes % 60 === 0 ? `${minutes / 60} 小时` : `${Math.round(minutes * 10) / 10} 分钟`;
  return request.server.renderer.t('rehearsal.banner', { time: `${beijing(r.now)}（北京时间）`, per });
}

declare module 'fastify' {
  interface FastifyReply {
    getFlash(): string | undefined;
  }
}

export const pagePlugin = fp(async (app) => {
  const secure = app.lvzhi.secureCookies;
  const pending = new WeakMap<FastifyReply, string>();
  app.decorateReply('getFlash', function (this: FastifyReply) {
    return pending.get(this);
  });

  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    pending.set(this, message);
    this.setCookie(FLASH_COOKIE, message, { ...cookieOptions(this.request, secure), maxAge: 60 });
    return this;
  });

  app.decorateReply('page', async function (this: FastifyReply, name: string, model: Record<string, unknown> = {}, status = 200) {
    const ctx = await layoutContext(this.request, this);
    // A message set for this very response is shown now, so it must not come back on the next page.
    if (pending.has(this)) this.clearCookie(FLASH_COOKIE, { path: '/' });
    const html = app.renderer.page(name, { ...ctx, ...model });
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });

  app.decorateReply('fragment', function (this: FastifyReply, name: string, model: Record<string, unknown> = {}, status = 200) {
    const html = app.renderer.fragment(name, { csrfToken: this.request.csrfToken, ...model });
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });
});

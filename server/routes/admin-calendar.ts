// admin-calendar.ts: 节假日安排, the holiday calendar year by year: a list of the years (from the
// shipped file, entered here, or missing), and one page per year with its text, its versions and
// 保存. The engine decides who may save (the city's admins) and checks the text; a text with
// errors comes back with them, line and column each, and nothing is stored.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CalendarSaveResult } from '../../engine/runtime/types.ts';
import { requireActor } from '../session.ts';
import { STUDIO_CSS } from './admin-paths.ts';
import { seeOther } from './tasks.ts';

type YearParams = { Params: { year: string } };

function field(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

function yearOf(s: string): number {
  if (!/^\d{4}$/.test(s)) throw Object.assign(new Error('not found'), { statusCode: 404 });
  return Number(s);
}

async function renderYear(request: FastifyRequest, reply: FastifyReply, year: number, typed?: { text: string; message: string; result: CalendarSaveResult }) {
  const app = request.server;
  const t = app.renderer.t;
  const view = await app.engine.calendar.year(requireActor(request), year);
  const errors = typed && !typed.result.ok ? typed.result.errors : [];
  return reply.page('admin-calendar-year', {
    ...STUDIO_CSS,
    title: t('admin.calendar.yearTitle', { year }),
    view, text: typed?.text ?? view.text, message: typed?.message ?? '', errors, sourceLabel: t(`admin.calendar.sources.${view.source}`),
  }, errors.length > 0 ? 400 : 200);
}

export async function adminCalendarRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/admin/calendar', async (request, reply) => {
    const years = await app.engine.calendar.years(requireActor(request));
    return reply.page('admin-calendar', {
      ...STUDIO_CSS,
      title: t('admin.calendar.title'),
      years: years.map((y) => ({ ...y, url: `/admin/calendar/${y.year}`, sourceLabel: t(`admin.calendar.sources.${y.source}`), isMissing: y.source === 'missing' })),
    });
  });

  app.get<YearParams>('/admin/calendar/:year', async (request, reply) => renderYear(request, reply, yearOf(request.params.year)));

  app.post<YearParams>('/admin/calendar/:year', async (request, reply) => {
    const year = yearOf(request.params.year);
    const text = field(request.body, 'text');
    const message = field(request.body, 'message');
    const result = await app.engine.calendar.save(requireActor(request), year, text, message);
    if (!result.ok) return renderYear(request, reply, year, { text, message, result });
    reply.flash(t('admin.calendar.saved', { year, version: result.version }));
    return seeOther(request, reply, `/admin/calendar/${year}`);
  });
}

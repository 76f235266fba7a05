// admin-timers.ts: 定时任务, the operator's page: the timers due and waiting, and those that failed
// to fire after every try, each with its instance, its step, the error and a 重试 button. The
// engine decides who may see it (administrators, each their own district's) and what a retry writes.

import type { FastifyInstance } from 'fastify';
import { requireActor } from '../session.ts';
import { STUDIO_CSS } from './admin-paths.ts';
import { seeOther } from './tasks.ts';

export async function adminTimerRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/admin/timers', async (request, reply) => {
    const overview = await app.engine.timers.overview(requireActor(request));
    const shown = (n: number) => (n >= overview.cap ? `${overview.cap - 1}+` : String(n));
    return reply.page('admin-timers', {
      ...STUDIO_CSS,
      title: t('admin.timers.title'),
      counts: {
        due: shown(overview.counts.due), retrying: shown(overview.counts.retrying),
        failed: shown(overview.counts.failed), unscheduled: shown(overview.counts.unscheduled),
      },
      maxAttempts: overview.maxAttempts, districtName: overview.districtName,
      failed: overview.failed.map((f) => ({ ...f, kindLabel: t(`admin.timers.kinds.${f.kind}`), url: `/instances/${f.instanceId}` })),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/timers/:id/retry', async (request, reply) => {
    await app.engine.timers.retry(requireActor(request), request.params.id);
    reply.flash(t('admin.timers.retried'));
    return seeOther(request, reply, '/admin/timers');
  });
}

// health.ts: probes for load balancers and orchestrators. /healthz: the process answers (restart it
// if not); /readyz: it can reach its database, is not draining and is not saturated (send it
// requests only if so).

import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by shutdown() (main.ts) when SIGTERM starts a drain: /readyz answers 503 from then on. */
    draining: boolean;
  }
}

// A balancer probes every few seconds: at info, its request lines would bury the real traffic.
// Session-free by URL (session.ts isProbeUrl): no session row read and no cookie set per probe.
const PROBE = { schema: { hide: true }, logLevel: 'warn' } as const;

function answer(reply: FastifyReply, status: number, body: Record<string, string>): FastifyReply {
  // A cached "ready" would hide an outage from whoever asks through a proxy.
  return reply.code(status).header('Cache-Control', 'no-store').send(body);
}

// fastify-plugin: `draining` is decorated on the root instance, which is the one shutdown() sets.
export const healthRoutes = fp(async (app) => {
  app.decorate('draining', false);

  // No database here: an outage would fail every process's liveness at once, and restarting them
  // would not bring the database back.
  app.get('/healthz', PROBE, async (_request, reply) => answer(reply, 200, { status: 'ok' }));

  app.get('/readyz', PROBE, async (request, reply) => {
    if (app.draining) return answer(reply, 503, { status: 'draining' });
    const busy = app.load.saturation();
    if (busy) return answer(reply, 503, { status: 'saturated', reason: busy });
    try {
      await app.engine.ping();
    } catch (e) {
      // The answer is public and short; the driver's reason (host, user) is for the log only.
      request.log.warn({ err: e }, 'readiness probe: the database did not answer');
      return answer(reply, 503, { status: 'unavailable', database: isLvzError(e) ? e.message : '无法访问数据库，原因见服务日志' });
    }
    return answer(reply, 200, { status: 'ready', database: 'ok' });
  });
});

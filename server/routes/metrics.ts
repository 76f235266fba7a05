// metrics.ts: GET /metrics in Prometheus's text format, for an operator's monitoring: requests by
// route and status with their durations, events committed or refused, timers fired, failed and
// waiting, and Node's own process metrics (CPU, memory, event-loop delay, GC). Off unless
// METRICS_TOKEN is set; then a scraper sends it as a bearer token (a reverse proxy in front would
// make every client look local, so there is no "local only" mode).
//
// Each app has its own registry (tests build several in one process). With `--workers N` each
// worker answers for itself and labels its series `worker`; see docs/deploy.md.

import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Counter } from 'prom-client';

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorised(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)); // equal lengths: digests, not the strings
}

const PLAIN = 'text/plain; charset=utf-8';
const ROUTE = { schema: { hide: true }, logLevel: 'warn' } as const;

export const metricsRoutes = fp<{ token?: string }>(async (app, opts) => {
  const token = opts.token;
  if (!token) {
    // Off: nothing is measured, and the scraper is told how to turn it on.
    app.get('/metrics', ROUTE, async (_request, reply) =>
      reply.code(404).type(PLAIN).send('未启用：设置 METRICS_TOKEN 后重启即可开启 /metrics（见 docs/deploy.md）\n'));
    return;
  }
  // Loaded only when on: prom-client adds about 11 MB to the process (measured), which a server
  // that is not scraped should not carry (docs/benchmarks.md's memory target).
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await import('prom-client');
  const register = new Registry();
  if (cluster.isWorker && cluster.worker) register.setDefaultLabels({ worker: String(cluster.worker.id) });
  collectDefaultMetrics({ register });

  const http = new Histogram({
    name: 'lvzhi_http_request_duration_seconds', help: 'Requests by route pattern, method and status, with their durations.',
    labelNames: ['method', 'route', 'status_code'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [register],
  });
  // The route's pattern (/tasks/:id), never the URL itself: one series per page, not per task.
  app.addHook('onResponse', async (request, reply) => {
    http.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [register] });
  const events = counter('lvzhi_events_total', 'Events (completions, actions, timers) by outcome: committed; refused by their own rule (conflict, bad input), nothing kept; failed for the database.', ['outcome']);
  const transactions = counter('lvzhi_write_transactions_total', 'Write transactions committed (SQLite: one per batch of events).');
  const retried = counter('lvzhi_write_retries_total', 'PostgreSQL transactions run again after a deadlock or serialisation failure.');
  const fired = counter('lvzhi_timers_fired_total', 'Timers fired (deadlines, reminders, escalations).');
  const failures = counter('lvzhi_timer_failures_total', 'Tries to fire a timer that failed.');
  const setAside = counter('lvzhi_timers_set_aside_total', 'Timers set aside as failed after their last try (see /admin/timers).');
  const checks = counter('lvzhi_password_checks_total', 'Passwords checked (scrypt) by logins; a flood shows here and in 429s, not as slow pages.');
  const hashes = new Gauge({ name: 'lvzhi_password_hashes', help: 'Password hashes now: running, queued (waiting for one of the slots).', labelNames: ['state'], registers: [register] });
  const backlog = new Gauge({ name: 'lvzhi_timers', help: 'Timers now: due (pending, due), retrying (waiting after a failure), failed, unscheduled (waiting for the holiday calendar). Capped at 1000.', labelNames: ['state'], registers: [register] });

  /** The engine keeps the counts; each scrape shows them as they are (reset, then set). */
  const show = (c: Counter, value: number, labels: Record<string, string> = {}) => c.inc(labels, value);

  app.get('/metrics', ROUTE, async (request, reply) => {
    if (!authorised(request.headers.authorization, token)) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer').type(PLAIN).send('需要 METRICS_TOKEN：请在抓取配置中以 Bearer 令牌发送\n');
    }
    const m = await app.engine.metrics();
    for (const c of [events, transactions, retried, fired, failures, setAside, checks]) c.reset();
    show(events, m.writes.committed, { outcome: 'committed' });
    show(events, m.writes.refused, { outcome: 'refused' });
    show(events, m.writes.failed, { outcome: 'failed' });
    show(transactions, m.writes.transactions);
    show(retried, m.writes.retried);
    show(fired, m.timers.fired);
    show(failures, m.timers.failures);
    show(setAside, m.timers.setAside);
    for (const [state, n] of Object.entries(m.timerBacklog)) backlog.set({ state }, n);
    const auth = app.engine.authLoad();
    show(checks, auth.checks);
    hashes.set({ state: 'running' }, auth.running);
    hashes.set({ state: 'queued' }, auth.queued);
    return reply.header('Cache-Control', 'no-store').type(register.contentType).send(await register.metrics());
  });
});

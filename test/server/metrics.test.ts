// metrics.test.ts: /metrics is off without METRICS_TOKEN, refuses a missing or wrong token, and
// shows requests by route pattern, the events committed and refused, the timer backlog and Node's
// process metrics, without a session or a cookie.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEngine, type Engine } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/http.ts';

const TOKEN = 'metrics-test-token-1234567890';
let place: TestDatabase;
let engine: Engine;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  place = await testDatabase(undefined, 'lvzhi-metrics-');
  engine = await createEngine({ dataDir: place.dataDir, demo: true, now: () => new Date('2026-03-02T01:00:00Z'), ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  app = await buildApp({ engine, dataDir: place.dataDir, metricsToken: TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  await engine.close();
  await place.cleanup();
});

const scrape = (token?: string) => fetch(`${base}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

/** The value of one sample line, e.g. `lvzhi_events_total{outcome="committed"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('is off without METRICS_TOKEN', async () => {
    const plain: TestServer = await startServer();
    try {
      const res = await fetch(`${plain.base}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('METRICS_TOKEN');
    } finally {
      await plain.close();
    }
  });

  it('refuses a missing or wrong token', async () => {
    expect((await scrape()).status).toBe(401);
    const wrong = await scrape('not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('counts requests by route pattern, events by outcome, timers, and the process', async () => {
    await fetch(`${base}/login`);
    await fetch(`${base}/tasks/00000000-0000-0000-0000-000000000000`, { redirect: 'manual' }); // a pattern, not this URL
    const deputy = await engine.login('deputy1', 'lvzhi2026');
    await engine.start(deputy.actor, 'suggestion', { event: 'submit', version: 0, input: { title: '监控测试', category: '城乡建设与管理', content: '内容' } });
    const stale = await engine.start(deputy.actor, 'suggestion', { event: 'submit', version: 0, input: { title: '版本冲突', category: '城乡建设与管理', content: '内容' } });
    await expect(engine.withdraw(deputy.actor, stale.instanceId, { version: 99 })).rejects.toMatchObject({ code: 'LVZ_RUN_CONFLICT' });

    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('set-cookie')).toBeNull();
    const text = await res.text();
    expect(sample(text, 'lvzhi_http_request_duration_seconds_count{method="GET",route="/login",status_code="200"}')).toBe(1);
    expect(text).toContain('route="/tasks/:id"');
    expect(text).not.toContain('00000000-0000-0000-0000-000000000000');
    expect(sample(text, 'lvzhi_events_total{outcome="committed"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'lvzhi_events_total{outcome="refused"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lvzhi_timers{state="failed"}')).toBe(0);
    expect(sample(text, 'lvzhi_timers{state="due"}')).toBe(0);
    expect(sample(text, 'lvzhi_timers_fired_total')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');

    // Counts only go up between scrapes; the timers fire and show.
    const fired = await engine.fireDueTimers(new Date('2026-06-01T01:00:00Z'));
    expect(fired).toBeGreaterThan(0);
    const again = await (await scrape(TOKEN)).text();
    expect(sample(again, 'lvzhi_timers_fired_total')).toBe(fired);
    expect(sample(again, 'lvzhi_events_total{outcome="committed"}')).toBeGreaterThan(sample(text, 'lvzhi_events_total{outcome="committed"}')!);
  });
});

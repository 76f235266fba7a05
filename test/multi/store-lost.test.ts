// store-lost.test.ts (PostgreSQL pass only): the database connection is lost in the middle of a
// request. The test holds a lock so that a completion stops half-way through its transaction
// (task closed and instance updated, event not yet written), then terminates the server's
// database connections, as a PostgreSQL restart or a failover does. The request gets 503
// LVZ_STORE_UNAVAILABLE with a zh-CN message (JSON for the API, a page for a browser), nothing of
// it is kept, and the next request, on fresh connections, goes through.

import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import { openDb } from '../../engine/store/db.ts';
import { buildApp } from '../../server/app.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { loginAs } from '../helpers/http.ts';
import { halfApplied } from '../helpers/invariants.ts';
import { api, apiToken } from '../helpers/spawn.ts';

const APP_NAME = `lvzhi-lost-${randomBytes(4).toString('hex')}`;
let place: TestDatabase;
let engine: Engine;
let app: FastifyInstance;
let db: Knex;
let base: string;
beforeAll(async () => {
  place = await testDatabase('postgres', 'lvzhi-lost-');
  // The server's connections carry a name of their own, so the test can cut exactly those.
  const url = new URL(place.databaseUrl!);
  url.searchParams.set('application_name', APP_NAME);
  engine = await createEngine({ dataDir: place.dataDir, databaseUrl: url.toString(), demo: true, now: () => new Date('2026-03-02T01:00:00Z') });
  app = await buildApp({ engine, dataDir: place.dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  db = await openDb({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
});
afterAll(async () => {
  await app?.close();
  await engine?.close();
  await db?.destroy();
  await place?.cleanup();
});

/** Runs `request` while the test holds `lockSql`; once the server waits on that lock, its connections are cut. */
async function cutMidRequest<T>(lockSql: string, request: () => Promise<T>): Promise<T> {
  const trx = await db.transaction();
  try {
    await trx.raw(lockSql);
    const pending = request();
    const end = Date.now() + 10_000;
    for (;;) {
      const { rows } = await db.raw(`select count(*)::int as n from pg_stat_activity where application_name = ? and wait_event_type = 'Lock'`, [APP_NAME]);
      if (rows[0].n > 0) break;
      if (Date.now() > end) throw new Error('the request never reached the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    await db.raw('select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?', [APP_NAME]);
    return await pending;
  } finally {
    await trx.rollback();
  }
}

const REVIEW = { event: 'accept', opinion: '同意', data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' } };

describe('the database lost in the middle of a request', () => {
  it('answers 503 LVZ_STORE_UNAVAILABLE, keeps nothing of the half-done completion, and recovers', async () => {
    const deputy = await apiToken(base, 'deputy1');
    const review = await apiToken(base, 'review1');
    const started = await api(base, 'POST', '/workflows/suggestion/instances', { token: deputy, body: { event: 'submit', data: { title: '断线测试', content: '内容' } } });
    const instanceId = started.json.instanceId as string;
    const { id: taskId } = await db('tasks').where({ instance_id: instanceId, status: 'open' }).first('id');
    const before = await db('instances').where({ id: instanceId }).first('version', 'state');
    const { version } = (await api(base, 'GET', `/tasks/${taskId}`, { token: review })).json;

    // Inserting the event waits on the test's lock, after the task and the instance were updated.
    const lost = await cutMidRequest('lock table events in exclusive mode', () =>
      api(base, 'POST', `/tasks/${taskId}/complete`, { token: review, body: { ...REVIEW, version } }));
    expect(lost.status).toBe(503);
    expect(lost.json.error.code).toBe('LVZ_STORE_UNAVAILABLE');
    expect(lost.json.error.message).toMatch(/数据库暂时无法访问.*没有保存任何内容.*请稍后重试/);
    expect(await db('instances').where({ id: instanceId }).first('version', 'state')).toEqual(before);
    expect((await db('tasks').where({ id: taskId }).first('status')).status).toBe('open');
    expect(await db('events').where({ task_id: taskId, type: 'task.completed' })).toHaveLength(0);

    // The server recovers by itself: the same completion now goes through.
    const again = await api(base, 'POST', `/tasks/${taskId}/complete`, { token: review, body: { ...REVIEW, version } });
    expect(again.status).toBe(200);
    expect(await halfApplied(db)).toEqual([]);
  });

  it('shows a browser a 503 page that says what happened and what to do', async () => {
    const page = await loginAs(base, 'deputy1');
    const [{ id }] = await db('instances').select('id').limit(1);
    // Reading the instance waits on the test's lock, then its connection is cut.
    const res = await cutMidRequest('lock table instances in access exclusive mode', () => page.get(`/instances/${id}`));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/text\/(html|plain)/);
    expect(res.text).toMatch(/数据库暂时无法访问/);
    // Recovery: the pool drops a cut connection once PostgreSQL's notice of it arrives; on a busy
    // machine a request may still draw one before that, so allow a few tries within two seconds.
    let status = 0;
    for (const until = Date.now() + 2_000; status !== 200 && Date.now() < until;) {
      status = (await page.get(`/instances/${id}`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});

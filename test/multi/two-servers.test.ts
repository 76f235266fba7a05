// two-servers.test.ts (PostgreSQL pass only): two `lvzhi serve` processes on one database, on
// different ports, as behind any load balancer: a login on one is a login on the other (sessions
// and CSRF secrets live in the database), and 20 simultaneous completions of one task split across
// both give exactly one winner, the rest 409, one completion in the history. Then
// `serve --workers 2`: a worker killed is replaced, SIGTERM drains and exits 0.

import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { Client, loginAs } from '../helpers/http.ts';
import { halfApplied } from '../helpers/invariants.ts';
import { api, apiToken, spawnServer, type ServerProcess } from '../helpers/spawn.ts';

let place: TestDatabase;
let db: Knex;
let a: ServerProcess;
let b: ServerProcess;
beforeAll(async () => {
  place = await testDatabase('postgres', 'lvzhi-two-');
  // Started together on an empty database: they take turns migrating and seeding.
  [a, b] = await Promise.all([spawnServer(place), spawnServer(place)]);
  db = await openDb({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
});
afterAll(async () => {
  await Promise.all([a?.kill('SIGKILL'), b?.kill('SIGKILL')]);
  await db?.destroy();
  await place?.cleanup();
});

describe('two server processes on one PostgreSQL', () => {
  it('listen on different ports and share sessions: a login on A is valid on B, forms included', async () => {
    expect(a.base).not.toBe(b.base);
    const onA = await loginAs(a.base, 'deputy1');
    const onB = new Client(b.base);
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    const inbox = await onB.get('/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('退出');
    // A form posted to B with the CSRF token B rendered for A's session: a new API token, which
    // the token then proves on A.
    const created = await onB.post('/settings/tokens', {});
    expect(created.status).toBe(200);
    const token = /id="new-token">([^<]+)</.exec(created.text)?.[1];
    expect(token).toBeTruthy();
    expect((await api(a.base, 'GET', '/inbox', { token })).status).toBe(200);
  });

  it('20 concurrent completions of one task across both: one wins, the rest 409, one completion event', async () => {
    const deputy = await apiToken(a.base, 'deputy1');
    const started = await api(a.base, 'POST', '/workflows/suggestion/instances', { token: deputy, body: { event: 'submit', data: { title: '两进程并发', content: '内容' } } });
    expect(started.status).toBe(201);
    const instanceId = started.json.instanceId as string;
    const { id: taskId } = await db('tasks').where({ instance_id: instanceId, status: 'open' }).first('id');
    const tokens = [await apiToken(a.base, 'review1'), await apiToken(b.base, 'review1')];
    const { version } = (await api(b.base, 'GET', `/tasks/${taskId}`, { token: tokens[1] })).json;
    const body = { event: 'accept', version, opinion: '同意', data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' } };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      api([a, b][i % 2]!.base, 'POST', `/tasks/${taskId}/complete`, { token: tokens[i % 2], body })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(['LVZ_RUN_CONFLICT', 'LVZ_RUN_TASK_CLOSED']).toContain(r.json.error.code);
    const [{ n }] = await db('events').where({ task_id: taskId, type: 'task.completed' }).count({ n: '*' });
    expect(Number(n)).toBe(1);
    expect(await halfApplied(db)).toEqual([]);
  });
});

describe('lvzhi serve --workers 2', () => {
  it('serves from two workers, replaces one that dies, and drains on SIGTERM', async () => {
    const listening = /lvzhi: worker (\d+) listening on [^:]*:(\d+)[\s\S]*lvzhi: worker (\d+) listening/;
    const c = await spawnServer(place, { args: ['--workers', '2'], ready: listening, env: { PORT: String(await freePort()) } });
    try {
      const [, w1, port, w2] = listening.exec(c.output())!;
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/login`)).status).toBe(200);
      process.kill(Number(w1), 'SIGKILL');
      await waitFor(() => /worker \d+ exited \(SIGKILL\)[\s\S]*worker \d+ listening/.test(c.output()), c);
      const replaced = [...c.output().matchAll(/worker (\d+) listening/g)].map((m) => m[1]);
      expect(replaced).toHaveLength(3);
      expect(replaced).toContain(w2);
      const token = await apiToken(base, 'deputy1');
      expect((await api(base, 'GET', '/inbox', { token })).status).toBe(200);
      expect(await c.kill('SIGTERM')).toBe(0);
      expect(c.output()).toMatch(/SIGTERM: draining 2 workers/);
    } finally {
      await c.kill('SIGKILL');
    }
  });
});

async function waitFor(ok: () => boolean, c: ServerProcess, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out:\n${c.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as import('node:net').AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

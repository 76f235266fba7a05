// auth.test.ts (issue 12, security probes): the login lock holds under concurrent guesses on one
// and on two engines sharing a database, `next` after a login stays on this site, a login flood is
// rate-limited without starving other requests, readiness reports saturation, tokens expire and
// carry a scope, sessions have an absolute limit, and cookies are Secure (with HSTS) over HTTPS.
// Runs on SQLite and, with LVZHI_TEST_PG=1, on PostgreSQL.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import type { LoginLimits } from '../../engine/auth/throttle.ts';
import { createHashGate } from '../../engine/auth/hash-gate.ts';
import { saturation } from '../../server/load.ts';
import { buildApp, type BuildAppOptions } from '../../server/app.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { Client, DEMO_PASSWORD, loginAs } from '../helpers/http.ts';

const T0 = '2026-03-02T01:00:00Z';
/** Limits out of the way, so a test sees the lock alone. */
const WIDE: Partial<LoginLimits> = { perAddress: { burst: 10_000, refillMs: 1000 }, global: { burst: 10_000, refillMs: 1000 }, hashQueue: 10_000 };

interface Srv {
  app: FastifyInstance;
  engine: Engine;
  base: string;
  clock: { now: Date };
  close(): Promise<void>;
}

/** A listening server on `place` (several may share one database), with its own engine and clock. */
async function serve(place: TestDatabase, opts: { loginLimits?: Partial<LoginLimits>; app?: Partial<BuildAppOptions> } = {}): Promise<Srv> {
  const clock = { now: new Date(T0) };
  const engine = await createEngine({
    dataDir: place.dataDir, demo: true, now: () => clock.now, loginLimits: opts.loginLimits,
    ...(place.databaseUrl && { databaseUrl: place.databaseUrl }),
  });
  const app = await buildApp({ engine, dataDir: place.dataDir, ...opts.app });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, engine, clock, base: `http://127.0.0.1:${port}`, close: async () => { await app.close(); await engine.close(); } };
}

async function tokenCall(base: string, username: string, password: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string; retryAfter: string | null; token?: string }> {
  const res = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }),
  });
  const json = (await res.json()) as { token?: string; error?: { code: string } };
  return { status: res.status, code: json.error?.code, retryAfter: res.headers.get('retry-after'), token: json.token };
}

const checks = (...servers: Srv[]): number => servers.reduce((n, s) => n + s.engine.authLoad().checks, 0);

describe('the login lock under concurrent guesses', () => {
  let place: TestDatabase;
  let a: Srv;
  let b: Srv;
  beforeAll(async () => {
    place = await testDatabase(undefined, 'lvzhi-sec-auth-');
    a = await serve(place, { loginLimits: WIDE });
    b = await serve(place, { loginLimits: WIDE }); // a second engine (own pool) on the same database
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await place?.cleanup();
  });

  it('60 simultaneous API guesses, the right one last: at most 5 passwords checked, then locked', async () => {
    const before = checks(a);
    const guesses = [...Array.from({ length: 59 }, (_, i) => `wrong-${i}`), DEMO_PASSWORD];
    const results = await Promise.all(guesses.map((p) => tokenCall(a.base, 'deputy4', p)));
    expect(checks(a) - before).toBeLessThanOrEqual(5);
    const answered = results.filter((r) => r.status !== 429);
    expect(answered.length).toBeLessThanOrEqual(5);
    for (const r of results.filter((x) => x.status === 429)) expect(r.code).toBe('LVZ_AUTH_LOCKED');
    // The right password sent after the burst is refused too: the name is locked.
    const after = await tokenCall(a.base, 'deputy4', DEMO_PASSWORD);
    expect(after.status).toBe(429);
    expect(after.code).toBe('LVZ_AUTH_LOCKED');
    expect(Number(after.retryAfter)).toBeGreaterThan(0);
  });

  it('a burst of 200 wrong passwords is checked 5 times at most; exactly 4 answers are 401', async () => {
    const before = checks(a);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => tokenCall(a.base, 'deputy5', `guess-${i}`)));
    expect(checks(a) - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
    expect(results.filter((r) => r.status === 429)).toHaveLength(196);
  });

  it('the web login form holds the same lock', async () => {
    const before = checks(a);
    const clients = await Promise.all(Array.from({ length: 30 }, async () => {
      const c = new Client(a.base);
      await c.get('/login');
      return c;
    }));
    const pages = await Promise.all(clients.map((c, i) => c.post('/login', { username: 'deputy6', password: i === 29 ? DEMO_PASSWORD : `nope-${i}` })));
    expect(checks(a) - before).toBeLessThanOrEqual(5);
    expect(pages.filter((p) => p.status !== 429).length).toBeLessThanOrEqual(5);
    const late = await clients[0]!.post('/login', { username: 'deputy6', password: DEMO_PASSWORD });
    expect(late.status).toBe(429);
    expect(late.text).toContain('该账号已暂时锁定');
    expect(late.headers.getSetCookie().join()).not.toContain('lvzhi_sid=');
  });

  it('two engines on one database share the count: 100 guesses split across both check at most 5', async () => {
    const before = checks(a, b);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => tokenCall([a, b][i % 2]!.base, 'deputy7', i === 99 ? DEMO_PASSWORD : `x-${i}`)));
    expect(checks(a, b) - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(5);
    expect((await tokenCall(b.base, 'deputy7', DEMO_PASSWORD)).status).toBe(429);
    expect((await tokenCall(a.base, 'deputy7', DEMO_PASSWORD)).status).toBe(429);
  });

  it('one at a time it is as before: four wrong, then the right password logs in and clears the count', async () => {
    for (let i = 0; i < 4; i++) expect((await tokenCall(b.base, 'deputy8', 'wrong')).status).toBe(401);
    const ok = await tokenCall(b.base, 'deputy8', DEMO_PASSWORD);
    expect(ok.status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await tokenCall(a.base, 'deputy8', 'wrong')).status).toBe(401);
    expect((await loginAs(a.base, 'deputy8')).cookies.has('lvzhi_sid')).toBe(true);
  });
});

describe('where a login may lead (next)', () => {
  let place: TestDatabase;
  let s: Srv;
  let user: Client;
  beforeAll(async () => {
    place = await testDatabase(undefined, 'lvzhi-sec-next-');
    s = await serve(place);
    user = await loginAs(s.base, 'deputy1');
  });
  afterAll(async () => {
    await s?.close();
    await place?.cleanup();
  });

  // Every one of these must end on this site: /inbox, whatever the browser would make of it.
  const OFFSITE = [
    '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '\t//evil.example', '/\u000b/evil.example', '/\u3000/evil.example',
    '/\u0000/evil.example', '/\u0085/evil.example', '/\u00a0/evil.example', '/\u2028/evil.example', '/\ufeff/evil.example',
    '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '/\\/evil.example', '\\/evil.example',
    'https://evil.example/', 'http:evil.example', 'javascript:alert(1)', 'data:text/html,x', 'evil.example', ' /inbox',
    '/inbox ', '/%09/evil.example\u3000', 'x'.repeat(3000), '', '/ /evil.example', '/\u001b/evil.example',
  ];
  // Same-site paths survive, normalised by the URL parser (non-ASCII percent-encoded).
  const KEPT: [string, string][] = [
    ['/tasks/42', '/tasks/42'],
    ['/instances?q=x&page=2', '/instances?q=x&page=2'],
    ['/instances?q=建议', '/instances?q=%E5%BB%BA%E8%AE%AE'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'], // an encoded slash stays a path on this site
    ['/a/../settings', '/settings'],
    ['/inbox#top', '/inbox#top'],
  ];

  it('GET /login?next=… as a logged-in user redirects only to same-site paths', async () => {
    for (const next of OFFSITE) {
      const res = await user.get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status, JSON.stringify(next)).toBe(303);
      expect(res.location, JSON.stringify(next)).toBe('/inbox');
    }
    for (const [next, to] of KEPT) {
      const res = await user.get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.location, next).toBe(to);
    }
    // The raw probe from the issue, percent-encoded as a browser sends it.
    expect((await user.get('/login?next=%2F%09%2Fevil.example')).location).toBe('/inbox');
  });

  it('GET /login?next=… anonymous carries only a safe next into the form', async () => {
    const c = new Client(s.base);
    const page = await c.get(`/login?next=${encodeURIComponent('/\t/evil.example')}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('evil.example');
  });

  it('POST /login with each next: never a 500, never off-site', async () => {
    const c = new Client(s.base);
    await c.get('/login');
    for (const next of [...OFFSITE, ...KEPT.map(([n]) => n)]) {
      const res = await c.post('/login', { username: 'deputy2', password: DEMO_PASSWORD, next });
      expect(res.status, JSON.stringify(next)).toBe(303);
      const expected = KEPT.find(([n]) => n === next)?.[1] ?? '/inbox';
      expect(res.location, JSON.stringify(next)).toBe(expected);
      await c.get('/login'); // logged in now: the next form post needs a fresh token
      await c.post('/logout', {});
      await c.get('/login');
    }
  });
});

describe('a login flood', () => {
  let place: TestDatabase;
  let s: Srv;
  let token: string;
  beforeAll(async () => {
    place = await testDatabase(undefined, 'lvzhi-sec-flood-');
    // Default limits; behind a proxy, so the test can speak for many client addresses.
    s = await serve(place, { app: { trustProxy: true } });
    token = (await tokenCall(s.base, 'deputy1', DEMO_PASSWORD, { 'x-forwarded-for': '10.9.9.9' })).token!;
  });
  afterAll(async () => {
    await s?.close();
    await place?.cleanup();
  });

  const inbox = async (): Promise<{ status: number; json: { items?: unknown[]; total?: number } }> => {
    const res = await fetch(`${s.base}/api/v1/inbox?list=started`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as { items?: unknown[]; total?: number } };
  };

  it('200 failed logins at once from one address: the limiter answers 429 to all but 20, and an API call made meanwhile is served', async () => {
    const expected = await inbox();
    expect(expected.status).toBe(200);
    const before = s.engine.authLoad().checks;
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const [results, during] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, (_, i) => tokenCall(s.base, `flood${i % 50}`, 'wrong', from))),
      Promise.all(Array.from({ length: 5 }, () => inbox())),
    ]);
    const limited = results.filter((r) => r.code === 'LVZ_AUTH_RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(180);
    for (const r of limited) {
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    expect(s.engine.authLoad().checks - before).toBeLessThanOrEqual(20);
    for (const d of during) expect(d).toEqual(expected);
    // Attempts the hash queue turned away cost nothing: use up what they gave back, one by one.
    for (let i = 0; i < 20 && (await tokenCall(s.base, 'flood0', 'wrong', from)).code !== 'LVZ_AUTH_RATE_LIMITED'; i++);
    // The web form from that address is refused the same way, in zh-CN, with Retry-After.
    const c = new Client(s.base);
    await c.get('/login', from);
    const page = await c.post('/login', { username: 'deputy2', password: DEMO_PASSWORD }, { headers: from });
    expect(page.status).toBe(429);
    expect(page.text).toContain('登录尝试过于频繁');
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held up by it.
    expect((await tokenCall(s.base, 'deputy2', DEMO_PASSWORD, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(201);
  });

  it('failed logins from many addresses meet the global limit; time brings it back', async () => {
    const before = s.engine.authLoad().checks;
    const results = [];
    // Waves smaller than the hash queue, so every refusal here is the global bucket's.
    for (let wave = 0; wave < 5; wave++) {
      results.push(...await Promise.all(Array.from({ length: 15 }, (_, i) =>
        tokenCall(s.base, `spread${wave}-${i}`, 'wrong', { 'x-forwarded-for': `192.0.2.${wave * 15 + i}` }))));
    }
    expect(s.engine.authLoad().checks - before).toBeLessThanOrEqual(60);
    expect(results.filter((r) => r.code === 'LVZ_AUTH_RATE_LIMITED').length).toBeGreaterThanOrEqual(15);
    const refused = await tokenCall(s.base, 'deputy3', DEMO_PASSWORD, { 'x-forwarded-for': '198.51.100.2' });
    expect(refused).toMatchObject({ status: 429, code: 'LVZ_AUTH_RATE_LIMITED' });
    s.clock.now = new Date(s.clock.now.getTime() + 60_000);
    expect((await tokenCall(s.base, 'deputy3', DEMO_PASSWORD, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(201);
  });

  it('right passwords do not use up an address\'s budget (an office behind one address)', async () => {
    s.clock.now = new Date(s.clock.now.getTime() + 60 * 60_000);
    const office = { 'x-forwarded-for': '198.51.100.50' };
    for (let i = 0; i < 25; i++) expect((await tokenCall(s.base, 'review1', DEMO_PASSWORD, office)).status).toBe(201);
  });
});

describe('password hashing and readiness', () => {
  it('the hash gate runs at most its slots at once and queues a bounded number', async () => {
    const gate = createHashGate(2, 3);
    const tickets = Array.from({ length: 5 }, () => gate.enter()!);
    expect(gate.enter()).toBeUndefined();
    expect(gate.load()).toEqual({ running: 2, queued: 3, queueMax: 3 });
    tickets[3]!.release(); // leaves the queue without ever running
    tickets[0]!.release(); // hands its slot to the first in line
    await tickets[2]!.ready;
    expect(gate.load()).toEqual({ running: 2, queued: 1, queueMax: 3 });
    for (const t of tickets) t.release();
    expect(gate.load()).toEqual({ running: 0, queued: 0, queueMax: 3 });
  });

  it('readiness is "saturated" when half the hash queue waits or the event loop stalls', () => {
    const limits = { maxLoopDelayMs: 1000 };
    expect(saturation({ queued: 0, queueMax: 16 }, 20, limits)).toBeUndefined();
    expect(saturation({ queued: 8, queueMax: 16 }, 20, limits)).toBe('password_hashing');
    expect(saturation({ queued: 0, queueMax: 16 }, 1500, limits)).toBe('event_loop');
    expect(saturation({ queued: 0, queueMax: 16 }, 1500, { maxLoopDelayMs: 0 })).toBeUndefined();
  });

  it('/readyz answers 503 saturated after the event loop stalled, while /healthz stays 200', async () => {
    const place = await testDatabase(undefined, 'lvzhi-sec-ready-');
    const s = await serve(place);
    try {
      expect((await fetch(`${s.base}/readyz`)).status).toBe(200);
      const until = performance.now() + 1300;
      while (performance.now() < until) { /* a stall, as a runaway computation would cause */ }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const ready = await fetch(`${s.base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'saturated', reason: 'event_loop' });
      expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
      await place.cleanup();
    }
  });
});

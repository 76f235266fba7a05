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
import knexFactory from 'knex';
import { openDb, sqlitePath } from '../../engine/store/db.ts';
import { migrations } from '../../engine/store/migrations/index.ts';
import { apiTokenAuth } from '../../engine/auth/api-tokens.ts';
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

describe('API tokens: deletion, scope and expiry; sessions: absolute limit', () => {
  let place: TestDatabase;
  let s: Srv;
  beforeAll(async () => {
    place = await testDatabase(undefined, 'lvzhi-sec-tokens-');
    s = await serve(place);
  });
  afterAll(async () => {
    await s?.close();
    await place?.cleanup();
  });

  const call = async (method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${s.base}/api/v1${url}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const newToken = async (username: string, extra: Record<string, unknown> = {}): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${s.base}/api/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD, ...extra }),
    });
    return { status: res.status, json: await res.json() };
  };

  it("deleting another user's token, or one that does not exist, is 404 and deletes nothing", async () => {
    const owner = await loginAs(s.base, 'deputy1');
    const made = await owner.post('/settings/tokens', {});
    const token = /id="new-token">([^<]+)</.exec(made.text)![1]!;
    const id = /action="\/settings\/tokens\/([^"/]+)\/delete"/.exec(made.text)![1]!;
    const other = await loginAs(s.base, 'deputy2');
    await other.get('/settings');
    const theft = await other.post(`/settings/tokens/${id}/delete`, {});
    expect(theft.status).toBe(404);
    expect(theft.text).not.toContain('令牌已删除');
    expect((await other.post('/settings/tokens/no-such-token/delete', {})).status).toBe(404);
    expect((await call('GET', '/inbox', token)).status).toBe(200); // still there
    await owner.get('/settings');
    expect((await owner.post(`/settings/tokens/${id}/delete`, {})).status).toBe(303);
    expect((await call('GET', '/inbox', token)).status).toBe(401);
  });

  it('a read-only token reads but is refused (403 LVZ_AUTH_TOKEN_SCOPE) on every call that changes something', async () => {
    const read = await newToken('deputy3', { scope: 'read' });
    expect(read.status).toBe(201);
    expect(read.json.scope).toBe('read');
    const r = read.json.token as string;
    expect((await call('GET', '/inbox?list=started', r)).status).toBe(200);
    expect((await call('GET', '/workflows', r)).status).toBe(200);
    const before = (await call('GET', '/inbox?list=started', r)).json.total;
    const attempts = [
      await call('POST', '/workflows/suggestion/instances', r, { event: 'submit', data: { title: '只读令牌', content: '内容' } }),
      await call('POST', '/instances/x/remind', r, {}),
      await call('POST', '/tasks/x/complete', r, { event: 'submit', version: 1 }),
      await call('POST', '/tasks/x/actions', r, { action: 'remind' }),
    ];
    for (const a of attempts) {
      expect(a.status).toBe(403);
      expect(a.json.error.code).toBe('LVZ_AUTH_TOKEN_SCOPE');
      expect(a.json.error.message).toContain('只能读取');
    }
    expect((await call('GET', '/inbox?list=started', r)).json.total).toBe(before);
    const write = (await newToken('deputy3', { scope: 'write' })).json.token as string;
    expect((await call('POST', '/workflows/suggestion/instances', write, { event: 'submit', data: { title: '读写令牌', content: '内容' } })).status).toBe(201);
  });

  it('tokens expire: 90 days by default, as chosen up to a year, then 401 LVZ_AUTH_TOKEN_EXPIRED', async () => {
    const t0 = s.clock.now.getTime();
    const byDefault = await newToken('deputy4');
    expect(byDefault.json).toMatchObject({ scope: 'write', expiresAt: new Date(t0 + 90 * 86_400_000).toISOString() });
    const short = await newToken('deputy4', { expiresInDays: 1 });
    expect(short.json.expiresAt).toBe(new Date(t0 + 86_400_000).toISOString());
    for (const bad of [0, 366, 1.5, 'x']) {
      const res = await newToken('deputy4', { expiresInDays: bad });
      expect(res.status, String(bad)).toBe(400);
    }
    expect((await newToken('deputy4', { scope: 'admin' })).status).toBe(400);
    s.clock.now = new Date(t0 + 86_400_000 - 1000);
    expect((await call('GET', '/inbox', short.json.token)).status).toBe(200);
    s.clock.now = new Date(t0 + 86_400_000);
    const expired = await call('GET', '/inbox', short.json.token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('LVZ_AUTH_TOKEN_EXPIRED');
    expect((await call('GET', '/inbox', byDefault.json.token)).status).toBe(200);
    s.clock.now = new Date(t0 + 90 * 86_400_000);
    expect((await call('GET', '/inbox', byDefault.json.token)).json.error.code).toBe('LVZ_AUTH_TOKEN_EXPIRED');
    s.clock.now = new Date(t0);
  });

  it('the settings page makes a token with the chosen scope and expiry and lists both', async () => {
    const c = await loginAs(s.base, 'review1');
    const page = await c.get('/settings');
    expect(page.text).toContain('name="scope"');
    expect(page.text).toContain('name="expiresInDays"');
    const made = await c.post('/settings/tokens', { scope: 'read', expiresInDays: '30' });
    expect(made.status).toBe(200);
    const token = /id="new-token">([^<]+)</.exec(made.text)![1]!;
    expect(made.text).toContain('只读');
    expect(made.text).toContain('到期时间');
    expect((await call('POST', '/instances/x/remind', token, {})).status).toBe(403);
    s.clock.now = new Date(s.clock.now.getTime() + 30 * 86_400_000);
    expect((await call('GET', '/inbox', token)).json.error.code).toBe('LVZ_AUTH_TOKEN_EXPIRED');
    const c2 = await loginAs(s.base, 'review1');
    expect((await c2.get('/settings')).text).toContain('已过期');
    expect((await c2.post('/settings/tokens', { scope: 'root', expiresInDays: '30' })).status).toBe(400);
  });

  it('a web session ends 12 hours after the login even while in use', async () => {
    const c = await loginAs(s.base, 'deputy5');
    const start = s.clock.now.getTime();
    try {
      for (let m = 60; m < 12 * 60; m += 60) {
        s.clock.now = new Date(start + m * 60_000);
        expect((await c.get('/inbox')).status, `after ${m} minutes`).toBe(200);
      }
      s.clock.now = new Date(start + 12 * 3600_000);
      const res = await c.get('/inbox');
      expect(res.status).toBe(303);
      expect(res.location).toMatch(/^\/login\?next=/);
    } finally {
      s.clock.now = new Date(start);
    }
  });
});

describe('cookies and HSTS', () => {
  let place: TestDatabase;
  beforeAll(async () => { place = await testDatabase(undefined, 'lvzhi-sec-https-'); });
  afterAll(async () => place?.cleanup());

  async function loginCookies(base: string, headers: Record<string, string> = {}): Promise<{ setCookie: string; hsts: string | null }> {
    const c = new Client(base);
    await c.get('/login', headers);
    const res = await c.post('/login', { username: 'deputy1', password: DEMO_PASSWORD }, { headers });
    expect(res.status).toBe(303);
    return { setCookie: res.headers.getSetCookie().find((l) => l.startsWith('lvzhi_sid='))!, hsts: res.headers.get('strict-transport-security') };
  }

  it('plain http (npm start on localhost): cookies work without Secure, no HSTS', async () => {
    const s = await serve(place);
    try {
      const { setCookie, hsts } = await loginCookies(s.base);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).not.toMatch(/;\s*Secure/i);
      expect(hsts).toBeNull();
      // A forwarded header from an untrusted client changes nothing.
      expect((await loginCookies(s.base, { 'x-forwarded-proto': 'https' })).hsts).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('behind a TLS proxy (TRUST_PROXY, X-Forwarded-Proto: https): Secure cookies and HSTS without SECURE_COOKIES', async () => {
    const s = await serve(place, { app: { trustProxy: true } });
    try {
      const { setCookie, hsts } = await loginCookies(s.base, { 'x-forwarded-proto': 'https' });
      expect(setCookie).toMatch(/;\s*Secure/i);
      expect(hsts).toBe('max-age=31536000; includeSubDomains');
      expect((await loginCookies(s.base, { 'x-forwarded-proto': 'http' })).hsts).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('PUBLIC_URL=https://…: Secure cookies and HSTS on every response, the pre-login cookie too', async () => {
    const s = await serve(place, { app: { publicUrl: 'https://lvzhi.example.gov.cn' } });
    try {
      const first = await fetch(`${s.base}/login`);
      expect(first.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      for (const line of first.headers.getSetCookie()) expect(line).toMatch(/;\s*Secure/i);
      expect((await loginCookies(s.base)).setCookie).toMatch(/;\s*Secure/i);
    } finally {
      await s.close();
    }
  });
});

describe('migration 012_auth_limits', () => {
  it('keeps tokens made before it working (write) and gives them 90 days from the upgrade', async () => {
    const place = await testDatabase(undefined, 'lvzhi-sec-mig-');
    const old = knexFactory(place.databaseUrl
      ? { client: 'pg', connection: place.databaseUrl }
      : { client: 'sqlite3', connection: { filename: sqlitePath(place.dataDir) }, useNullAsDefault: true });
    try {
      const before = Object.keys(migrations).sort().filter((n) => n < '012');
      await old.migrate.latest({ migrationSource: { getMigrations: async () => before, getMigrationName: (n: string) => n, getMigration: async (n: string) => migrations[n]! } });
      await old('orgs').insert({ id: 'o', name: '机关', kind: 'office', sort: 0 });
      await old('users').insert({ id: 'u', name: '用户', org_id: 'o', roles: '[]', password_hash: 'x', is_demo: false, created_at: T0 });
      await old('api_tokens').insert({ id: 't', user_id: 'u', token_hash: 'h', created_at: T0, last_used_at: null });
    } finally {
      await old.destroy();
    }
    const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
    try {
      const row = await db('api_tokens').where({ id: 't' }).first();
      expect(row.scope).toBe('write');
      // The database's clock, not the test's: 90 days from the moment of the upgrade.
      const days = (Date.parse(row.expires_at) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThan(90.1);
      expect(row.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(await apiTokenAuth(db, 'lvz_unknown', new Date(T0))).toBeUndefined();
    } finally {
      await db.destroy();
      await place.cleanup();
    }
  });
});

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

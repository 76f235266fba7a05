// health.test.ts: the balancer's probes (server/routes/health.ts). /healthz answers while the
// process does; /readyz follows the database and the drain; neither reads a session, sets a cookie,
// is cached, or writes a line to the info log.

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isLvzError } from '../../engine/errors.ts';
import { ping } from '../../engine/store/db.ts';
import { buildApp } from '../../server/app.ts';
import { SESSION_COOKIE } from '../../server/session.ts';
import { openTestDb } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => s?.close());

interface Probe { status: number; body: Record<string, string>; res: Response }

async function probe(path: string, headers: Record<string, string> = {}): Promise<Probe> {
  const res = await fetch(s.base + path, { headers });
  return { status: res.status, body: await res.json() as Record<string, string>, res };
}

/** What every probe answer carries, whatever its status. */
function expectProbeHeaders(res: Response): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.getSetCookie()).toEqual([]);
}

describe('/healthz and /readyz', () => {
  it('/healthz answers 200 ok, uncached and without a cookie', async () => {
    const live = await probe('/healthz');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    expectProbeHeaders(live.res);
  });

  it('/readyz answers 200 with the database ok, uncached and without a cookie', async () => {
    const ready = await probe('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'ok' });
    expectProbeHeaders(ready.res);
  });

  it('reads no session, even with a session cookie, where a page does (and sets its pre-session cookie)', async () => {
    const session = vi.spyOn(s.engine, 'session');
    try {
      const cookie = { cookie: `${SESSION_COOKIE}=not-a-session` };
      for (const path of ['/healthz', '/readyz', '/readyz/', '/healthz?probe=1']) {
        const p = await probe(path, cookie);
        expect(p.status, path).toBe(200);
        expect(p.res.headers.getSetCookie(), path).toEqual([]);
      }
      expect(session).not.toHaveBeenCalled();
      // The same request to a page does both: the assertions above can fail.
      const page = await fetch(`${s.base}/login`, { headers: cookie });
      expect(session).toHaveBeenCalledWith('not-a-session');
      expect(page.headers.getSetCookie().length).toBeGreaterThan(0);
    } finally {
      session.mockRestore();
    }
  });

  it('/readyz answers 503 draining once shutdown() has set the flag, without asking the database; /healthz stays 200', async () => {
    const ping = vi.spyOn(s.engine, 'ping');
    s.app.draining = true; // what main.ts shutdown() does before app.close()
    try {
      const ready = await probe('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'draining' });
      expectProbeHeaders(ready.res);
      expect(ping).not.toHaveBeenCalled();
      expect((await probe('/healthz')).status).toBe(200);
    } finally {
      s.app.draining = false;
      ping.mockRestore();
    }
    expect((await probe('/readyz')).status).toBe(200);
  });

  it('keeps probes out of the info log, where a page request is logged', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const app = await buildApp({ engine: s.engine, dataDir: s.dataDir, logger: { level: 'info', stream } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(lines.filter((l) => /healthz|readyz/.test(l))).toEqual([]);
      await fetch(`${base}/login`);
      expect(lines.some((l) => l.includes('/login'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  // Last: it closes the engine's database for good.
  it('/readyz answers 503 with a zh-CN reason once the database is gone; /healthz stays 200', async () => {
    await s.engine.close();
    const ready = await probe('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('unavailable');
    expect(ready.body.database).toBe('无法访问数据库，原因见服务日志');
    expectProbeHeaders(ready.res);
    const live = await probe('/healthz');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
  });
});

describe('ping (engine/store/db.ts)', () => {
  it('gives up after its time limit when no connection is free, and answers again once one is', async () => {
    const t = await openTestDb();
    // Every connection of the pool held by an open transaction: the query waits for one.
    const max = (t.db.client.config.pool as { max: number }).max;
    const held = [];
    for (let i = 0; i < max; i++) held.push(await t.db.transaction());
    try {
      const started = Date.now();
      const late = await ping(t.db, 200).then(() => undefined, (e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(isLvzError(late) && late.code).toBe('LVZ_STORE_UNAVAILABLE');
      expect((late as Error).message).toBe('数据库 0.2 秒内没有响应');
    } finally {
      for (const trx of held) await trx.rollback();
    }
    await expect(ping(t.db, 2_000)).resolves.toBeUndefined();
    await t.cleanup();
  });
});

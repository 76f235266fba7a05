// login-lock.test.ts (PostgreSQL pass only; issue 12): two `lvzhi serve` processes on one
// database, 100 simultaneous guesses for one name split across both, the right password among
// them: the two processes together check at most five passwords (read from each one's /metrics),
// and the right password sent afterwards is refused while the name is locked.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';
import { spawnServer, type ServerProcess } from '../helpers/spawn.ts';

const METRICS = 'login-lock-metrics-token-0123456789';
// Behind a (pretend) proxy, so each guess comes from its own address and only the lock decides.
const ENV = { METRICS_TOKEN: METRICS, TRUST_PROXY: '1' };

async function guess(s: ServerProcess, password: string, from: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${s.base}/api/v1/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username: 'deputy4', password }),
  });
  return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
}

let place: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
beforeAll(async () => {
  place = await testDatabase('postgres', 'lvzhi-lock-');
  [a, b] = await Promise.all([spawnServer(place, { env: ENV }), spawnServer(place, { env: ENV })]);
});
afterAll(async () => {
  await Promise.all([a?.kill('SIGKILL'), b?.kill('SIGKILL')]);
  await place?.cleanup();
});

async function checks(s: ServerProcess): Promise<number> {
  const text = await (await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } })).text();
  return Number(/^lvzhi_password_checks_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe('the login lock across two server processes on one PostgreSQL', () => {
  it('100 simultaneous guesses split over both check at most 5 passwords; then the right one is refused', async () => {
    const before = (await checks(a)) + (await checks(b));
    expect(Number.isNaN(before)).toBe(false);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      guess([a, b][i % 2]!, i === 99 ? DEMO_PASSWORD : `wrong-${i}`, `10.1.${i >> 8}.${i & 255}`)));
    const after = (await checks(a)) + (await checks(b));
    expect(after - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(5);
    // 429: the lock, or (a burst larger than a process's hash queue) the queue turning some away.
    for (const r of results.filter((x) => x.status === 429)) expect(['LVZ_AUTH_LOCKED', 'LVZ_AUTH_RATE_LIMITED']).toContain(r.code);
    for (const s of [a, b]) expect(await guess(s, DEMO_PASSWORD, '10.2.0.1')).toEqual({ status: 429, code: 'LVZ_AUTH_LOCKED' });
  });
});

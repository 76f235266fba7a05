// timers.test.ts (PostgreSQL pass only): 1,000 due timers fired by two `lvzhi serve` processes,
// one of them killed with SIGKILL while it is firing; a process started later (its clock past
// the dead one's leases) fires what the dead one held. Each timer fires exactly once: one
// timer.remind event per timer in the history, none missing, none twice.

import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index.ts';
import { openDb } from '../../engine/store/db.ts';
import { insertTimers, type TimerRow } from '../../engine/store/process/index.ts';
import { DEMO_PASSWORD } from '../../engine/store/seed/demo.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { halfApplied } from '../helpers/invariants.ts';
import { FAKE_NOW, spawnServer, type ServerProcess } from '../helpers/spawn.ts';

const TIMERS = 1000;
const INSTANCES = 50;

let place: TestDatabase;
let db: Knex;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  place = await testDatabase('postgres', 'lvzhi-timers-');
  // 50 suggestions waiting in review, started on the servers' clock.
  const engine = await createEngine({ dataDir: place.dataDir, databaseUrl: place.databaseUrl, demo: true, now: () => new Date(FAKE_NOW) });
  const { actor } = await engine.login('deputy1', DEMO_PASSWORD);
  for (let i = 0; i < INSTANCES; i++) {
    await engine.start(actor, 'suggestion', { event: 'submit', version: 0, input: { title: `计时 ${i}`, content: '内容' } });
  }
  await engine.close();
  db = await openDb({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  await db?.destroy();
  await place?.cleanup();
});

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function count(q: Knex.QueryBuilder): Promise<number> {
  const [{ n }] = await q.count({ n: '*' });
  return Number(n);
}

const ours = (): Knex.QueryBuilder => db('timers').where('id', 'like', 'mt-%');

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${servers.map((s) => s.output()).join('\n')}`);
    await wait(10);
  }
}

describe('1,000 timers on two processes, one killed while firing', () => {
  it('fires every timer exactly once', async () => {
    const env = { TIMER_INTERVAL_MS: '100' };
    const [p1, p2] = await Promise.all([spawnServer(place, { env }), spawnServer(place, { env })]);
    servers.push(p1!, p2!);
    // The timers fall due only now, so both processes are up and take them together.
    const instances = await db('instances').select('id', 'state', 'snapshot');
    const due = new Date(Date.parse(FAKE_NOW) - 60_000).toISOString();
    const rows: TimerRow[] = Array.from({ length: TIMERS }, (_, k) => {
      const inst = instances[k % instances.length]!;
      return {
        id: `mt-${String(k).padStart(4, '0')}`, instanceId: inst.id, taskId: null, state: inst.state,
        visit: JSON.parse(inst.snapshot).visits[inst.state], kind: 'remind', fireAt: due, status: 'pending',
        payload: { note: '测试提醒' }, leaseOwner: null, leaseUntil: null, firedAt: null, attempts: 0, lastError: null,
      };
    });
    for (let k = 0; k < rows.length; k += 200) await insertTimers(db, rows.slice(k, k + 200));

    await until('300 timers fired', async () => (await count(ours().where('status', 'fired'))) >= 300);
    await p1!.kill('SIGKILL');
    const owner1 = `:${p1!.pid}`;
    const firedBy = async (suffix: string): Promise<number> => count(ours().where('status', 'fired').where('lease_owner', 'like', `%${suffix}`));
    expect(await firedBy(owner1)).toBeGreaterThan(0);

    // The survivor fires everything except what the dead process still held a lease on.
    await until('the survivor to finish', async () =>
      (await count(ours().where('status', 'pending').whereNot('lease_owner', 'like', `%${owner1}`))) === 0
      && (await count(ours().where('status', 'pending').whereNull('lease_owner'))) === 0);
    expect(await firedBy(`:${p2!.pid}`)).toBeGreaterThan(0);
    const strandedIds = (await ours().where('status', 'pending').select('id')).map((r: { id: string }) => r.id);
    const stranded = strandedIds.length;

    // A process started after the leases ran out (its clock 2 minutes on) takes those.
    const p3 = await spawnServer(place, { env: { ...env, LVZHI_FAKE_NOW: new Date(Date.parse(FAKE_NOW) + 120_000).toISOString() } });
    servers.push(p3);
    await until('every timer fired', async () => (await count(ours().where('status', 'pending'))) === 0);
    if (stranded > 0) {
      // Said on failure: who fired what, and whether any ended other than fired.
      const byOwner = await ours().select('status', 'lease_owner').count({ n: '*' }).groupBy('status', 'lease_owner');
      const why = `stranded ${stranded}; p1 ${p1!.pid}, p2 ${p2!.pid}, p3 ${p3.pid}; timers by status and owner: ${JSON.stringify(byOwner)}`;
      // Once their leases ran out, the ones the dead process held are fired by a live process: the new
      // one, or the survivor if its clock passes the lease first (a loaded machine starts p3 slowly).
      const takers = await ours().whereIn('id', strandedIds).select('status', 'lease_owner');
      expect(takers.filter((t: { status: string; lease_owner: string }) => t.status !== 'fired' || t.lease_owner.endsWith(owner1)), why).toEqual([]);
      expect(await firedBy(`:${p3.pid}`) + (await count(ours().whereIn('id', strandedIds).where('lease_owner', 'like', `%:${p2!.pid}`))), why).toBe(stranded);
    }

    const events = await db('events').where('type', 'timer.remind').select('payload');
    const perTimer = new Map<string, number>();
    for (const e of events) {
      const id = JSON.parse(e.payload).timerId as string;
      if (id.startsWith('mt-')) perTimer.set(id, (perTimer.get(id) ?? 0) + 1);
    }
    expect(perTimer.size).toBe(TIMERS);
    expect([...perTimer.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(await count(ours().where('status', 'fired'))).toBe(TIMERS);
    expect(await halfApplied(db)).toEqual([]);
  }, 60_000);
});

// rehearsal.test.ts: the operators' rehearsal clock (LVZHI_REHEARSAL_START / _SPEED) on a real
// `lvzhi serve`: the banner on every page, a clock faster than real time that the engine writes
// with, no step back over a restart, and a refusal on a production database. On the pass's database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { Client, loginAs } from '../helpers/http.ts';
import { lvzhiWith } from '../helpers/cli.ts';
import { api, apiToken, spawnServer, type ServerProcess } from '../helpers/spawn.ts';

const START = '2027-01-10T09:00:00+08:00';
// One real second is one rehearsal hour: a couple of seconds show the difference beyond doubt.
const REHEARSAL = { LVZHI_FAKE_NOW: '', LVZHI_REHEARSAL_START: START, LVZHI_REHEARSAL_SPEED: '3600' };

const places: TestDatabase[] = [];
const servers: ServerProcess[] = [];
async function place(prefix: string): Promise<TestDatabase> {
  const p = await testDatabase(undefined, prefix);
  places.push(p);
  return p;
}
async function serve(p: TestDatabase, demo = true): Promise<ServerProcess> {
  const s = await spawnServer(p, { env: REHEARSAL, demo });
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.kill();
  for (const p of places) await p.cleanup();
});

/** The banner's rehearsal time (Beijing, to the minute) in ms since the epoch. */
function bannerTime(html: string): number {
  const m = /演练环境：系统时间为 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})（北京时间）/.exec(html);
  if (!m) throw new Error(`no rehearsal banner in:\n${html.slice(0, 600)}`);
  return Date.parse(`${m[1]!.replace(' ', 'T')}:00+08:00`);
}

describe('the rehearsal clock', () => {
  let p: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    p = await place('lvzhi-rehearsal-');
    server = await serve(p);
  }, 60_000);

  it('logs itself on start and shows the banner on every page, with a time ahead of the start', async () => {
    expect(server.output()).toContain('lvzhi: 演练环境：系统时间为 2027-01-');
    const c = new Client(server.base);
    const login = await c.get('/login');
    expect(login.text).toContain('class="rehearsal-banner"');
    expect(bannerTime(login.text)).toBeGreaterThanOrEqual(Date.parse(START));
    const deputy = await loginAs(server.base, 'deputy1');
    expect((await deputy.get('/inbox')).text).toContain('演练环境：系统时间为 2027-01-');
  }, 60_000);

  it('runs faster than real time, and the engine writes at rehearsal time', async () => {
    const c = new Client(server.base);
    const first = bannerTime((await c.get('/login')).text);
    const afterFirst = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    const beforeSecond = Date.now();
    const second = bannerTime((await c.get('/login')).text);
    // The server read its clock at least (beforeSecond - afterFirst) real ms apart; at 3600× that is
    // hours of rehearsal time (less the banner's rounding to the minute).
    expect(second - first).toBeGreaterThanOrEqual((beforeSecond - afterFirst) * 3600 - 60_000);

    const token = await apiToken(server.base, 'deputy1');
    const started = await api(server.base, 'POST', '/workflows/suggestion/instances', { token, body: { event: 'submit', data: { title: '演练中的建议', content: '内容' } } });
    expect(started.status).toBe(201);
    const db = await openDb({ dataDir: p.dataDir, ...(p.databaseUrl && { databaseUrl: p.databaseUrl }) });
    try {
      const inst = await db('instances').where({ id: started.json.instanceId }).first();
      expect(Date.parse(String(inst.created_at))).toBeGreaterThanOrEqual(Date.parse(START));
      // Its deadlines are counted from rehearsal time, so the scheduler (which asks the same clock) fires them then.
      const timers = await db('timers').where({ instance_id: started.json.instanceId });
      expect(timers.length).toBeGreaterThan(0);
      for (const t of timers) expect(Date.parse(String(t.fire_at))).toBeGreaterThan(Date.parse(START));
      expect(await db('install_marks').where({ key: 'mode' }).first()).toMatchObject({ value: 'rehearsal' });
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it('goes on from where it was after a restart, never back to the start', async () => {
    const before = bannerTime((await new Client(server.base).get('/login')).text);
    await server.kill();
    server = await serve(p);
    expect(bannerTime((await new Client(server.base).get('/login')).text)).toBeGreaterThanOrEqual(before);
  }, 60_000);
});

describe('a production database', () => {
  it('refuses the rehearsal clock with a clear message and exit code 2, writing nothing', async () => {
    const p = await place('lvzhi-prod-');
    const env = { DATA_DIR: p.dataDir, DATABASE_URL: p.databaseUrl };
    const made = await lvzhiWith({ env, input: '一个足够长的正式密码2026\n' }, 'admin', 'create', 'boss');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('这个数据库是正式环境');
    const refused = await serve(p, false).then(() => 'started', (e: Error) => e.message);
    expect(refused).toContain('server exited (2)');
    expect(refused).toContain('LVZ_RUN_PRODUCTION_DB');
    expect(refused).toContain('npx lvzhi admin create --rehearsal');
    const rehearsalAdmin = await lvzhiWith({ env, input: '一个足够长的演练密码2026\n' }, 'admin', 'create', 'trainer', '--rehearsal');
    expect(rehearsalAdmin.code).toBe(1);
    expect(rehearsalAdmin.stderr).toContain('LVZ_RUN_PRODUCTION_DB');
    const db = await openDb({ dataDir: p.dataDir, ...(p.databaseUrl && { databaseUrl: p.databaseUrl }) });
    try {
      expect(await db('install_marks').where({ key: 'rehearsal_clock' }).first()).toBeUndefined();
      expect((await db('users').select('id')).map((u) => u.id)).toEqual(['boss']);
    } finally {
      await db.destroy();
    }
  }, 90_000);
});

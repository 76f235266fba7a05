// admin-create.test.ts: the first administrator of a production install, through the real CLI
// (`node bin/lvzhi.mjs admin …`, password on stdin) against a real `lvzhi serve` without --demo
// on an empty database: the login page's hint, logging in as the new admin, weak and duplicate
// refusals with their exit codes, and reset-password lifting a login lock. On the pass's database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { Client } from '../helpers/http.ts';
import { lvzhiWith } from '../helpers/cli.ts';
import { spawnServer, type ServerProcess } from '../helpers/spawn.ts';

const PASSWORD = '春风又绿江南岸-2026';

let place: TestDatabase;
let server: ServerProcess | undefined;
beforeAll(async () => { place = await testDatabase(undefined, 'lvzhi-admin-'); }, 30_000);
afterAll(async () => {
  await server?.kill();
  await place?.cleanup();
});

function admin(input: string, ...args: string[]) {
  return lvzhiWith({ env: { DATA_DIR: place.dataDir, DATABASE_URL: place.databaseUrl }, input }, 'admin', ...args);
}

async function counts(): Promise<{ users: number; orgs: number }> {
  const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  try {
    const n = async (t: string) => Number((await db(t).count({ n: '*' }).first())?.n ?? 0);
    return { users: await n('users'), orgs: await n('orgs') };
  } finally {
    await db.destroy();
  }
}

describe('lvzhi admin create on an empty production install', () => {
  it('the login page and the start-up notice say what to run while there is no admin', async () => {
    server = await spawnServer(place, { demo: false });
    // The notice follows the start line (on stderr): wait for it rather than for a time.
    for (let i = 0; i < 100 && !server.output().includes('尚未创建管理员账号'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).toContain('lvzhi: 注意：尚未创建管理员账号：请在服务器上运行 npx lvzhi admin create <用户名>');
    const page = await new Client(server.base).get('/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('尚未创建管理员账号');
    expect(page.text).toContain('npx lvzhi admin create &lt;用户名&gt;');
  }, 60_000);

  it('refuses a weak password, naming the rule, and writes nothing', async () => {
    for (const [pw, says] of [['short-pw', '至少 12 个字符'], ['zhangsan-2026-x', '不能包含用户名'], ['123456789012', '常见密码']] as const) {
      const r = await admin(`${pw}\n`, 'create', 'zhangsan');
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain('LVZ_AUTH_WEAK_PASSWORD');
      expect(r.stderr).toContain(says);
    }
    expect(await counts()).toEqual({ users: 0, orgs: 0 });
  }, 60_000);

  it('creates a city administrator from a password on stdin, who logs in and reaches the studio', async () => {
    const r = await admin(`${PASSWORD}\n`, 'create', 'zhangsan', '--name', '张三', '--org', '办公室');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已创建管理员 zhangsan（张三，市人大常委会 / 办公室；市级管理员');
    expect(r.stdout).toMatch(/审计：.*创建管理员 zhangsan/);
    expect(await counts()).toEqual({ users: 1, orgs: 2 });

    const c = new Client(server!.base);
    const login = await c.get('/login');
    expect(login.text).not.toContain('尚未创建管理员账号');
    // Without --demo there are no demo accounts, and the page lists none (zhangsan is a real account).
    expect(login.text).not.toContain('演示账号');
    expect(login.text).not.toContain('zhangsan');
    const inbox = await c.follow(await c.post('/login', { username: 'zhangsan', password: PASSWORD }));
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('张三');
    expect(inbox.text).toContain('href="/admin"');
    expect((await c.get('/admin')).status).toBe(200);
  }, 60_000);

  it('refuses an existing user name with exit code 5 before asking for a password', async () => {
    const r = await admin('', 'create', 'zhangsan');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('LVZ_AUTH_USER_EXISTS');
    expect(r.stderr).toContain('reset-password zhangsan');
    expect(await counts()).toEqual({ users: 1, orgs: 2 });
  }, 60_000);

  it('reset-password sets a new password and lifts the login lock on the name', async () => {
    const c = new Client(server!.base);
    await c.get('/login');
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await c.post('/login', { username: 'zhangsan', password: 'wrong-password-x' })).status;
    expect(last).toBe(429);
    const locked = await c.post('/login', { username: 'zhangsan', password: PASSWORD });
    expect(locked.status).toBe(429);

    const fresh = '夜来风雨声花落知多少';
    const weak = await admin('short\n', 'reset-password', 'zhangsan');
    expect(weak.code).toBe(4);
    const r = await admin(`${fresh}-2026\n`, 'reset-password', 'zhangsan');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('解除了登录锁定');
    const ok = await c.follow(await c.post('/login', { username: 'zhangsan', password: `${fresh}-2026` }));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('张三');
    // A password someone else typed is temporary: the next login goes to 修改密码 first.
    expect(ok.text).toContain('管理员为您设置了临时密码');
  }, 60_000);

  it('reset-password of an unknown name exits 6; bad usage exits 2', async () => {
    const r = await admin('a-long-enough-password\n', 'reset-password', 'nobody');
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('LVZ_AUTH_NO_SUCH_USER');
    expect((await admin('', 'create')).code).toBe(2);
    expect((await admin('', 'reset-password', 'zhangsan', '--org', 'x')).code).toBe(2);
  }, 60_000);
});

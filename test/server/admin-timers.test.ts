// admin-timers.test.ts: 定时任务 over HTTP: the failed timer listed with its instance, step and
// error for a city administrator (a district's admin: only their district's; a deputy gets 403); 重试 with the form's
// token puts it back and the history records it; a second click and a forged post are refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { timersOf } from '../../engine/store/process/index.ts';
import { loginAs, type Client, type TestServer, startServer } from '../helpers/http.ts';

let s: TestServer;
let admin: Client;
let instanceId: string;
let timerId: string;

/** The suggestion's review deadline, as the scheduler leaves it after three failed tries. */
async function failTheDeadline(): Promise<string> {
  const db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  try {
    const t = (await timersOf(db, instanceId)).find((x) => x.kind === 'deadline')!;
    await db('timers').where('id', t.id).update({ status: 'failed', attempts: 3, last_error: 'LVZ_CAL_YEAR_MISSING: 节假日日历缺少 2027 年 <script>alert(1)</script>' });
    return t.id;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  s = await startServer();
  const deputy = await s.engine.login('deputy1', 'lvzhi2026');
  ({ instanceId } = await s.engine.start(deputy.actor, 'suggestion', {
    event: 'submit', version: 0, input: { title: '定时故障页面测试', category: '城乡建设与管理', content: '内容' },
  }));
  timerId = await failTheDeadline();
  admin = await loginAs(s.base, 'admin');
});
afterAll(async () => { await s.close(); });

describe('定时任务', () => {
  it('lists the failed timer for a city administrator, escaped, and links to it from /admin', async () => {
    const list = await admin.get('/admin');
    expect(list.text).toContain('有 1 个定时任务执行失败');
    expect(list.text).toContain('href="/admin/timers"');
    const page = await admin.get('/admin/timers');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="timers-failed">1</);
    expect(page.text).toContain(`href="/instances/${instanceId}"`);
    expect(page.text).toContain('定时故障页面测试');
    expect(page.text).toContain('已试 3 次');
    expect(page.text).toContain('&lt;script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain(`action="/admin/timers/${timerId}/retry"`);
  });

  it('is an administrator\'s page, each seeing their own district\'s timers', async () => {
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get('/admin/timers')).status).toBe(403);
    expect((await deputy.post(`/admin/timers/${timerId}/retry`, {})).status).toBe(403);
    // deputy1's case is 张店区's: its admin sees it; 临淄区's neither sees nor finds it.
    const zd = await loginAs(s.base, 'zhangdian-admin');
    expect((await zd.get('/admin')).text).toContain('href="/admin/timers"');
    const own = await zd.get('/admin/timers');
    expect(own.text).toContain(`action="/admin/timers/${timerId}/retry"`);
    expect(own.text).toContain('id="timers-scope"');
    const lz = await loginAs(s.base, 'linzi-admin');
    const other = await lz.get('/admin/timers');
    expect(other.text).toMatch(/id="timers-failed">0</);
    expect(other.text).not.toContain('定时故障页面测试');
    expect((await lz.post(`/admin/timers/${timerId}/retry`, {})).status).toBe(404);
  });

  it('retries once with the form token; a forged post and a second click are refused', async () => {
    await admin.get('/admin/timers');
    expect((await admin.post(`/admin/timers/${timerId}/retry`, { _csrf: 'forged' })).status).toBe(403);
    const done = await admin.post(`/admin/timers/${timerId}/retry`, {});
    expect(done.status).toBe(303);
    const after = await admin.follow(done);
    expect(after.text).toContain('已重新排入执行');
    expect(after.text).toContain('id="no-failed"');
    const again = await admin.post(`/admin/timers/${timerId}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('这个定时任务已不在故障列表中');
    const history = await admin.get(`/instances/${instanceId}`);
    expect(history.text).toContain('定时处理重新执行');
  });
});

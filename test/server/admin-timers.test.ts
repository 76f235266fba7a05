// admin-timers.test.ts: 定时任务 over HTTP: the failed timer listed with its instance, step and
// error for a city administrator (a district's admin and a deputy get 403); 重试 with the form's
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

  it('is a city administrator\'s page only', async () => {
    for (const user of ['deputy1', 'zhangdian-admin']) {
      const c = await loginAs(s.base, user);
      expect((await c.get('/admin/timers')).status).toBe(403);
      expect((await c.post(`/admin/timers/${timerId}/retry`, {})).status).toBe(403);
    }
    expect((await (await loginAs(s.base, 'zhangdian-admin')).get('/admin')).text).not.toContain('href="/admin/timers"');
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

// instance-move.test.ts: 调整办理步骤 over HTTP: the panel only for administrators, the move with
// the form's token and version, a forged post, a stale page and a missing reason refused with
// nothing changed, and the same over the API.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let admin: Client;
let id: string;

beforeAll(async () => {
  s = await startServer();
  const deputy = await s.engine.login('deputy1', 'lvzhi2026');
  ({ instanceId: id } = await s.engine.start(deputy.actor, 'suggestion', {
    event: 'submit', version: 0, input: { title: '调整步骤测试', category: '城乡建设与管理', content: '内容' },
  }));
  admin = await loginAs(s.base, 'admin');
});
afterAll(async () => { await s.close(); });

describe('调整办理步骤', () => {
  it('is offered to administrators only', async () => {
    const page = await admin.get(`/instances/${id}`);
    expect(page.text).toContain('id="i-move-to"');
    expect(page.text).toMatch(/<option value="review" selected>审查交办（当前步骤，重新进入）<\/option>/);
    expect(page.text).not.toMatch(/<option value="closed"/);
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get(`/instances/${id}`)).text).not.toContain('id="i-move-to"');
    await deputy.get(`/instances/${id}`);
    expect((await deputy.post(`/instances/${id}/move`, { to: 'draft', reason: '试试', _version: '1' })).status).toBe(403);
  });

  it('moves with the token and the page\'s version; refuses a forged post, a stale page and no reason', async () => {
    const page = await admin.get(`/instances/${id}`);
    const version = inputValue(page.text, '_version')!;
    expect((await admin.post(`/instances/${id}/move`, { to: 'draft', reason: '退回补充', _version: version, _csrf: 'forged' })).status).toBe(403);
    const noReason = await admin.post(`/instances/${id}/move`, { to: 'draft', reason: '', _version: version });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('需要填写理由');
    expect((await admin.post(`/instances/${id}/move`, { to: 'draft', reason: '退回补充', _version: String(Number(version) - 1) })).status).toBe(409);
    const done = await admin.post(`/instances/${id}/move`, { to: 'draft', reason: '材料不全，退回补充', _version: version });
    expect(done.status).toBe(303);
    const after = await admin.follow(done);
    expect(after.text).toContain('已调整办理步骤');
    expect(after.text).toContain('管理员调整办理步骤 → 起草建议（理由：材料不全，退回补充）');
    // The task the move made says at its top who moved it here, when and why.
    const deputy = await loginAs(s.base, 'deputy1');
    const taskId = (await s.engine.instance((await s.engine.login('deputy1', 'lvzhi2026')).actor, id)).myTasks[0]!.taskId;
    const task = await deputy.get(`/tasks/${taskId}`);
    expect(task.text).toContain('本件由管理员调整到本环节办理');
    expect(task.text).toMatch(/系统管理员于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 调整办理步骤。/);
    expect(task.text).toContain('调整理由：材料不全，退回补充');
    const again = await admin.post(`/instances/${id}/move`, { to: 'draft', reason: '材料不全，退回补充', _version: version });
    expect(again.status).toBe(409); // a second click: the page's version is gone
  });

  it('works over the API for an administrator', async () => {
    const token = async (username: string) => ((await (await fetch(`${s.base}/api/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'lvzhi2026' }),
    })).json()) as { token: string }).token;
    const bearer = { authorization: `Bearer ${await token('admin')}`, 'content-type': 'application/json' };
    const view = (await (await fetch(`${s.base}/api/v1/instances/${id}`, { headers: bearer })).json()) as { version: number; can: { move: boolean }; moveTargets: { name: string }[] };
    expect(view.can.move).toBe(true);
    expect(view.moveTargets.map((t) => t.name)).toContain('review');
    const res = await fetch(`${s.base}/api/v1/instances/${id}/move`, { method: 'POST', headers: bearer, body: JSON.stringify({ to: 'review', reason: '补充完毕，回到审查', version: view.version }) });
    expect(res.status).toBe(200);
    const bad = await fetch(`${s.base}/api/v1/instances/${id}/move`, { method: 'POST', headers: bearer, body: JSON.stringify({ to: 'closed', reason: '结束', version: view.version + 1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('终止');
  });
});

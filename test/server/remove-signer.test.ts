// remove-signer.test.ts: 减签 on the task page: the waiting owner is offered the signers they added,
// takes one back with the form's token, and has their buttons again; a forged post is refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let unit: Client;
let taskId: string;

beforeAll(async () => {
  s = await startServer();
  const deputy = (await s.engine.login('deputy1', 'lvzhi2026')).actor;
  const { instanceId } = await s.engine.start(deputy, 'suggestion', { event: 'submit', version: 0, input: { title: '减签测试', category: '城乡建设与管理', content: '内容' } });
  const review = (await s.engine.login('review1', 'lvzhi2026')).actor;
  const reviewTask = (await s.engine.inbox(review, 'todo', { page: 1, pageSize: 50 })).items.find((t) => t.instanceId === instanceId)!.taskId;
  const version = (await s.engine.instance(review, instanceId)).version;
  await s.engine.complete(review, reviewTask, { event: 'accept', version, opinion: '同意', input: { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' } });
  unit = await loginAs(s.base, 'fgw1');
  const fgw = (await s.engine.login('fgw1', 'lvzhi2026')).actor;
  taskId = (await s.engine.inbox(fgw, 'todo', { page: 1, pageSize: 50 })).items.find((t) => t.instanceId === instanceId)!.taskId;
});
afterAll(async () => { await s.close(); });

describe('减签', () => {
  it('is offered while a signer added before the owner has not acted, and gives the owner the task back', async () => {
    let page = await unit.get(`/tasks/${taskId}`);
    expect(page.text).not.toContain('id="action-remove_signer"');
    const added = await unit.post(`/tasks/${taskId}/actions/add_signer`, { toUser: 'jyj1', position: 'before', _version: inputValue(page.text, '_version')! });
    expect(added.status).toBe(303);
    page = await unit.get(`/tasks/${taskId}`);
    expect(page.text).toContain('id="action-remove_signer"');
    // The page says whom it waits for, by name.
    expect(page.text).toContain('已加签 陈静，对方办理后，本任务回到您的待办');
    const submits = /name="_event" value="(?!_draft")/;
    expect(page.text).not.toMatch(submits); // waiting: no button but 保存草稿
    const signer = /name="signerTaskId" value="([^"]+)"/.exec(page.text)![1]!;
    const version = inputValue(page.text.slice(page.text.indexOf('id="action-remove_signer"')), '_version')!;
    expect((await unit.post(`/tasks/${taskId}/actions/remove_signer`, { signerTaskId: signer, _version: version, _csrf: 'forged' })).status).toBe(403);
    const done = await unit.post(`/tasks/${taskId}/actions/remove_signer`, { signerTaskId: signer, reason: '无需会签', _version: version });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/tasks/${taskId}`);
    page = await unit.follow(done);
    expect(page.text).toContain('已减签');
    expect(page.text).not.toContain('id="action-remove_signer"');
    expect(page.text).not.toContain('id="waits-for"');
    expect(page.text).toMatch(submits);
  });
});

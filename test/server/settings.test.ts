// settings.test.ts: the settings page (设置) over HTTP: 代理 set, validated and ended, a delegate
// set this way completing the principal's task, 常用语 deleted, an API token shown once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, taskIds, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let review: Client;
let staff: Client;
let deputy: Client;

beforeAll(async () => {
  // 2026-03-02 09:00 in Shanghai.
  s = await startServer();
  [review, staff, deputy] = await Promise.all(['review1', 'staff1', 'deputy1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

const rangeIds = (html: string) => [...html.matchAll(/action="\/settings\/out-of-office\/([^"/]+)\/end"/g)].map((m) => m[1]!);

describe('设置: 代理', () => {
  it('is linked from the header and lists everyone but the user as a possible delegate', async () => {
    const page = await review.get('/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/settings"');
    expect(page.text).toContain('目前没有设置代理');
    expect(page.text).toContain('<option value="staff1"');
    expect(page.text).not.toContain('<option value="review1"');
    expect(inputValue(page.text, 'from')).toBe('2026-03-02');
  });

  it('refuses a post without the CSRF token', async () => {
    await review.get('/settings');
    const res = await review.post('/settings/out-of-office', { delegate: 'staff1', from: '2026-03-02', to: '2026-03-06' }, { csrf: false });
    expect(res.status).toBe(403);
  });

  it('answers bad input with 422, every problem in zh-CN, linked to its field, values kept', async () => {
    await review.get('/settings');
    const res = await review.post('/settings/out-of-office', { delegate: '', from: '2026-03-10', to: '2026-03-05' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('lz-error-summary');
    expect(res.text).toContain('<a href="#f-delegate">请选择代理人</a>');
    expect(res.text).toContain('<a href="#f-to">结束日期不能早于开始日期：请调整日期范围</a>');
    expect(inputValue(res.text, 'from')).toBe('2026-03-10');

    const self = await review.post('/settings/out-of-office', { delegate: 'review1', from: '2026-03-02', to: '2026-02-27' });
    expect(self.status).toBe(422);
    expect(self.text).toContain('不能指定自己为代理人');
    expect(self.text).toContain('结束日期已经过去');

    const bad = await review.post('/settings/out-of-office', { delegate: 'nobody', from: '2026-02-30', to: '' });
    expect(bad.text).toContain('没有找到这位代理人');
    expect(bad.text).toContain('开始日期不是有效的日期');
    expect(bad.text).toContain('请填写结束日期');
  });

  it('a delegate set on the page sees the principal’s task in 待办, completes it, and the history says 代理', async () => {
    await review.get('/settings');
    const set = await review.post('/settings/out-of-office', { delegate: 'staff1', from: '2026-03-02', to: '2026-03-06' });
    expect(set.status, set.text.slice(0, 1500)).toBe(303);
    const listed = await review.follow(set);
    expect(listed.text).toContain('代理已设置');
    expect(listed.text).toContain('郑晓东');
    expect(listed.text).toContain('代理中');

    await deputy.get('/start/suggestion');
    const started = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于增设公交线路的建议', content: '建议内容', category: '城乡建设与管理' });
    expect(started.status).toBe(303);
    const instanceId = decodeURIComponent(started.location!.split('/').pop()!);

    const inbox = await staff.get('/inbox?list=todo');
    expect(inbox.text).toContain('关于增设公交线路的建议');
    const [taskId] = taskIds(inbox.text);
    const task = await staff.get(`/tasks/${taskId}`);
    expect(task.status).toBe(200);
    const done = await staff.post(`/tasks/${taskId}`, {
      _event: 'accept', _version: inputValue(task.text, '_version'), _opinion: '同意交办',
      lead_unit: 'city-fgw', co_units: 'city-jyj', is_complex: '否', is_key: '否',
    });
    expect(done.status, done.text.slice(0, 1500)).toBe(303);

    const page = await deputy.get(`/instances/${instanceId}`);
    expect(page.text).toContain('交办 → 承办答复');
    expect(page.text).toMatch(/郑晓东[\s\S]{0,200}代理 张敏/);
  });

  it('ends a range; the delegate no longer sees the principal’s work', async () => {
    const page = await review.get('/settings');
    const [id] = rangeIds(page.text);
    expect(id).toBeTruthy();
    const res = await review.post(`/settings/out-of-office/${id}/end`, {});
    expect(res.status).toBe(303);
    const after = await review.follow(res);
    expect(after.text).toContain('代理已结束');
    expect(after.text).toContain('目前没有设置代理');
    await deputy.get('/start/suggestion');
    await deputy.post('/start/suggestion', { _event: 'submit', title: '关于完善社区养老服务的建议', content: '建议内容', category: '社会保障' });
    expect((await staff.get('/inbox?list=todo')).text).not.toContain('关于完善社区养老服务的建议');
    expect((await review.get('/inbox?list=todo')).text).toContain('关于完善社区养老服务的建议');
    // Someone else's id changes nothing (and does not say whether it exists).
    await staff.get('/settings');
    expect((await staff.post(`/settings/out-of-office/${id}/end`, {})).status).toBe(303);
  });
});

describe('设置: 常用语 and API tokens', () => {
  it('lists saved phrases and deletes one', async () => {
    await s.engine.savePhrase((await s.engine.login('review1', 'lvzhi2026')).actor, '请尽快办理，按时答复');
    const page = await review.get('/settings');
    expect(page.text).toContain('请尽快办理，按时答复');
    const id = /action="\/settings\/phrases\/([^"/]+)\/delete"/.exec(page.text)?.[1];
    const res = await review.follow(await review.post(`/settings/phrases/${id}/delete`, {}));
    expect(res.text).toContain('常用语已删除');
    expect(res.text).not.toContain('请尽快办理，按时答复');
  });

  it('creates an API token shown once, which then works on /api/v1, and deletes it', async () => {
    await review.get('/settings');
    const res = await review.post('/settings/tokens', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const token = /<code class="token" id="new-token">([^<]+)<\/code>/.exec(res.text)?.[1];
    expect(token).toBeTruthy();
    const api = await fetch(`${s.base}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);

    const again = await review.get('/settings');
    expect(again.text).not.toContain(token!);
    expect(again.text).toContain('最近使用');
    const id = /action="\/settings\/tokens\/([^"/]+)\/delete"/.exec(again.text)?.[1];
    expect((await review.post(`/settings/tokens/${id}/delete`, {})).status).toBe(303);
    const after = await fetch(`${s.base}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });
});

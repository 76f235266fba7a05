// small-pages.test.ts: the small things a new user trips over (issue 14, item 14): a refused reason in
// an action panel comes back as the page's error summary, a 404 names the thing and never its id,
// and 接口文档 is offered to administrators only, in zh-CN where Swagger UI allows.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, openFirstTask, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let deputy: Client;
let deputy2: Client;
let review: Client;
let admin: Client;
let instanceId = '';

beforeAll(async () => {
  s = await startServer();
  [deputy, deputy2, review, admin] = await Promise.all(['deputy1', 'deputy2', 'review1', 'admin'].map((u) => loginAs(s.base, u)));
  await deputy.get('/start/suggestion');
  const res = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于增设公交站点的建议', content: '建议内容', category: '城乡建设与管理' });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
  instanceId = decodeURIComponent(res.location!.split('/').pop()!);
});
afterAll(async () => s?.close());

describe('an action panel refused for its reason', () => {
  it('has no browser-only required check on the reason box', async () => {
    const { html } = await openFirstTask(review);
    const box = /<textarea[^>]*id="a-return-reason"[^>]*>/.exec(html)?.[0];
    expect(box).toBeDefined();
    expect(box).not.toMatch(/\srequired[\s>]/);
    expect(box).toContain('aria-required="true"');
  });

  it('comes back as the task page with the error summary linked to the reason box, the panel open', async () => {
    const { id, html } = await openFirstTask(review);
    const res = await review.post(`/tasks/${id}/actions/return`, { to: 'draft', reason: '  ', _version: inputValue(html, '_version')!, _once: inputValue(html, '_once') ?? '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('class="lz-error-summary"');
    expect(res.text).toMatch(/<a href="#a-return-reason">退回需要填写理由/);
    expect(res.text).toMatch(/<details class="action-panel" id="action-return" open>/);
    expect(res.text).toContain('id="a-return-reason-error"');
    // Nothing happened: the task is still review's.
    expect((await openFirstTask(review)).id).toBe(id);
  });

  it('keeps everything typed when the reason is refused (too long)', async () => {
    const { id, html } = await openFirstTask(review);
    const long = `请补充路段${'很'.repeat(2000)}`;
    const res = await review.post(`/tasks/${id}/actions/return`, { to: 'draft', reason: long, _version: inputValue(html, '_version')! });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<a href="#a-return-reason">理由不能超过 2000 个字/);
    expect(res.text).toContain(`>${long}</textarea>`);
    expect(res.text).toMatch(/<option value="draft" selected>/);
  });
});

describe('撤销 refused for its reason on the instance page', () => {
  it('comes back as the instance page with the error summary linked to the reason box, nothing changed', async () => {
    const page = await deputy.get(`/instances/${instanceId}`);
    const box = /<textarea[^>]*id="i-cancel-reason"[^>]*>/.exec(page.text)?.[0];
    expect(box, page.text.slice(0, 500)).toBeDefined();
    expect(box).not.toMatch(/\srequired[\s>]/);
    const res = await deputy.post(`/instances/${instanceId}/cancel`, { reason: ' ', _version: inputValue(page.text, '_version')! });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<a href="#i-cancel-reason">撤销需要填写理由/);
    expect(res.text).toMatch(/<details class="action-panel" open><summary>撤销/);
    expect(res.text).toContain('id="i-cancel-reason-error"');
    expect((await deputy.get(`/instances/${instanceId}`)).text).not.toContain('已撤销');
  });
});

describe('a 404 for a case, a task or a file', () => {
  it('names the thing, never its id, and leads back to 待办', async () => {
    const missing = randomUUID();
    for (const [url, words] of [[`/tasks/${missing}`, '待办不存在或您无权查看'], [`/instances/${missing}`, '事项不存在或您无权查看'], [`/files/${missing}`, '文件不存在或您无权查看']] as const) {
      const res = await deputy.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text, url).toContain(words);
      expect(res.text, url).not.toContain(missing);
      expect(res.text, url).toContain('<a href="/inbox">返回待办</a>');
    }
  });

  it('says the same for another deputy’s case, without its id', async () => {
    const res = await deputy2.get(`/instances/${instanceId}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('事项不存在或您无权查看');
    expect(res.text).not.toContain(instanceId);
  });
});

describe('接口文档', () => {
  it('is in the footer for administrators, not for deputies', async () => {
    expect((await deputy.get('/inbox')).text).not.toContain('href="/api/docs"');
    expect((await admin.get('/inbox')).text).toContain('href="/api/docs"');
  });

  it('has a zh-CN title', async () => {
    const res = await admin.get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>履职 lvzhi 接口文档</title>');
  });
});

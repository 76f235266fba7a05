// input.test.ts (issue 12, item 10 and the type-coercion item): control characters (NUL and the
// other C0 controls, DEL) and bidi overrides are refused in every text input alike, with a 4xx
// naming the field, on SQLite and PostgreSQL (a NUL was a 500 on PostgreSQL and stored on SQLite);
// reasons, opinions and messages of office actions too. The JSON API takes types as they are: a
// title of ["a","b"] or true is a 400 naming the field and the type, not "a" or "true".

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../engine/index.ts';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { api as callApi, apiToken } from '../helpers/spawn.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');
let s: TestServer;
let deputy = '';
let web: Client;

beforeAll(async () => {
  s = await startServer();
  deputy = await apiToken(s.base, 'deputy1');
  web = await loginAs(s.base, 'deputy1');
});
afterAll(async () => s?.close());

const api = (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => callApi(s.base, method, url, opts);
const start = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  api('POST', '/workflows/suggestion/instances', { token: deputy, body: { event: 'submit', data, ...extra } });

async function startedTitles(): Promise<string> {
  return (await web.get('/inbox?list=started')).text;
}

/** A started suggestion waiting at 审查交办 for review1: its task id and version. */
async function reviewTask(title: string): Promise<{ token: string; taskId: string; instanceId: string; version: number }> {
  const started = await start({ title, content: '内容' });
  expect(started.status).toBe(201);
  const token = await apiToken(s.base, 'review1');
  const inbox = await api('GET', `/inbox?list=todo&q=${encodeURIComponent(title)}`, { token });
  const row = inbox.json.items.find((i: { instanceId: string }) => i.instanceId === started.json.instanceId);
  const task = await api('GET', `/tasks/${row.taskId}`, { token });
  return { token, taskId: row.taskId, instanceId: started.json.instanceId, version: task.json.version };
}

describe('control and bidi characters in form fields', () => {
  it('the API refuses a NUL, a bell or a bidi override in a title with 422 naming the field, and stores nothing', async () => {
    for (const title of ['a\u0000b', 'a\u0007b', 'a\u007fb', 'invoice\u202Efdp.exe', 'x\u2067y']) {
      const r = await start({ title, content: '内容' });
      expect(r.status, JSON.stringify(r.json)).toBe(422);
      expect(r.json.error.code).toBe('LVZ_FORM_INVALID');
      expect(r.json.error.params.errors).toEqual([expect.objectContaining({ name: 'title', id: 'f-title', message: expect.stringContaining('控制字符') })]);
    }
    expect(await startedTitles()).not.toContain('invoice');
  });

  it('a textarea keeps line breaks and tabs but not NUL; drafts drop what could not be stored', async () => {
    const nul = await start({ title: '多行内容', content: '第一段\u0000' });
    expect(nul.status).toBe(422);
    expect(nul.json.error.params.errors[0].name).toBe('content');
    const ok = await start({ title: '多行内容', content: '第一段\r\n\t第二段' });
    expect(ok.status).toBe(201);
    const draft = await start({ title: '草稿\u0000标题', content: '草稿内容' }, { draft: true });
    expect(draft.status).toBe(201);
    const view = await api('GET', `/instances/${draft.json.instanceId}`, { token: deputy });
    const fields = Object.fromEntries(view.json.fields.map((f: { name: string; value: unknown }) => [f.name, f.value]));
    expect(fields.content).toBe('草稿内容');
    expect(JSON.stringify(fields)).not.toContain('\\u0000');
  });

  it('the web form shows the field error (422, linked to #f-title) and starts nothing', async () => {
    await web.get('/start/suggestion');
    const res = await web.post('/start/suggestion', { _event: 'submit', title: '网页\u0000标题', content: '内容' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('href="#f-title"');
    expect(res.text).toContain('控制字符');
    await web.get('/start/suggestion');
    const rtl = await web.post('/start/suggestion', { _event: 'submit', title: '网页\u202E标题', content: '内容' });
    expect(rtl.status).toBe(422);
    expect(await startedTitles()).not.toContain('网页');
  });
});

describe('reasons, opinions and messages of office actions', () => {
  it('refuses a NUL in an opinion, a 退回 reason and a 催办 message with 400 naming it; the task is untouched', async () => {
    const t = await reviewTask('审查中的建议');
    const accept = await api('POST', `/tasks/${t.taskId}/complete`, { token: t.token, body: {
      event: 'accept', version: t.version, opinion: '同意\u0000', data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
    } });
    expect(accept.status).toBe(400);
    expect(accept.json.error.message).toContain('交办意见'); // the review step's name for its opinion box
    const back = await api('POST', `/tasks/${t.taskId}/actions`, { token: t.token, body: { action: 'return', to: 'draft', reason: '请补充\u0000材料', version: t.version } });
    expect(back.status).toBe(400);
    expect(back.json.error.message).toContain('退回的理由');
    expect(back.json.error.params.field).toBe('reason');
    const remind = await api('POST', `/instances/${t.instanceId}/remind`, { token: deputy, body: { message: '请尽快\u0000' } });
    expect(remind.status).toBe(400);
    expect(remind.json.error.message).toContain('催办留言');
    const task = await api('GET', `/tasks/${t.taskId}`, { token: t.token });
    expect(task.json.version).toBe(t.version);
    expect(JSON.stringify(task.json.history)).not.toContain('\\u0000');
  });

  it('refuses a NUL in a 终止 reason on the API and the web form', async () => {
    const t = await reviewTask('将被终止的建议');
    const admin = await apiToken(s.base, 'admin');
    const r = await api('POST', `/instances/${t.instanceId}/terminate`, { token: admin, body: { reason: '重复\u0000提交', version: t.version } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('终止的理由');
    const page = await loginAs(s.base, 'admin');
    await page.get(`/instances/${t.instanceId}`);
    const res = await page.post(`/instances/${t.instanceId}/terminate`, { reason: '重复\u0000提交', _version: String(t.version) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('终止的理由');
    const view = await api('GET', `/instances/${t.instanceId}`, { token: admin });
    expect(view.json.summary.status).toBe('active');
  });

  it('the studio refuses a NUL in a publish message or in the definition text, and publishes nothing', async () => {
    const admin = await loginAs(s.base, 'admin');
    await admin.get('/admin/workflows/suggestion');
    const text = CITY.replace('title: 起草建议', 'title: 起草\u0000建议');
    const inText = await admin.post('/admin/workflows/suggestion/publish', { text, message: '改名', baseVersion: '1' });
    expect(inText.status).toBe(400);
    expect(inText.text).toContain('定义内容');
    const inMessage = await admin.post('/admin/workflows/suggestion/publish', { text: CITY, message: '说明\u0000', baseVersion: '1' });
    expect(inMessage.status).toBe(400);
    expect(inMessage.text).toContain('发布说明');
    // Version 1 is still the latest: a clean publish on base 1 is not stale.
    const clean = await admin.post('/admin/workflows/suggestion/publish', { text: CITY.replace('title: 起草建议', 'title: 起草并提交建议'), message: '改名', baseVersion: '1' });
    expect(clean.status).toBe(303);
  });

  it('a NUL in a login name is a refusal, never a 500', async () => {
    const r = await api('POST', '/tokens', { body: { username: 'deputy1\u0000', password: 'x' } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});

describe('the JSON API takes types as they are', () => {
  it('a title of ["a","b"] or true is 400 naming the field and the type', async () => {
    for (const title of [['a', 'b'], true, 12]) {
      const r = await start({ title, content: '内容' });
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error.code).toBe('LVZ_RUN_BAD_REQUEST');
      expect(r.json.error.message).toMatch(/data\.title（标题）应为文字（JSON 字符串）/);
      expect(r.json.error.params).toMatchObject({ field: 'title', expected: 'string' });
    }
    const files = await start({ title: '附件类型', content: '内容', attachments: 'not-a-list' });
    expect(files.status).toBe(400);
    expect(files.json.error.params).toMatchObject({ field: 'attachments', expected: 'array of strings' });
    expect(await startedTitles()).not.toContain('附件类型');
  });

  it('body properties are not coerced either: an opinion of true or a version of "0" is 400', async () => {
    const t = await reviewTask('类型严格的建议');
    const data = { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' };
    const bool = await api('POST', `/tasks/${t.taskId}/complete`, { token: t.token, body: { event: 'accept', version: t.version, opinion: true, data } });
    expect(bool.status).toBe(400);
    expect(bool.json.error.message).toMatch(/opinion/);
    const text = await api('POST', `/tasks/${t.taskId}/complete`, { token: t.token, body: { event: 'accept', version: String(t.version), opinion: '同意', data } });
    expect(text.status).toBe(400);
    expect(text.json.error.message).toMatch(/version/);
    const checkbox = await api('POST', `/tasks/${t.taskId}/complete`, { token: t.token, body: { event: 'accept', version: t.version, opinion: '同意', data: { ...data, co_units: 'city-jyj' } } });
    expect(checkbox.status).toBe(400);
    expect(checkbox.json.error.params.field).toBe('co_units');
    const ok = await api('POST', `/tasks/${t.taskId}/complete`, { token: t.token, body: { event: 'accept', version: t.version, opinion: '同意', data } });
    expect(ok.status).toBe(200);
  });
});

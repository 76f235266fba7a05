// studio-new.test.ts: 新建流程 / 新建表单 and 停用 / 启用 over HTTP (SQLite, and PostgreSQL in the PG
// pass): a blank workflow and a copy created, checked and published with no restart, seen by another
// server process on the same database, started and its first task completed; 停用 refuses new starts
// (page and API) while a running case is completed; 启用; a district admin's 403; bad ids, a missing
// source, a forged or repeated post and a publish that fails its checks, each refused with nothing written.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEngine } from '../../engine/index.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import { buildApp } from '../../server/app.ts';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { api, apiToken } from '../helpers/spawn.ts';

let s: TestServer;
let admin: Client;
let other: { engine: Engine; app: FastifyInstance; base: string };
beforeAll(async () => {
  s = await startServer();
  admin = await loginAs(s.base, 'admin');
  // A second server process on the same database, loaded before anything below was created.
  const engine = await createEngine({ dataDir: s.dataDir, now: () => s.clock.now, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  const app = await buildApp({ engine, dataDir: s.dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  other = { engine, app, base: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
});
afterAll(async () => {
  await other.app.close();
  await other.engine.close();
  await s.close();
});

/** The editor's textarea, unescaped. */
function editorText(html: string): string {
  const m = /<textarea[^>]*id="studio-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
  return (m?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
}

async function create(c: Client, kind: 'workflows' | 'forms', values: Record<string, string>) {
  const form = await c.get(`/admin/new/${kind}`);
  return c.post(`/admin/new/${kind}`, { _once: inputValue(form.text, '_once'), mode: 'blank', ...values });
}

async function publish(c: Client, kind: 'workflows' | 'forms', id: string, edit: (t: string) => string = (t) => t) {
  const page = await c.get(`/admin/${kind}/${id}`);
  return c.post(`/admin/${kind}/${id}/publish`, { text: edit(editorText(page.text)), baseVersion: inputValue(page.text, 'baseVersion'), message: '首次发布' });
}

async function studioIds(): Promise<string[]> {
  const page = await admin.get('/admin');
  return [...page.text.matchAll(/<td data-label="标识"><code>([^<]+)<\/code>/g)].map((m) => m[1]!);
}

describe('新建流程: blank', () => {
  it('is a draft only the studio shows, published with no restart, started on another process', async () => {
    const list = await admin.get('/admin');
    expect(list.text).toContain('href="/admin/new/workflows"');
    const created = await create(admin, 'workflows', { id: 'liaison-visit', title: '民情联络走访' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/admin/workflows/liaison-visit');
    const editor = await admin.follow(created);
    expect(editor.status).toBe(200);
    expect(editor.text).toContain('已创建流程 liaison-visit');
    expect(editor.text).toContain('未发布');
    expect(editor.text).toContain('name="baseVersion" value="0"');
    expect(editor.text).toContain('发布第 1 版');
    expect(editorText(editor.text)).toMatch(/^id: liaison-visit$/m);
    // Its record form was published with it; the workflow itself is not startable yet.
    expect((await admin.get('/admin/forms/liaison-visit')).text).toContain('第 1 版');
    const staff = await loginAs(s.base, 'staff1');
    expect((await staff.get('/start')).text).not.toContain('民情联络走访');
    expect((await staff.get('/start/liaison-visit')).status).toBe(404);

    expect((await publish(admin, 'workflows', 'liaison-visit')).status).toBe(303);
    const after = await admin.get('/admin/workflows/liaison-visit');
    expect(after.text).toContain('已发布第 1 版');
    expect(after.text).toContain('name="baseVersion" value="1"');
    // The other process never loaded it: it starts there all the same.
    const there = await loginAs(other.base, 'staff1');
    expect((await there.get('/start')).text).toContain('href="/start/liaison-visit"');
    const form = await there.get('/start/liaison-visit');
    expect(form.status).toBe(200);
    const started = await there.post('/start/liaison-visit', { _event: '_draft', _once: inputValue(form.text, '_once'), title: '走访王家村' });
    expect(started.status).toBe(303);
    const task = await there.follow(started);
    expect(task.status).toBe(200);
    const done = await there.post(started.location!, { _event: 'submit', _version: inputValue(task.text, '_version'), _once: inputValue(task.text, '_once'), title: '走访王家村' });
    expect(done.status).toBe(303);
    expect((await there.follow(done)).text).toContain('办结');
  });

  it('a second click of the same page opens the same draft; a fresh post of the id is 409', async () => {
    const form = await admin.get('/admin/new/workflows');
    const values = { _once: inputValue(form.text, '_once'), mode: 'blank', id: 'twice', title: '点两次' };
    const first = await admin.post('/admin/new/workflows', values);
    const second = await admin.post('/admin/new/workflows', values);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.location).toBe(first.location);
    expect((await studioIds()).filter((id) => id === 'twice')).toHaveLength(2); // the workflow and its form, once each
    // The same page sent back changed (the back button, then edits): nothing made, a fresh key to confirm.
    const changed = await admin.post('/admin/new/workflows', { ...values, id: 'twice-b' });
    expect(changed.status).toBe(422);
    expect(changed.text).toContain('这个页面已经提交过一次');
    expect(inputValue(changed.text, '_once')).not.toBe(values._once);
    // A post without the CSRF token (a forged form on another site) is refused and writes nothing.
    expect((await admin.post('/admin/new/workflows', { mode: 'blank', id: 'forged', title: '伪造' }, { csrf: false })).status).toBe(403);
    expect(await studioIds()).not.toContain('forged');
    expect(await studioIds()).not.toContain('twice-b');
    const again = await create(admin, 'workflows', { id: 'twice', title: '点两次' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('标识“twice”已被一个流程或表单使用');
  });
});

describe('新建流程: a copy, and 新建表单', () => {
  it('copies a workflow with its record form renamed, and publishes it', async () => {
    const created = await create(admin, 'workflows', { id: 'suggestion-town', title: '乡镇代表建议办理', mode: 'copy', from: 'suggestion' });
    expect(created.status).toBe(303);
    const text = editorText((await admin.follow(created)).text);
    expect(text).toMatch(/^id: suggestion-town$/m);
    expect(text).toMatch(/^version: 1$/m);
    expect(text).toMatch(/^title: 乡镇代表建议办理$/m);
    expect(text).toMatch(/^record: suggestion-town$/m);
    expect(text).toContain('复制自“suggestion”第 1 版');
    // The city's 建议 第{year}{seq:3}号 would number the copy's cases alike (LVZ_DSL_NUMBER_CLASH): left as a hint.
    expect(text).not.toMatch(/^number:/m);
    expect(text).toMatch(/^# number: 本流程自己的编号格式/m);
    const form = editorText((await admin.get('/admin/forms/suggestion-town')).text);
    expect(form).toMatch(/^id: suggestion-town$/m);
    expect(form).toContain('name: content');
    expect((await publish(admin, 'workflows', 'suggestion-town')).status).toBe(303);
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get('/start')).text).toContain('href="/start/suggestion-town"');
  });

  it('creates a blank form and a copied one; publishing makes version 1', async () => {
    const blank = await create(admin, 'forms', { id: 'visit-sheet', title: '走访记录表' });
    expect(blank.status).toBe(303);
    const page = await admin.follow(blank);
    expect(page.text).toContain('id="studio-preview"');
    expect(page.text).toContain('id="f-title"');
    // Published as a browser posts a textarea: CRLF line ends.
    expect((await publish(admin, 'forms', 'visit-sheet', (t) => t.replace(/\n/g, '\r\n'))).status).toBe(303);
    expect((await admin.get('/admin/forms/visit-sheet')).text).toContain('name="baseVersion" value="1"');
    const again = editorText((await admin.follow(await create(admin, 'forms', { id: 'visit-sheet-2', title: '走访记录表二', mode: 'copy', from: 'visit-sheet' }))).text);
    expect(again.match(/yaml-language-server/g)).toHaveLength(1);
    expect(again).toMatch(/^id: visit-sheet-2$/m);
    const copy = await create(admin, 'forms', { id: 'bill-copy', title: '议案副本', mode: 'copy', from: 'bill' });
    expect(copy.status).toBe(303);
    expect(editorText((await admin.follow(copy)).text)).toMatch(/^id: bill-copy$/m);
  });
});

describe('停用 and 启用', () => {
  it('refuses new starts (page and API) while a running case is completed; 启用 undoes it; both recorded', async () => {
    const staff = await loginAs(s.base, 'staff1');
    const form = await staff.get('/start/liaison-visit');
    const started = await staff.post('/start/liaison-visit', { _event: '_draft', _once: inputValue(form.text, '_once'), title: '停用前保存的' });
    expect(started.status).toBe(303);

    await admin.get('/admin/workflows/liaison-visit');
    expect((await admin.post('/admin/workflows/liaison-visit/disable', {}, { csrf: false })).status).toBe(403); // forged: no token
    const off = await admin.post('/admin/workflows/liaison-visit/disable', {});
    expect(off.status).toBe(303);
    expect((await admin.follow(off)).text).toContain('已停用：不再受理新的发起');
    const again = await admin.post('/admin/workflows/liaison-visit/disable', {});
    expect((await admin.follow(again)).text).toContain('该流程已是停用状态，未作改动');
    expect((await admin.get('/admin')).text).toContain('已停用');

    expect((await staff.get('/start')).text).not.toContain('href="/start/liaison-visit"');
    const refused = await staff.post('/start/liaison-visit', { _event: 'submit', title: '停用后' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('已停用，不再受理新的发起');
    const token = await apiToken(s.base, 'staff1');
    const viaApi = await api(s.base, 'POST', '/workflows/liaison-visit/instances', { token, body: { event: 'submit', data: { title: '接口' } } });
    expect(viaApi.status).toBe(409);
    expect(viaApi.json.error.code).toBe('LVZ_RUN_WORKFLOW_DISABLED');
    const otherStaff = await loginAs(other.base, 'staff1'); // the other process reads the same flag
    expect((await otherStaff.post('/start/liaison-visit', { _event: 'submit', title: '另一进程' })).status).toBe(409);

    const task = await staff.get(started.location!);
    const done = await staff.post(started.location!, { _event: 'submit', _version: inputValue(task.text, '_version'), _once: inputValue(task.text, '_once'), title: '停用前保存的' });
    expect(done.status).toBe(303);
    expect((await staff.follow(done)).text).toContain('办结');

    const on = await admin.post('/admin/workflows/liaison-visit/enable', {});
    expect((await admin.follow(on)).text).toContain('已启用');
    expect((await staff.get('/start')).text).toContain('href="/start/liaison-visit"');
    const history = await admin.get('/admin/workflows/liaison-visit/versions');
    const audit = history.text.slice(history.text.indexOf('id="studio-audit"'));
    expect(audit.match(/>停用</g)).toHaveLength(1);
    expect(audit.match(/>启用</g)).toHaveLength(1);
    expect(audit).toContain('系统管理员');
    expect(audit).toContain('创建（空白流程）');
  });
});

describe('who may', () => {
  it('a district admin may neither create nor disable a city process (403 from the engine)', async () => {
    const before = await studioIds();
    const zd = await loginAs(s.base, 'zhangdian-admin');
    expect((await zd.get('/admin')).text).not.toContain('href="/admin/new/workflows"');
    expect((await zd.get('/admin/new/workflows')).status).toBe(403);
    await zd.get('/admin');
    const post = await zd.post('/admin/new/workflows', { mode: 'blank', id: 'zd-own', title: '张店自建' });
    expect(post.status).toBe(403);
    expect(post.text).toContain('各区定制');
    expect((await zd.post('/admin/workflows/suggestion/disable', {})).status).toBe(403);
    // Its own district's customisation is the district admin's to disable and enable.
    await zd.get('/admin/workflows/zhangdian-suggestion');
    expect((await zd.post('/admin/workflows/zhangdian-suggestion/disable', {})).status).toBe(303);
    expect((await zd.get('/admin/workflows/zhangdian-suggestion')).text).toContain('id="disabled-notice"');
    expect((await zd.post('/admin/workflows/zhangdian-suggestion/enable', {})).status).toBe(303);
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.post('/admin/new/forms', { mode: 'blank', id: 'dep-own', title: '代表自建' })).status).toBe(403);
    expect(await studioIds()).toEqual(before);
    expect((await admin.get('/admin/workflows/suggestion')).text).not.toContain('已停用');
  });
});

describe('bad input', () => {
  it('invalid and taken ids, a missing source: a clear message and 4xx, nothing written', async () => {
    const before = await studioIds();
    for (const id of ['Liaison', '1abc', 'a b', '民情', '', 'x'.repeat(65)]) {
      const r = await create(admin, 'workflows', { id, title: '名称' });
      expect(r.status, id).toBe(422);
      expect(r.text).toContain('须以小写英文字母开头');
      expect(r.text).toContain('href="#new-id"');
    }
    for (const id of ['suggestion', 'bill', 'visit-sheet', 'twice']) {
      const r = await create(admin, 'forms', { id, title: '名称' });
      expect(r.status, id).toBe(409);
    }
    const missing = await create(admin, 'workflows', { id: 'fine-id', title: '名称', mode: 'copy', from: 'no-such' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('没有找到要复制的流程“no-such”');
    const noTitle = await create(admin, 'workflows', { id: 'fine-id', title: '' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.text).toContain('请填写名称');
    expect(await studioIds()).toEqual(before);
  });

  it('ten simultaneous creations of one id, workflows and forms: exactly one wins, the rest are 409', async () => {
    await admin.get('/admin');
    const posts = Array.from({ length: 10 }, (_, i) =>
      admin.post(`/admin/new/${i % 2 ? 'forms' : 'workflows'}`, { mode: 'blank', id: 'race', title: `同时${i}` }));
    const statuses = (await Promise.all(posts)).map((p) => p.status).sort();
    expect(statuses).toEqual([303, ...Array(9).fill(409)]);
    const kinds = (await studioIds()).filter((id) => id === 'race').length;
    expect([1, 2]).toContain(kinds); // a form alone, or a workflow with its record form
  });

  it('a first publish that fails its checks is 422 with line:col and leaves the draft as it was', async () => {
    await create(admin, 'workflows', { id: 'broken-first', title: '检查不过' });
    const r = await publish(admin, 'workflows', 'broken-first', (t) => t.replace('to: done', 'to: nowhere'));
    expect(r.status).toBe(422);
    expect(r.text).toContain('LVZ_DSL_UNKNOWN_STATE');
    expect(r.text).toMatch(/第 \d+ 行第 \d+ 列/);
    const page = await admin.get('/admin/workflows/broken-first');
    expect(page.text).toContain('name="baseVersion" value="0"');
    expect(editorText(page.text)).toContain('to: done');
  });
});

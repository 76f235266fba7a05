// studio.test.ts: the studio's pages over HTTP: who may open them, the no-JavaScript check, the JSON
// check with errors at the right line (schema and semantic), publish with a message, a stale publish
// (409), a district admin on the city's definition (403), versions, diff, drafts, migration, districts.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../engine/index.ts';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');
const lineOf = (text: string, s: string): number => text.split('\n').findIndex((l) => l.includes(s)) + 1;

let s: TestServer;
let admin: Client;
beforeAll(async () => {
  s = await startServer();
  admin = await loginAs(s.base, 'admin');
});
afterAll(async () => { await s.close(); });

async function checkJson(c: Client, body: Record<string, unknown>) {
  const res = await c.request('POST', '/admin/check', {
    body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
  });
  return { status: res.status, json: (res.status === 200 ? JSON.parse(res.text) : {}) as { ok: boolean; errors: { code: string; line: number; col: number }[]; diagram?: string; previewHtml?: string } };
}

describe('studio pages', () => {
  it('lists definitions for admins; others get 403', async () => {
    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/admin/workflows/suggestion"');
    expect(page.text).toContain('张店区代表建议办理');
    expect(page.text).toContain('href="/admin"'); // the nav link
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get('/admin')).status).toBe(403);
    expect((await deputy.get('/admin/workflows/suggestion')).status).toBe(403);
    expect((await deputy.get('/inbox')).text).not.toContain('href="/admin"');
  });

  it('shows the editor with the text, the diagram and a publish form', async () => {
    const page = await admin.get('/admin/workflows/suggestion');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="studio-text"');
    expect(page.text).toContain('/static/studio/editor.js');
    expect(page.text).toMatch(/<img id="studio-diagram" src="data:image\/svg\+xml;base64,/);
    expect(page.text).toContain('name="baseVersion" value="1"');
    expect(page.text).toContain('发布第 2 版');
    const form = await admin.get('/admin/forms/suggestion');
    expect(form.text).toContain('id="studio-preview"');
    expect(form.text).toContain('id="f-title"');
  });

  it('checks without JavaScript: the page comes back with the error at its line', async () => {
    await admin.get('/admin/workflows/suggestion');
    const broken = CITY.replace('accept: { to: handle, label: 交办 }', 'accept: { to: nowhere, label: 交办 }');
    const page = await admin.post('/admin/workflows/suggestion/check', { text: broken, baseVersion: '1', message: '' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('LVZ_DSL_UNKNOWN_STATE');
    expect(page.text).toContain(`data-line="${lineOf(broken, 'to: nowhere')}"`);
    expect(page.text).toContain('to: nowhere'); // the typed text is kept
  });

  it('the JSON check gives schema and semantic errors with the right line and column', async () => {
    await admin.get('/admin/workflows/suggestion');
    const schemaBroken = CITY.replace('    title: 办结', '    titel: 办结');
    const a = await checkJson(admin, { kind: 'workflow', id: 'suggestion', text: schemaBroken });
    expect(a.status).toBe(200);
    expect(a.json.ok).toBe(false);
    expect(a.json.errors[0]).toMatchObject({ code: 'LVZ_DSL_SCHEMA', line: lineOf(schemaBroken, 'titel: 办结'), col: 5 });
    const semantic = CITY.replace('done: evaluate', 'done: evaluat');
    const b = await checkJson(admin, { kind: 'workflow', id: 'suggestion', text: semantic });
    expect(b.json.errors[0]).toMatchObject({ code: 'LVZ_DSL_UNKNOWN_STATE', line: lineOf(semantic, 'done: evaluat') });
    const ok = await checkJson(admin, { kind: 'workflow', id: 'suggestion', text: CITY });
    expect(ok.json.ok).toBe(true);
    expect(ok.json.diagram).toMatch(/^data:image\/svg\+xml;base64,/);
    const form = await checkJson(admin, { kind: 'form', id: 'suggestion', text: fs.readFileSync(path.join(REPO_ROOT, 'forms', 'suggestion.yaml'), 'utf8') });
    expect(form.json.previewHtml).toContain('id="f-content"');
    const deputy = await loginAs(s.base, 'deputy1');
    await deputy.get('/inbox');
    expect((await checkJson(deputy, { kind: 'workflow', id: 'suggestion', text: CITY })).status).toBe(403);
  });

  it('publishes with a message, refuses an invalid text (422) and a stale base (409)', async () => {
    await admin.get('/admin/workflows/suggestion');
    const invalid = await admin.post('/admin/workflows/suggestion/publish', { text: CITY.replace('done: evaluate', 'done: nowhere'), message: '坏的', baseVersion: '1' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('LVZ_DSL_UNKNOWN_STATE');
    const noMessage = await admin.post('/admin/workflows/suggestion/publish', { text: CITY, message: '', baseVersion: '1' });
    expect(noMessage.status).toBe(400);
    const text = CITY.replace('title: 起草建议', 'title: 起草并提交建议');
    const ok = await admin.post('/admin/workflows/suggestion/publish', { text, message: '起草步骤改名', baseVersion: '1' });
    expect(ok.status).toBe(303);
    const page = await admin.follow(ok);
    expect(page.text).toContain('已发布第 2 版');
    expect(page.text).toContain('覆盖仍然适用');
    const stale = await admin.post('/admin/workflows/suggestion/publish', { text, message: '又一次', baseVersion: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('第 2 版');
    expect(stale.text).toContain('起草并提交建议'); // what was typed is not lost
  });

  it('refuses the city definition to a district admin (403) and lets it edit its own', async () => {
    const zd = await loginAs(s.base, 'zhangdian-admin');
    const page = await zd.get('/admin/workflows/suggestion');
    expect(page.status).toBe(200);
    expect(page.text).toContain('只能查看');
    expect(page.text).not.toContain('id="studio-publish"');
    const res = await zd.post('/admin/workflows/suggestion/publish', { text: CITY, message: '区里改市里的', baseVersion: String(inputValue(page.text, 'baseVersion')) });
    expect(res.status).toBe(403);
    expect(res.text).toContain('只能修改本区的流程定义');
    expect((await zd.post('/admin/workflows/suggestion/migrate', { from: '1', to: '2' })).status).toBe(403);
    const own = await zd.get('/admin/workflows/zhangdian-suggestion');
    expect(own.text).toContain('id="studio-publish"');
    const districts = await zd.get('/admin/workflows/zhangdian-suggestion/districts');
    expect(districts.status).toBe(200);
    expect(districts.text).toContain('/states/review/deadline');
  });

  it('lets a district admin create its customisation from 各区定制, only for its own district', async () => {
    const lz = await loginAs(s.base, 'linzi-admin');
    const page = await lz.get('/admin/workflows/suggestion/districts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('为本区创建定制');
    expect(page.text).toContain('action="/admin/workflows/suggestion/districts"');
    expect(page.text).not.toContain('id="district-choice"');
    const cityPage = await admin.get('/admin/workflows/bill/districts');
    expect(cityPage.text).toContain('id="district-choice"'); // a city admin chooses the district
    expect(cityPage.text).toContain('<option value="linzi">');

    const zd = await loginAs(s.base, 'zhangdian-admin');
    await zd.get('/admin/workflows/bill/districts');
    const forbidden = await zd.post('/admin/workflows/bill/districts', { district: 'linzi' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('只能为本区创建定制');
    expect((await lz.post('/admin/workflows/suggestion/districts', { district: 'linzi' }, { csrf: false })).status).toBe(403);

    const created = await lz.post('/admin/workflows/suggestion/districts', { district: 'linzi' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/admin/workflows/linzi-suggestion');
    const editor = await lz.follow(created);
    expect(editor.text).toContain('已创建本区定制');
    expect(editor.text).toContain('extends: suggestion');
    expect(editor.text).toContain('id="studio-publish"');
    expect((await lz.get('/admin/workflows/suggestion/districts')).text).not.toContain('为本区创建定制');
    const again = await lz.post('/admin/workflows/suggestion/districts', { district: 'linzi' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('/admin/workflows/linzi-suggestion');
  });

  it('shows versions, a version text, a diff both ways, and keeps drafts', async () => {
    const versions = await admin.get('/admin/workflows/suggestion/versions');
    expect(versions.text).toContain('起草步骤改名');
    expect(versions.text).toContain('随系统提供');
    const v1 = await admin.get('/admin/workflows/suggestion/versions/1');
    expect(v1.text).toContain('title: 起草建议');
    const split = await admin.get('/admin/workflows/suggestion/diff?from=1&to=2');
    expect(split.text).toContain('class="studio-line diff-del"');
    expect(split.text).toContain('起草并提交建议');
    const unified = await admin.get('/admin/workflows/suggestion/diff?from=1&to=2&view=unified');
    expect(unified.text).toMatch(/<tr class="diff-add"><td class="studio-no"><\/td><td class="studio-no">\d+<\/td><td class="studio-line"><pre>\+ +title: 起草并提交建议/);
    await admin.get('/admin/forms/suggestion');
    const saved = await admin.post('/admin/forms/suggestion/draft', { text: '# 草稿\nid: suggestion\n', baseVersion: '1' });
    const draftPage = await admin.follow(saved);
    expect(draftPage.text).toContain('正在编辑您的草稿');
    expect(draftPage.text).toContain('# 草稿');
  });

  it('previews and runs a migration, refusing a stranded one', async () => {
    // One instance on version 1 (started before publishing it would have been; here: migrate 2 -> 1 and back).
    const deputy = await loginAs(s.base, 'deputy1');
    await deputy.get('/start/suggestion');
    const started = await deputy.follow(await deputy.post('/start/suggestion', { _event: 'submit', title: '迁移测试', category: '其他', content: '内容' }));
    const instanceUrl = /\/instances\/[^"?]+/.exec(started.text)?.[0] ?? '';
    expect(started.text).toContain('第 2 版');
    const preview = await admin.get('/admin/workflows/suggestion/migrate?from=2&to=1');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('迁移测试');
    expect(preview.text).toContain('可迁移 1 件');
    const refused = await admin.post('/admin/workflows/suggestion/migrate', { from: '2', to: '1', map_review: 'closed' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('全部件均未迁移');
    const run = await admin.post('/admin/workflows/suggestion/migrate', { from: '2', to: '1', map_review: 'review' });
    expect(run.status).toBe(303);
    expect((await admin.follow(run)).text).toContain('已将 1 件从第 2 版迁移到第 1 版');
    const inst = await deputy.get(instanceUrl || '/instances');
    expect(inst.text).toContain('第 1 版');
    expect(inst.text).toContain('迁移到新版本');
  });
});

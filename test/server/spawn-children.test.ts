// spawn-children.test.ts: the instance page of a parent whose step started one child per unit
// (spawn: each, wait) lists them under the step, with number, title, current step and status,
// each linked to its own page; the child's page links back to the parent.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loginAs, startServer, type TestServer } from '../helpers/http.ts';
import { api as callApi } from '../helpers/spawn.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
let project = '';
let s: TestServer;

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-spawn-page-'));
  for (const d of ['calendars', 'forms', 'workflows']) fs.cpSync(path.join(REPO, d), path.join(project, d), { recursive: true });
  for (const d of ['forms', 'workflows']) fs.cpSync(path.join(REPO, 'test/fixtures/runtime/spawn', d), path.join(project, d), { recursive: true });
  s = await startServer({ projectDir: project });
});
afterAll(async () => {
  await s?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe('the instance page of a step that started children', () => {
  it('lists the children under the step while it waits, and says when it no longer waits', async () => {
    const review = await loginAs(s.base, 'review1');
    await review.get('/start/round-all');
    const res = await review.post('/start/round-all', { _event: 'submit', title: '关于养老条例的征求意见', units: ['city-fgw', 'city-jyj'] });
    expect(res.status, res.text.slice(0, 800)).toBe(303);
    const id = decodeURIComponent(res.location!.split('/').pop()!);
    const page = await review.get(`/instances/${id}`);
    expect(page.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('征求单位意见：子流程'));
    expect(section).toContain('全部子流程结束后，本件自动进入下一步。 共 2 件，已结束 0 件。');
    const links = [...section.matchAll(/<a href="\/instances\/([^"]+)">([^<]+)<\/a>/g)].slice(0, 2);
    expect(links.map((m) => m[2])).toEqual(['关于养老条例的征求意见（city-fgw）', '关于养老条例的征求意见（city-jyj）']);
    expect(section).toContain('<td data-label="当前环节">单位答复</td>');
    expect(section).toContain('办理中');
    // The child's page names the parent as 来源; the parent's 关联事项 does not repeat the listed children.
    const child = await review.get(`/instances/${links[0]![1]}`);
    expect(child.text).toContain(`<a href="/instances/${id}">关于养老条例的征求意见</a> <span class="muted">（来源）</span>`);
    expect(page.text).not.toContain('（转为）');
    // The JSON API carries the same list.
    const tok = (await callApi(s.base, 'POST', '/tokens', { body: { username: 'review1', password: DEMO_PASSWORD } })).json.token as string;
    const json = (await callApi(s.base, 'GET', `/instances/${id}`, { token: tok })).json;
    expect(json.spawned).toEqual([{
      stepTitle: '征求单位意见', wait: 'all', isCurrent: true,
      children: links.map((m) => ({ instanceId: m[1], number: expect.any(String), title: m[2], stepTitle: '单位答复', status: 'active' })),
    }]);
    // Moved away by an administrator, the step no longer waits: the page says so and keeps the list.
    const admin = (await s.engine.login('admin', DEMO_PASSWORD)).actor;
    const version = (await s.engine.instance(admin, id)).version;
    await s.engine.move(admin, id, { to: 'draft', reason: '单位名单有误', version });
    const after = (await review.get(`/instances/${id}`)).text;
    expect(after).toContain('本件已离开这一步，之后结束的子流程不再写回本件。 共 2 件，已结束 0 件。');
  });
});

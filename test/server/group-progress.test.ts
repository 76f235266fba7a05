// group-progress.test.ts: a group step over HTTP (docs/group-steps.md): members answer from their
// task pages with the version their page showed while others answer, the instance page shows
// 办理进度 (totals, by unit, a unit's members) instead of one row per member, 提前结束 is refused
// without a reason and to anyone but close_by, and closes the step with one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, startServer, type TestServer } from '../helpers/http.ts';
import { groupProject } from '../engine/constructs/group/project.ts';

let s: TestServer;
let instanceId = '';

beforeAll(async () => {
  s = await startServer({ projectDir: groupProject() });
  const { actor } = await s.engine.login('presidium1', 'lvzhi2026');
  instanceId = (await s.engine.start(actor, 'consult', { event: 'submit', version: 0, input: { title: '关于条例草案的征求意见', content: '请提出意见' } })).instanceId;
});
afterAll(async () => { await s?.close(); });

async function taskPage(user: string): Promise<{ c: Awaited<ReturnType<typeof loginAs>>; id: string; html: string }> {
  const c = await loginAs(s.base, user);
  const inbox = await c.get('/inbox');
  const id = /\/tasks\/([^"?/]+)/.exec(inbox.text)?.[1];
  if (!id) throw new Error(`${user} has no task`);
  return { c, id, html: (await c.get(`/tasks/${id}`)).text };
}

describe('a group step over HTTP', () => {
  it('members answer with the version their pages showed, in any order, and nobody sees a conflict', async () => {
    const a = await taskPage('deputy1');
    const b = await taskPage('deputy2');
    expect(a.html).toContain('有意见');
    const first = await a.c.post(`/tasks/${a.id}`, { _event: 'agree', _version: inputValue(a.html, '_version'), _once: inputValue(a.html, '_once') });
    expect(first.status).toBe(303);
    // b's page was rendered before a answered: it still goes through.
    const second = await b.c.post(`/tasks/${b.id}`, { _event: 'object', _version: inputValue(b.html, '_version'), _once: inputValue(b.html, '_once'), _opinion: '第三条应再细化' });
    expect(second.status).toBe(303);
  });

  it('the instance page shows 办理进度 by unit, a unit\'s members on request, and no row per member', async () => {
    const c = await loginAs(s.base, 'presidium1');
    const page = await c.get(`/instances/${instanceId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('办理进度');
    expect(page.text).toMatch(/应答<\/dt><dd>14</);
    expect(page.text).toMatch(/已答<\/dt><dd>2</);
    expect(page.text).toMatch(/未答<\/dt><dd>12</);
    expect(page.text).toContain('张店区代表团');
    expect(page.text).not.toContain('王建国'); // no member listed until a unit is opened
    const unit = await c.get(`/instances/${instanceId}?unit=zhangdian-delegation`);
    expect(unit.text).toContain('张店区代表团的人员');
    expect(unit.text).toContain('王建国');
    expect(unit.text).toContain('同意');
    expect(unit.text).not.toContain('李秀英'); // 临淄区代表团
  });

  it('提前结束: refused to others and without a reason; with one, the step closes and the history says so', async () => {
    const d = await loginAs(s.base, 'deputy3');
    const seen = await d.get(`/instances/${instanceId}`);
    expect(seen.text).not.toContain('action="/instances/' + instanceId + '/close"');
    const refused = await d.post(`/instances/${instanceId}/close`, { _version: inputValue(seen.text, '_version') ?? '0', reason: '够了' });
    expect(refused.status).toBe(403);

    const c = await loginAs(s.base, 'presidium1');
    const page = await c.get(`/instances/${instanceId}`);
    expect(page.text).toContain(`action="/instances/${instanceId}/close"`);
    const version = inputValue(page.text.slice(page.text.indexOf(`/instances/${instanceId}/close`)), '_version');
    const empty = await c.post(`/instances/${instanceId}/close`, { _version: version, reason: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('href="#i-close-reason"');
    const ok = await c.follow(await c.post(`/instances/${instanceId}/close`, { _version: version, reason: '会期提前' }));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('已提前结束');
    expect(ok.text).toContain('已答复 2 / 14');
    expect(ok.text).toContain('会期提前');
  });
});

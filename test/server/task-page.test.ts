// task-page.test.ts: what a start or task page shows (issue 14 items 6-8): only the fields the
// step edits and those it reads that hold a value or that it lists; a task sent back says who,
// when and why at the top; a task already handled is read-only and says 您已于 … 办理.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, openFirstTask, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { api, apiToken } from '../helpers/spawn.ts';

let s: TestServer;
let deputy: Client;
let review: Client;
let fgw: Client;
let instanceId = '';
let reviewTask = '';

beforeAll(async () => {
  s = await startServer();
  [deputy, review, fgw] = await Promise.all(['deputy1', 'review1', 'fgw1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

const nameOf = async (user: string) => (await s.engine.login(user, 'lvzhi2026')).actor.name;
/** The labels of the read-only rows of the page's form. */
const readonlyLabels = (html: string) => [...html.matchAll(/<dt class="lz-readonly__key">([^<]*)<\/dt>/g)].map((m) => m[1]);

async function submitDraft(form: Record<string, string>) {
  const { id, html } = await openFirstTask(deputy);
  const res = await deputy.post(`/tasks/${id}`, { _event: 'submit', _version: inputValue(html, '_version')!, ...form });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
}

describe('a step shows the fields it works on (item 6)', () => {
  it("the deputy's start form has the four fields the deputy fills in, no later stage's fields", async () => {
    const page = await deputy.get('/start/suggestion');
    expect(page.status).toBe(200);
    for (const id of ['f-title', 'f-category', 'f-content', 'f-attachments']) expect(page.text).toContain(`id="${id}"`);
    expect(readonlyLabels(page.text)).toEqual([]);
    expect(page.text).not.toContain('未填写');
    for (const later of ['f-lead_unit', 'f-reply', 'f-grade', 'f-eval_overall', 'f-co_opinion']) expect(page.text).not.toContain(`id="${later}"`);
  });

  it('the review step shows what its read: lists and edits what it assigns, and nothing of the later stages', async () => {
    const res = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于优化公交线路的建议', content: '建议增开夜班公交', category: '城乡建设与管理' });
    expect(res.status).toBe(303);
    instanceId = decodeURIComponent(res.location!.split('/').pop()!);
    const { id, html } = await openFirstTask(review);
    reviewTask = id;
    expect(readonlyLabels(html)).toEqual(['标题', '类别', '建议内容', '附件']);
    expect(html).toContain('id="f-lead_unit"');
    expect(html).not.toContain('id="f-reply"');
    expect(html).not.toContain('id="f-eval_overall"');
  });
});

describe('a returned task explains itself (item 7)', () => {
  it('says at the top who sent it back, from which step, when and why', async () => {
    const html = (await review.get(`/tasks/${reviewTask}`)).text;
    const res = await review.post(`/tasks/${reviewTask}/actions/return`, { to: 'draft', reason: '请写明具体线路和时段', _version: inputValue(html, '_version')! });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const { html: page } = await openFirstTask(deputy);
    const notice = page.indexOf('id="returned"');
    expect(notice).toBeGreaterThan(0);
    expect(notice).toBeLessThan(page.indexOf('id="record-form"'));
    const box = page.slice(notice, page.indexOf('</div>', notice));
    expect(box).toContain('本件被退回，请按退回理由修改后再提交');
    expect(box).toContain(`${await nameOf('review1')}（`);
    expect(box).toContain('于 2026-03-02 09:00 从“审查交办”退回');
    expect(box).toContain('退回理由：请写明具体线路和时段');
    // The draft's own fields only: the record holds nothing of the later stages yet.
    expect(readonlyLabels(page)).toEqual([]);
  });

  it('a draft sent back by the lead unit shows what was assigned (it holds a value), not the empty later fields', async () => {
    await submitDraft({ title: '关于优化公交线路的建议', content: '建议增开 12 路夜班公交', category: '城乡建设与管理' });
    const { id, html } = await openFirstTask(review);
    const ok = await review.post(`/tasks/${id}`, {
      _event: 'accept', _version: inputValue(html, '_version')!, _opinion: '同意交办', lead_unit: 'city-fgw', co_units: 'city-jyj', is_complex: '否', is_key: '否',
    });
    expect(ok.status, ok.text.slice(0, 1500)).toBe(303);
    const lead = await openFirstTask(fgw);
    const back = await fgw.post(`/tasks/${lead.id}/actions/return`, { to: 'draft', reason: '不属于本单位职责，请核实', _version: inputValue(lead.html, '_version')! });
    expect(back.status, back.text.slice(0, 1500)).toBe(303);
    const { html: page } = await openFirstTask(deputy);
    expect(page).toContain('从“承办答复”退回');
    expect(page).toContain('退回理由：不属于本单位职责，请核实');
    expect(readonlyLabels(page)).toEqual(expect.arrayContaining(['主办单位']));
    expect(page).not.toContain('id="f-reply"');
    expect(page).not.toContain('id="f-eval_overall"');
    expect(page).not.toContain('未填写');
  });
});

describe('a task already handled is read-only (item 8)', () => {
  it('opened again (the back button, a saved link) it says 您已于 … 办理 with the result; no opinion box, no 保存草稿', async () => {
    const page = await review.get(`/tasks/${reviewTask}`);
    expect(page.status).toBe(200);
    // The first handling of this task was the 退回.
    expect(page.text).toContain('您已于 2026-03-02 09:00 办理');
    expect(page.text).toContain('办理结果：退回 → 起草建议（理由：请写明具体线路和时段）');
    expect(page.text).not.toContain('id="record-form"');
    expect(page.text).not.toContain('name="_opinion"');
    expect(page.text).not.toContain('保存草稿');
    expect(page.text).not.toContain('name="_event"');
    expect(page.text).not.toMatch(/<(input|textarea|select)[^>]*name="(title|content|lead_unit)"/);
    // The record as it stands, as label/value rows: what the step read and what it edited.
    const rows = [...page.text.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1]);
    expect(rows).toEqual(expect.arrayContaining(['标题', '建议内容', '主办单位', '协办单位']));
  });

  it('the accepting task shows its button, where it went and the opinion given; posting it again is still a 409', async () => {
    const view = await s.engine.inbox((await s.engine.login('review1', 'lvzhi2026')).actor, 'done', { page: 1, pageSize: 20 });
    const accepted = view.items.find((t) => t.taskId !== reviewTask && t.instanceId === instanceId);
    expect(accepted).toBeDefined();
    const page = await review.get(`/tasks/${accepted!.taskId}`);
    expect(page.text).toContain('您已于 2026-03-02 09:00 办理');
    expect(page.text).toContain('办理结果：交办 → 承办答复');
    // Handled: the step it was, no deadline left to count.
    expect(page.text).toContain('<dt>办理环节</dt><dd>审查交办</dd>');
    expect(page.text).not.toContain('剩余');
    expect(page.text).toContain('意见：同意交办');
    expect(page.text).not.toContain('name="_opinion"');
    expect(page.text).not.toContain('保存草稿');
    const again = await review.post(`/tasks/${accepted!.taskId}`, { _event: 'accept', _version: '1', lead_unit: 'city-fgw', _opinion: '再交一次' });
    expect(again.status).toBe(409);
    // The refused post gives back what was typed, to copy.
    expect(again.text).toContain('再交一次');
  });
});

describe('the API gives the same facts', () => {
  it('a returned 待办 row and task carry returned; a handled task carries isOpen false and handled', async () => {
    const token = (username: string) => apiToken(s.base, username);
    const deputyToken = await token('deputy1');
    const inbox = await api(s.base, 'GET', '/inbox?list=todo', { token: deputyToken });
    const row = (inbox.json.items as { taskId: string; instanceId: string; returned?: Record<string, unknown> }[]).find((t) => t.instanceId === instanceId);
    expect(row?.returned).toMatchObject({ byName: await nameOf('fgw1'), reason: '不属于本单位职责，请核实', fromStep: '承办答复' });
    const task = await api(s.base, 'GET', `/tasks/${row!.taskId}`, { token: deputyToken });
    expect(task.json).toMatchObject({ isOpen: true, returned: row!.returned });
    const done = await api(s.base, 'GET', `/tasks/${reviewTask}`, { token: await token('review1') });
    expect(done.json).toMatchObject({ isOpen: false, opinion: 'none', buttons: [], handled: { isMine: true, result: '退回 → 起草建议（理由：请写明具体线路和时段）' } });
  });
});

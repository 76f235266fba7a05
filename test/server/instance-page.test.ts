// instance-page.test.ts: what the instance, task, inbox and print pages say about a suggestion in
// progress: readable holders, natural history lines, the 协办 answers, the print view.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, type TestServer, openFirstTask } from '../helpers/http.ts';

let s: TestServer;
let deputy: Client;
let review: Client;
let fgw: Client;
let jyj: Client;
let instanceId = '';

beforeAll(async () => {
  s = await startServer();
  [deputy, review, fgw, jyj] = await Promise.all(['deputy1', 'review1', 'fgw1', 'jyj1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

async function submit(c: Client, values: Record<string, string | string[]>): Promise<void> {
  const { id, html } = await openFirstTask(c);
  const res = await c.post(`/tasks/${id}`, { _event: inputValue(html, '_event') ?? 'submit', _version: inputValue(html, '_version')!, ...values });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
}

describe('the instance page of a suggestion in progress', () => {
  it('names a role holder in zh-CN in the inbox and on the instance page, never by its id', async () => {
    await deputy.get('/start/suggestion');
    const res = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于优化学校周边交通的建议', content: '建议内容', category: '城乡建设与管理' });
    instanceId = decodeURIComponent(res.location!.split('/').pop()!);
    const inbox = await review.get('/inbox?list=todo');
    expect(inbox.text).toContain('审查交办（代表工委）');
    expect(inbox.text).not.toContain('review_office');
    const page = await deputy.get(`/instances/${instanceId}`);
    expect(page.text).toContain('审查交办（代表工委）');
    expect(page.text).not.toContain('review_office');
    expect(page.text).toContain('提交 → 审查交办');
    expect(page.text).not.toContain('提交（提交）');
  });

  it('reads a return naturally, with its reason in brackets, once', async () => {
    const { id, html } = await openFirstTask(review);
    const res = await review.post(`/tasks/${id}/actions/return`, { to: 'draft', reason: '请补充具体路段', _version: inputValue(html, '_version')! });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const page = await deputy.get(`/instances/${instanceId}`);
    expect(page.text).toContain('退回 → 起草建议（理由：请补充具体路段）');
    expect(page.text.split('请补充具体路段').length - 1).toBe(1);
    await submit(deputy, { title: '关于优化学校周边交通的建议', content: '建议在实验小学路段增设信号灯', category: '城乡建设与管理' });
  });

  it('shows the lead unit by its org name, then the co-handlers’ answers under the record', async () => {
    await submit(review, { _opinion: '同意交办', lead_unit: 'city-fgw', co_units: ['city-jyj', 'city-mzj'], is_complex: '否', is_key: '否' });
    const page = await deputy.get(`/instances/${instanceId}`);
    expect(page.text).toContain('交办 → 承办答复');
    expect(page.text).toContain('市发展和改革委员会');
    expect(page.text).not.toContain('handling_unit');

    await submit(jyj, { co_opinion: '同意主办单位意见，配合做好学校周边秩序维护' });
    const lead = await openFirstTask(fgw);
    expect(lead.html).toContain('协办单位意见');
    expect(lead.html).toContain('市教育局');
    expect(lead.html).toContain('陈静');
    expect(lead.html).toContain('同意主办单位意见，配合做好学校周边秩序维护');
    // The answers live per unit, so the record's own (always blank) co_opinion is not shown as 未填写.
    expect(lead.html).not.toContain('id="f-co_opinion"');

    const instance = await deputy.get(`/instances/${instanceId}`);
    const section = instance.text.slice(instance.text.indexOf('id="group-cohandle-title"'));
    expect(section).toContain('协办单位意见');
    expect(section).toContain('市教育局');
    expect(section).toContain('协办意见');
    // 市民政局 has not answered yet: no empty entry for it.
    expect(section.slice(0, section.indexOf('</section>'))).not.toContain('市民政局');
  });

  it('gives the answers to the engine’s callers with form labels; a unit outside the instance cannot print it', async () => {
    const other = await loginAs(s.base, 'gaj1');
    expect([403, 404]).toContain((await other.get(`/instances/${instanceId}/print`)).status);
    const api = await s.engine.instance((await s.engine.login('jyj1', 'lvzhi2026')).actor, instanceId);
    expect(api.groups[0]?.answers[0]?.fields.map((f) => f.label)).toEqual(['协办意见']);
  });

  it('prints the record, the answers and the history on a plain page with a 打印 button and no inline script', async () => {
    const page = await deputy.get(`/instances/${instanceId}`);
    expect(page.text).toContain(`href="/instances/${instanceId}/print"`);
    const print = await deputy.get(`/instances/${instanceId}/print`);
    expect(print.status).toBe(200);
    expect(print.text).not.toContain('site-nav');
    expect(print.text).not.toContain('site-header');
    expect(print.text).toContain('data-print');
    expect(print.text).toContain('建议在实验小学路段增设信号灯');
    expect(print.text).toContain('协办单位意见');
    expect(print.text).toContain('退回 → 起草建议（理由：请补充具体路段）');
    expect(print.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(print.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

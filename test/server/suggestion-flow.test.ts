// suggestion-flow.test.ts: the suggestion lifecycle over HTTP with four users, as the browser would
// drive it without JavaScript (plain POSTs, 303 redirects, CSRF from the page).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, type TestServer, openFirstTask } from '../helpers/http.ts';

let s: TestServer;
let deputy: Client;
let review: Client;
let fgw: Client;
let jyj: Client;
let instanceId = '';
let leadTask = '';
let coTask = '';

beforeAll(async () => {
  s = await startServer();
  [deputy, review, fgw, jyj] = await Promise.all(['deputy1', 'review1', 'fgw1', 'jyj1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

describe('the suggestion flow over HTTP', () => {
  it('a 422 keeps what the deputy typed, escapes it, and links the summary to #f-title', async () => {
    await deputy.get('/start/suggestion');
    const page = await deputy.post('/start/suggestion', { _event: 'submit', title: '', content: '<script>alert("x")</script>正文' });
    expect(page.status).toBe(422);
    expect(page.text).toContain('href="#f-title"');
    expect(page.text.indexOf('lz-error-summary')).toBeLessThan(page.text.indexOf('id="f-title"'));
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;正文');
    expect(page.text).not.toContain('<script>alert');
  });

  it('deputy1 submits; the redirect lands on the instance page with a flash', async () => {
    await deputy.get('/start/suggestion');
    const res = await deputy.post('/start/suggestion', {
      _event: 'submit', title: '关于加装电梯的建议<script>x</script>', content: '建议内容', category: '城乡建设与管理',
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/instances\//);
    instanceId = decodeURIComponent(res.location!.split('/').pop()!);
    const page = await deputy.follow(res);
    expect(page.status).toBe(200);
    expect(page.text).toContain('已提交，当前环节：审查交办');
    expect(page.text).toContain('关于加装电梯的建议&lt;script&gt;x&lt;/script&gt;');
    // A refresh shows the page again without the message: the flash was used up, nothing is resubmitted.
    expect((await deputy.get(res.location!)).text).not.toContain('已提交，当前环节');
  });

  it('review1 accepts, naming a lead and a co-handling unit; a second click is a clear 409', async () => {
    const { id, html } = await openFirstTask(review);
    const version = inputValue(html, '_version')!;
    const form = { _event: 'accept', _version: version, _opinion: '同意交办', lead_unit: 'city-fgw', co_units: 'city-jyj', is_complex: '否', is_key: '否' };
    const first = await review.post(`/tasks/${id}`, form);
    expect(first.status, first.text.slice(0, 2000)).toBe(303);
    expect((await review.follow(first)).text).toContain('已提交，当前环节：承办答复');
    const second = await review.post(`/tasks/${id}`, form);
    expect(second.status).toBe(409);
    // The form comes back with what was typed and what changed (test/security/conflicts.test.ts).
    expect(second.text).toContain('此件在您办理期间已有变化');
    expect(second.text).toContain('同意交办');
    const view = await s.engine.instance((await s.engine.login('review1', 'lvzhi2026')).actor, instanceId);
    expect(view.history.filter((h) => h.type === 'task.completed' && h.stepTitle === '审查交办').length).toBe(1);
  });

  it('each unit sees only its own task; the other unit gets 403/404 for it', async () => {
    const lead = await openFirstTask(fgw);
    const co = await openFirstTask(jyj);
    leadTask = lead.id;
    coTask = co.id;
    expect(leadTask).not.toBe(coTask);
    expect((await fgw.get('/inbox')).text).not.toContain(coTask);
    expect([403, 404]).toContain((await jyj.get(`/tasks/${leadTask}`)).status);
    expect([403, 404]).toContain((await fgw.get(`/tasks/${coTask}`)).status);
    const other = await loginAs(s.base, 'gaj1');
    expect([403, 404]).toContain((await other.get(`/instances/${instanceId}`)).status);
    expect((await other.get('/inbox')).text).not.toContain(instanceId);
  });

  it('the co-handler answers, then the lead replies with a grade', async () => {
    const co = await jyj.get(`/tasks/${coTask}`);
    const coRes = await jyj.post(`/tasks/${coTask}`, { _event: inputValue(co.text, '_event') ?? 'submit', _version: inputValue(co.text, '_version'), co_opinion: '同意主办单位意见' });
    expect(coRes.status, coRes.text.slice(0, 1500)).toBe(303);
    const lead = await fgw.get(`/tasks/${leadTask}`);
    const res = await fgw.post(`/tasks/${leadTask}`, {
      _event: inputValue(lead.text, '_event') ?? 'submit', _version: inputValue(lead.text, '_version'), reply: '已纳入年度计划', grade: 'B',
    });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
  });

  it('the deputy evaluates 满意 and the instance closes, with every step in the timeline', async () => {
    const { id, html } = await openFirstTask(deputy);
    const res = await deputy.post(`/tasks/${id}`, {
      _event: inputValue(html, '_event') ?? 'submit', _version: inputValue(html, '_version'),
      eval_attitude: '好', eval_method: '好', eval_effect: '较好', eval_overall: '满意', eval_comment: '满意',
    });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const page = await deputy.follow(res);
    expect(page.text).toContain('已办结');
    for (const who of ['张敏', '刘洋', '陈静']) expect(page.text).toContain(who);
  });
});

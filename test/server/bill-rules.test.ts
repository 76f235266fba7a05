// bill-rules.test.ts: issue 14's bill rules over HTTP, as a browser without JavaScript posts them: ten
// co-signers besides the proposer checked on the start form, a returned draft that says why, the
// presidium's decision taken from its button, a committee review that cannot be empty, and a missing
// committee shown as an error on its field with everything typed kept.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let deputy: Client;
let presidium: Client;
let committee: Client;

beforeAll(async () => {
  s = await startServer();
  [deputy, presidium, committee] = await Promise.all(['deputy1', 'presidium1', 'jkww1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

const deputies = (n: number): string[] => Array.from({ length: n }, (_, i) => `deputy${i + 2}`);
const actor = async (u: string) => (await s.engine.login(u, 'lvzhi2026')).actor;

/** The error summary's links, in order. */
const summaryLinks = (html: string): string[] => {
  const summary = /<div class="lz-error-summary[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="(#[^"]+)"/g)].map((m) => m[1]!);
};

async function startBill(title: string, cosigners: string[]) {
  await deputy.get('/start/bill');
  return deputy.post('/start/bill', { _event: 'submit', title, content: '案据：……；方案：……', cosigners });
}

/** A bill all ten co-signers agreed to: the presidium's task id and the instance id. */
async function atPresidium(title: string): Promise<{ id: string; taskId: string }> {
  const res = await startBill(title, deputies(10));
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
  const id = decodeURIComponent(res.location!.split('/').pop()!);
  await cosign(id, deputies(10), []);
  const p = await actor('presidium1');
  const taskId = (await s.engine.instance(p, id)).myTasks[0]!.taskId;
  return { id, taskId };
}

async function cosign(id: string, agree: string[], decline: string[]) {
  for (const [u, event] of [...agree.map((u) => [u, 'agree'] as const), ...decline.map((u) => [u, 'decline'] as const)]) {
    const a = await actor(u);
    const view = await s.engine.instance(a, id);
    await s.engine.complete(a, view.myTasks[0]!.taskId, { event, input: {}, version: view.version });
  }
}

describe('bill rules over HTTP (issue 14)', () => {
  it('refuses a start whose co-signers include the proposer or are fewer than ten, keeping what was typed', async () => {
    let page = await startBill('关于制定物业管理条例的议案', ['deputy1', 'deputy2', 'deputy3']);
    expect(page.status).toBe(422);
    expect(summaryLinks(page.text)).toEqual(['#f-cosigners']);
    expect(page.text).toContain('附议代表中不能包括您本人');
    expect(inputValue(page.text, 'title')).toBe('关于制定物业管理条例的议案');
    expect(page.text).toMatch(/type="checkbox" value="deputy2" checked/); // the picked co-signers come back picked

    page = await startBill('关于制定物业管理条例的议案', deputies(9));
    expect(page.status).toBe(422);
    expect(summaryLinks(page.text)).toEqual(['#f-cosigners']);
    expect(page.text).toContain('代表议案须有十名以上代表联名');
    // Nothing was started.
    expect((await s.engine.inbox(await actor('deputy1'), 'started', { page: 1, pageSize: 50 })).total).toBe(0);
  });

  it('a draft sent back after the co-signing says why at the top of its page', async () => {
    const res = await startBill('关于修改城市绿化条例的议案', deputies(10));
    expect(res.status).toBe(303);
    const id = decodeURIComponent(res.location!.split('/').pop()!);
    await cosign(id, deputies(8), ['deputy10', 'deputy11']);
    const view = await s.engine.instance(await actor('deputy1'), id);
    expect(view.summary.state).toBe('draft');
    const page = await deputy.get(`/tasks/${view.myTasks[0]!.taskId}`);
    expect(page.status).toBe(200);
    const notice = page.text.indexOf('id="came-back"');
    expect(notice).toBeGreaterThan(0);
    expect(notice).toBeLessThan(page.text.indexOf('id="record-form"'));
    expect(page.text).toContain('本件已退回到这一步');
    expect(page.text).toContain('附议代表不足十人：同意附议的代表少于十名，请补充或更换附议代表后重新提交');
  });

  it('the presidium decides by its button: no radio to contradict it; no committee chosen is an error on that field', async () => {
    const { id, taskId } = await atPresidium('关于制定养老服务条例的议案');
    const page = await presidium.get(`/tasks/${taskId}`);
    expect(page.text).not.toMatch(/name="presidium_decision"/);
    const version = inputValue(page.text, '_version')!;
    const res = await presidium.post(`/tasks/${taskId}`, { _event: 'accept', _version: version, presidium_note: '建议交教科文卫委审议', _opinion: '同意立案' });
    expect(res.status).toBe(422);
    expect(summaryLinks(res.text)).toEqual(['#f-committee']);
    expect(res.text).toContain('请选择审议委员会');
    expect(res.text).not.toContain('data.committee');
    expect(res.text).not.toContain('请求有误');
    expect(res.text).toContain('建议交教科文卫委审议');
    expect(res.text).toContain('同意立案');
    expect((await s.engine.instance(await actor('presidium1'), id)).summary.state).toBe('presidium');

    const ok = await presidium.post(`/tasks/${taskId}`, {
      _event: 'accept', _version: version, presidium_decision: '不予列入（作为建议处理）', committee: 'city-jkww', _opinion: '同意立案',
    });
    expect(ok.status, ok.text.slice(0, 1500)).toBe(303);
    const after = await s.engine.instance(await actor('deputy1'), id);
    expect(after.summary.state).toBe('committee_review');
    expect(after.form.fields.find((f) => f.name === 'presidium_decision')?.display).toBe('交专门委员会审议');
  });

  it('the committee cannot submit an empty review', async () => {
    const { id, taskId } = await atPresidium('关于制定学前教育条例的议案');
    const p = await actor('presidium1');
    await s.engine.complete(p, taskId, { event: 'accept', input: { committee: 'city-jkww' }, version: (await s.engine.instance(p, id)).version });
    const c = await actor('jkww1');
    const ct = (await s.engine.instance(c, id)).myTasks[0]!.taskId;
    const page = await committee.get(`/tasks/${ct}`);
    const res = await committee.post(`/tasks/${ct}`, { _event: 'submit', _version: inputValue(page.text, '_version')! });
    expect(res.status).toBe(422);
    expect(summaryLinks(res.text)).toEqual(['#f-review_report', '#f-review_result']);
    expect(res.text).toContain('请输入审议结果报告');
    expect(res.text).toContain('请选择审议结论');
    expect((await s.engine.instance(c, id)).summary.state).toBe('committee_review');
  });
});

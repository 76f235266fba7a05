// lead-waits.test.ts: issue 14 item 11 over real HTTP, as a browser without JavaScript sees it. The
// lead unit's page shows the co-handlers' opinions above its form and 等待协办单位意见（n/m 已提交）
// without a reply button; a reply posted anyway is refused (409) with what was typed kept; 催办 is
// not offered on one's own task or case and is refused there; a step's opinion box has its own name;
// a co-sign task has no 保存草稿.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { apiToken } from '../helpers/spawn.ts';

let s: TestServer;
let fgw: Client;
let review: Client;

beforeAll(async () => {
  s = await startServer();
  [fgw, review] = await Promise.all(['fgw1', 'review1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => s?.close());

const actor = async (u: string) => (await s.engine.login(u, 'lvzhi2026')).actor;

async function myTask(user: string, id: string): Promise<string> {
  const view = await s.engine.instance(await actor(user), id);
  expect(view.myTasks, `${user} holds a task`).toHaveLength(1);
  return view.myTasks[0]!.taskId;
}

async function complete(user: string, id: string, event: string, input: Record<string, unknown>, opinion?: string) {
  const a = await actor(user);
  const view = await s.engine.instance(a, id);
  await s.engine.complete(a, view.myTasks[0]!.taskId, { event, input, version: view.version, ...(opinion && { opinion }) });
}

/** A suggestion at 承办答复: 市发改委 leads, 市教育局 and 市卫健委 co-handle. */
async function atHandle(title: string): Promise<string> {
  const { instanceId } = await s.engine.start(await actor('deputy1'), 'suggestion', {
    event: 'submit', version: 0, input: { title, category: '社会保障', content: '建议增设社区养老服务站。' },
  });
  await complete('review1', instanceId, 'accept', { lead_unit: 'city-fgw', co_units: ['city-jyj', 'city-wjw'], is_complex: '否', is_key: '否' }, '同意交办');
  return instanceId;
}

const OPINION = '同意主办单位意见，配合做好场地保障。';

describe('the lead unit\'s reply page (issue 14 item 11)', () => {
  it('shows the co-handlers\' opinions before its form, waits for them, and refuses a reply posted meanwhile', async () => {
    const id = await atHandle('关于增设社区养老服务站的建议');
    await complete('jyj1', id, 'submit', { co_opinion: OPINION });
    const lead = await myTask('fgw1', id);
    let page = await fgw.get(`/tasks/${lead}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('等待协办单位意见（1/2 已提交）');
    // The opinion in, with unit and person, above the form.
    const answerAt = page.text.indexOf(OPINION);
    expect(answerAt).toBeGreaterThan(0);
    expect(answerAt).toBeLessThan(page.text.indexOf('id="record-form"'));
    expect(page.text).toContain('市教育局');
    expect(page.text).toContain('陈静');
    // No reply button, but 保存草稿; the box is called 答复意见.
    expect(page.text).not.toMatch(/name="_event" value="submit"/);
    expect(page.text).toMatch(/name="_event" value="_draft"/);
    expect(page.text).toContain('答复意见');
    expect(page.text).not.toContain('审批意见');

    // Posted anyway (a page kept open, a hand-made post): 409, the notice, the reply kept, nothing written.
    const version = (await s.engine.instance(await actor('fgw1'), id)).version;
    const res = await fgw.post(`/tasks/${lead}`, {
      _event: 'submit', _version: inputValue(page.text, '_version'), _once: inputValue(page.text, '_once'), reply: '已列入年度计划。', grade: 'B',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('还在等待协办单位意见（1/2 已提交）');
    expect(res.text).toContain('href="#waiting"');
    expect(res.text).toContain('已列入年度计划。');
    expect((await s.engine.instance(await actor('fgw1'), id)).version).toBe(version);

    // Over the API the same: the task says what it waits for, and a completion is 409 LVZ_RUN_WAITING.
    const token = await apiToken(s.base, 'fgw1');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const task = await fetch(`${s.base}/api/v1/tasks/${lead}`, { headers }).then((r) => r.json());
    expect(task).toMatchObject({ waiting: { title: '协办单位意见', done: 1, total: 2 }, buttons: [], opinionLabel: '答复意见', isDraftable: true });
    const api = await fetch(`${s.base}/api/v1/tasks/${lead}/complete`, {
      method: 'POST', headers, body: JSON.stringify({ event: 'submit', version: task.version, data: { reply: '已列入年度计划。', grade: 'B' } }),
    });
    expect(api.status).toBe(409);
    expect((await api.json()).error.code).toBe('LVZ_RUN_WAITING');
    expect((await s.engine.instance(await actor('fgw1'), id)).version).toBe(version);

    await complete('wjw1', id, 'submit', { co_opinion: '建议同步纳入医养结合试点。' });
    page = await fgw.get(`/tasks/${lead}`);
    expect(page.text).not.toContain('等待协办单位意见');
    expect(page.text).toMatch(/name="_event" value="submit"/);
    expect(page.text).toContain('建议同步纳入医养结合试点。');
    const done = await fgw.post(`/tasks/${lead}`, {
      _event: 'submit', _version: inputValue(page.text, '_version'), _once: inputValue(page.text, '_once'), reply: '已列入年度计划。', grade: 'B', _opinion: '同意',
    });
    expect(done.status, done.text.slice(0, 800)).toBe(303);
  });
});

describe('催办 over HTTP', () => {
  it('is not offered on the holder\'s own task or case, and a post is refused with 409', async () => {
    const { instanceId } = await s.engine.start(await actor('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于催办的建议', category: '其他', content: '内容。' },
    });
    const task = await myTask('review1', instanceId);
    const page = await review.get(`/tasks/${task}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/tasks/${task}/actions/remind`);
    expect(page.text).toContain(`/tasks/${task}/actions/return`);
    const res = await review.post(`/tasks/${task}/actions/remind`, { message: '请尽快' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('不能催办自己');

    const inst = await review.get(`/instances/${instanceId}`);
    expect(inst.text).not.toContain(`/instances/${instanceId}/remind`);
    expect((await review.post(`/instances/${instanceId}/remind`, {})).status).toBe(409);
    // The deputy, who holds nothing now, is offered it.
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get(`/instances/${instanceId}`)).text).toContain(`/instances/${instanceId}/remind`);
  });
});

describe('opinion boxes and drafts over HTTP', () => {
  it('the review step\'s box is 交办意见; the committee\'s 审议意见; a co-sign task has no 保存草稿', async () => {
    const { instanceId } = await s.engine.start(await actor('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于意见框的建议', category: '其他', content: '内容。' },
    });
    const page = await review.get(`/tasks/${await myTask('review1', instanceId)}`);
    expect(page.text).toContain('交办意见');
    expect(page.text).not.toContain('审批意见');

    const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);
    const bill = (await s.engine.start(await actor('deputy1'), 'bill', {
      event: 'submit', version: 0, input: { title: '关于制定物业管理条例的议案', content: '案据：……', cosigners },
    })).instanceId;
    const d2 = await loginAs(s.base, 'deputy2');
    const cosignTask = await myTask('deputy2', bill);
    const cosignPage = await d2.get(`/tasks/${cosignTask}`);
    expect(cosignPage.text).toContain('同意附议');
    expect(cosignPage.text).not.toContain('保存草稿');
    expect(cosignPage.text).not.toMatch(/value="_draft"/);
    // One primary action: 同意附议 is green, 不同意 plain.
    expect(cosignPage.text).toMatch(/class="lz-button" name="_event" value="agree"/);
    expect(cosignPage.text).toMatch(/class="lz-button lz-button--secondary" name="_event" value="decline"/);
    const draft = await d2.post(`/tasks/${cosignTask}`, { _event: '_draft', _version: inputValue(cosignPage.text, '_version') });
    expect(draft.status).toBe(409);

    for (const u of cosigners) await complete(u, bill, 'agree', {});
    await complete('presidium1', bill, 'accept', { committee: 'city-jkww' });
    const jkww = await loginAs(s.base, 'jkww1');
    const review2 = await jkww.get(`/tasks/${await myTask('jkww1', bill)}`);
    expect(review2.text).toContain('审议意见');
    expect(review2.text).not.toContain('审批意见');
    expect(review2.text).toMatch(/value="_draft"/); // the committee writes a report: it may keep a draft
  });
});

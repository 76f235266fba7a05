// handoff.test.ts: 转办/委派/加签 on the suggestion's reply task over real HTTP (form posts and /api/v1):
// the panels offer only whom the task may be handed to, the proposer 王建国 can never be chosen, two
// targets are a field error, and the history names the unit the task went to.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { api as callApi } from '../helpers/spawn.ts';

let s: TestServer;
let fgw: Client;
let instanceId: string;
let lead: string;

beforeAll(async () => {
  s = await startServer();
  const deputy = (await s.engine.login('deputy1', DEMO_PASSWORD)).actor;
  ({ instanceId } = await s.engine.start(deputy, 'suggestion', { event: 'submit', version: 0, input: { title: '转办范围测试', category: '城乡建设与管理', content: '内容' } }));
  const review = (await s.engine.login('review1', DEMO_PASSWORD)).actor;
  const reviewTask = (await s.engine.inbox(review, 'todo', { page: 1, pageSize: 50 })).items.find((t) => t.instanceId === instanceId)!.taskId;
  await s.engine.complete(review, reviewTask, {
    event: 'accept', opinion: '同意', version: (await s.engine.instance(review, instanceId)).version,
    input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
  });
  const unit = (await s.engine.login('fgw1', DEMO_PASSWORD)).actor;
  lead = (await s.engine.inbox(unit, 'todo', { page: 1, pageSize: 50 })).items.find((t) => t.instanceId === instanceId)!.taskId;
  fgw = await loginAs(s.base, 'fgw1');
});
afterAll(async () => { await s?.close(); });

/** The part of the page inside one action panel. */
function panel(html: string, action: string): string {
  const start = html.indexOf(`id="action-${action}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</details>', start));
}

describe('转办/委派/加签 over HTTP', () => {
  it('the panels offer other 承办单位 only: 转办 a unit, never the proposer nor the co-handler', async () => {
    const page = await fgw.get(`/tasks/${lead}`);
    expect(page.status).toBe(200);
    const reassign = panel(page.text, 'reassign');
    expect(reassign).toContain('name="toOrg"');
    expect(reassign).not.toContain('name="toUser"');
    expect(reassign).toContain('value="city-mzj"');
    expect(reassign).not.toContain('value="city-jyj"');
    expect(reassign).not.toContain('value="zhangdian-delegation"');
    for (const action of ['delegate', 'add_signer']) {
      const p = panel(page.text, action);
      expect(p).toContain('value="mzj1"');
      expect(p).not.toContain('value="deputy1"');
      expect(p).not.toContain('王建国');
    }
    const search = await fgw.get(`/pickers/person?task=${lead}&q=${encodeURIComponent('王建国')}`);
    expect(JSON.parse(search.text).items).toEqual([]);
    const units = JSON.parse((await fgw.get(`/pickers/org?task=${lead}&q=`)).text).items.map((i: { value: string }) => i.value);
    expect(units).toContain('city-mzj');
    expect(units).not.toContain('city-jyj');
  });

  it('a form naming the proposer, or two targets, comes back with the message on its picker and nothing done', async () => {
    let page = await fgw.get(`/tasks/${lead}`);
    const version = inputValue(page.text, '_version')!;
    const delegated = await fgw.post(`/tasks/${lead}/actions/delegate`, { toUser: 'deputy1', reason: '请协助', _version: version });
    expect(delegated.status).toBe(422);
    expect(delegated.text).toContain('href="#a-delegate-user"');
    expect(delegated.text).toContain('发起人');
    expect(delegated.text).toContain('请协助'); // what was typed is kept
    const both = await fgw.post(`/tasks/${lead}/actions/reassign`, { toOrg: 'city-mzj', toUser: 'mzj1', reason: '职责不符', _version: version });
    expect(both.status).toBe(422);
    expect(both.text).toContain('href="#a-reassign-org"');
    expect(both.text).toContain('只能选择一个对象');
    const open = panel(both.text, 'reassign');
    expect(open).toMatch(/^id="action-reassign" open/);
    expect(open).toContain('id="a-reassign-org-error"');
    expect(open).toContain('职责不符');
    const person = await fgw.post(`/tasks/${lead}/actions/reassign`, { toUser: '王建国', reason: '职责不符', _version: version });
    expect(person.status).toBe(422);
    page = await fgw.get(`/tasks/${lead}`);
    expect(page.status).toBe(200); // still 市发改委's task
    expect(inputValue(page.text, '_version')).toBe(version);
  });

  it('/api/v1 refuses the same, with the code and the field', async () => {
    const t = await callApi(s.base, 'POST', '/tokens', { body: { username: 'fgw1', password: DEMO_PASSWORD } });
    const token = t.json.token as string;
    const view = (await callApi(s.base, 'GET', `/tasks/${lead}`, { token })).json;
    expect(view.reassignTo).toBe('org');
    expect(view.orgs.map((o: { value: string }) => o.value)).toContain('city-mzj');
    expect(view.people.map((p: { value: string }) => p.value)).not.toContain('deputy1');
    const version = view.version as number;
    const post = (body: Record<string, unknown>) => callApi(s.base, 'POST', `/tasks/${lead}/actions`, { token, body: { ...body, version } });
    const initiator = await post({ action: 'add_signer', toUser: 'deputy1', position: 'before' });
    expect(initiator.status).toBe(422);
    expect(initiator.json.error).toMatchObject({ code: 'LVZ_RUN_HANDOFF_INITIATOR', params: { field: 'toUser' } });
    const acting = await post({ action: 'delegate', toUser: 'jyj1' });
    expect(acting.json.error.code).toBe('LVZ_RUN_HANDOFF_ACTING');
    const ambiguous = await post({ action: 'reassign', toOrg: 'city-mzj', toUser: 'mzj1', reason: '职责不符' });
    expect(ambiguous.json.error.code).toBe('LVZ_RUN_HANDOFF_AMBIGUOUS');
    const outside = await post({ action: 'reassign', toOrg: 'city-cjw', reason: '职责不符' });
    expect(outside.json.error.code).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED');
  });

  it('转办 to a unit by the form: the unit holds it and the history names it', async () => {
    const page = await fgw.get(`/tasks/${lead}`);
    const done = await fgw.post(`/tasks/${lead}/actions/reassign`, { toOrg: 'city-mzj', reason: '属民政职责', _version: inputValue(page.text, '_version')! });
    expect(done.status).toBe(303);
    const mzj = await loginAs(s.base, 'mzj1');
    const task = await mzj.get(`/tasks/${lead}`);
    expect(task.status).toBe(200);
    expect(task.text).toContain('转办给 市民政局');
    expect(task.text).toContain('属民政职责');
    expect(task.text).not.toContain('>city-mzj<');
  });
});

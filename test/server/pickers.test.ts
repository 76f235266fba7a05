// pickers.test.ts: directory pickers over real HTTP: a forged value is refused; with 6,007 deputies
// the page carries no list of them, the JSON search is signed-in, scoped to the field's filter and
// limited, and without script a typed name is read back (a shared name lists the candidates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loginAs, inputValue, startServer, type TestServer } from '../helpers/http.ts';
import { DEPUTY_TOTAL, HTML_NAME, SECOND_ZHANGWEI, seedDeputies } from '../helpers/deputies.ts';

let s: TestServer;

beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s?.close(); });

/** The value stored for `field` in the instance a start redirected to. */
async function stored(page: { location: string | null }, field: string): Promise<unknown> {
  const id = decodeURIComponent(/\/instances\/([^/?]+)/.exec(page.location ?? '')?.[1] ?? '');
  const { actor } = await s.engine.login('deputy1', 'lvzhi2026');
  const view = await s.engine.instance(actor, id);
  return view.form.fields.find((f) => f.name === field)?.value;
}

async function startBill(c: Client, values: Record<string, string | string[]>) {
  const form = await c.get('/start/bill');
  return c.post('/start/bill', { _once: inputValue(form.text, '_once'), _event: 'submit', title: '关于制定养老服务条例的议案', content: '理由和方案', ...values });
}

describe('pickers', () => {
  it('a small directory: grouped check boxes, no list box; a forged or filtered-out value is a field error and stores nothing', async () => {
    const c = await loginAs(s.base, 'deputy1');
    const page = await c.get('/start/bill');
    expect(page.text).toContain('data-picker="cosigners"');
    expect(page.text).toContain('<p class="lz-picker__group-title">临淄区代表团</p>');
    expect(page.text).not.toMatch(/<select[^>]* multiple/);
    expect(page.text).toContain('/static/tom-select.complete.min.js');
    for (const forged of ['fgw1', 'nobody', 'deputy2、fgw1']) {
      const res = await startBill(c, { cosigners: forged });
      expect(res.status).toBe(422);
      expect(res.text).toContain('附议代表不在可选范围内，请重新选择');
      expect(res.text).toContain('value="关于制定养老服务条例的议案"');
    }
    const before = await s.engine.instances((await s.engine.login('admin', 'lvzhi2026')).actor, { page: 1, pageSize: 5 });
    expect(before.items.some((i) => i.title === '关于制定养老服务条例的议案')).toBe(false);
    // A bill needs ten co-signers besides the proposer (workflows/bill.yaml rules:).
    const ten = ['deputy2', 'deputy3', 'deputy4', 'deputy5', 'deputy6', 'deputy7', 'deputy8', 'deputy9', 'deputy10', 'deputy11'];
    const ok = await startBill(c, { cosigners: ten });
    expect(ok.status).toBe(303);
    expect(await stored(ok, 'cosigners')).toEqual(ten);
  });

  it('6,007 deputies: the page carries a text input, not the list; a shared name lists its candidates', async () => {
    await seedDeputies(s);
    const c = await loginAs(s.base, 'deputy1');
    const page = await c.get('/start/bill');
    expect(page.text).toContain('data-picker-search');
    expect(page.text).toContain('data-picker-url="/pickers/person?role&#x3D;deputy"');
    expect(page.text).not.toContain('dep0001');
    expect(page.text.length).toBeLessThan(60_000);
    const shared = await startBill(c, { cosigners: '张伟', title: '同名' });
    expect(shared.status).toBe(422);
    expect(shared.text).toContain(`附议代表中的“张伟”可能是以下：张伟 — 张店区代表团（deputy3） / 张伟 — ${SECOND_ZHANGWEI.unit}（${SECOND_ZHANGWEI.id}），请输入其中一位的用户名（括号内）`);
    expect(shared.text).toContain('value="同名"');
    expect(shared.text).toContain('name="cosigners" value="张伟"');
    const unknown = await startBill(c, { cosigners: '欧阳不存在' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('附议代表中没有找到“欧阳不存在”：请检查姓名，或输入用户名');
    const notDeputy = await startBill(c, { cosigners: 'fgw1' });
    expect(notDeputy.status).toBe(422);
    const more = ['dep0042', 'dep0043', 'dep0044', 'dep0045', 'dep0046', 'dep0047', 'dep0048', 'dep0049'];
    const ok = await startBill(c, { cosigners: `${SECOND_ZHANGWEI.id}、李秀英，${more.join('，')}` });
    expect(ok.status).toBe(303);
    expect(await stored(ok, 'cosigners')).toEqual([SECOND_ZHANGWEI.id, 'deputy2', ...more]);
  });

  it('the search: signed-in only, JSON, scoped to the filter, at most 50, names as data', async () => {
    const anon = await fetch(`${s.base}/pickers/person?role=deputy&q=张`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('LVZ_AUTH_REQUIRED');
    const c = await loginAs(s.base, 'deputy1');
    const get = async (url: string) => {
      const res = await c.get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('cache-control')).toBe('no-store');
      return JSON.parse(res.text) as { items: { value: string; name: string; group: string }[]; hasMore: boolean };
    };
    const many = await get('/pickers/person?role=deputy&q=代表小组');
    expect(many.items).toHaveLength(50);
    expect(many.hasMore).toBe(true);
    // A unit's people: '陈静' is a handling unit's staff, not a deputy, so a deputy search never offers her.
    const staff = await get('/pickers/person?q=fgw1');
    expect(staff.items.map((i) => i.value)).toContain('fgw1');
    expect((await get('/pickers/person?role=deputy&q=fgw1')).items).toEqual([]);
    const zw = await get('/pickers/person?role=deputy&q=张伟');
    expect(zw.items.map((i) => `${i.value} ${i.group}`)).toEqual(['deputy3 张店区代表团', `${SECOND_ZHANGWEI.id} ${SECOND_ZHANGWEI.unit}`]);
    const html = await get(`/pickers/person?role=deputy&q=${encodeURIComponent('<b>')}`);
    expect(html.items).toEqual([expect.objectContaining({ value: HTML_NAME.id, name: HTML_NAME.name })]);
    expect((await get('/pickers/org?kind=unit&q=')).items.every((o) => o.value.startsWith('city-'))).toBe(true);
    expect((await c.get('/pickers/secret?q=a')).status).toBe(404);
    expect(DEPUTY_TOTAL).toBe(6007);
  });

  it('a task panel without script: 转办 to a typed name; a shared name is a 400 naming the candidates', async () => {
    const c = await loginAs(s.base, 'review1');
    const deputy = await loginAs(s.base, 'deputy1');
    const form = await deputy.get('/start/suggestion');
    const started = await deputy.post('/start/suggestion', { _once: inputValue(form.text, '_once'), _event: 'submit', title: '关于增设公交站点的建议', content: '内容' });
    expect(started.status).toBe(303);
    const inbox = await c.get('/inbox');
    const taskId = /\/tasks\/([^"?/]+)/.exec(inbox.text)?.[1];
    expect(taskId).toBeDefined();
    const task = await c.get(`/tasks/${taskId}`);
    expect(task.text).not.toContain('dep0001');
    expect(task.text).not.toMatch(/<select[^>]* multiple/);
    const version = inputValue(task.text, '_version')!;
    const copyShared = await c.post(`/tasks/${taskId}/actions/copy`, { _version: version, toUsers: '张伟' });
    expect(copyShared.status).toBe(400);
    expect(copyShared.text).toContain('抄送对象中的“张伟”可能是以下');
    const copied = await c.post(`/tasks/${taskId}/actions/copy`, { _version: version, toUsers: `${SECOND_ZHANGWEI.id}、李秀英` });
    expect(copied.status).toBe(303);
  });
});

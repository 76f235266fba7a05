// inbox-lists.test.ts: what 待办/已办/抄送我的 show (issue 14, items 7 and 9), over real HTTP: 编号 and
// 提出人 in 待办, a task sent back marked 退回, when 已办 was handled, where a copied case is now (and no
// reader as 办理人), the search by 编号, 提出人 and title within what the user may see, the empty
// search's message, and the lists not repeating the header's navigation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, type TestServer } from '../helpers/http.ts';
import { api } from '../helpers/spawn.ts';

let s: TestServer;
let wang: Client; // deputy1 王建国
let li: Client; // deputy2 李秀英
let review: Client; // review1 张敏
let gaj: Client; // gaj1 韩磊
const lift = { id: '', number: '' };
const bus = { id: '', number: '' };

/** The table rows of a list page, each as its HTML. */
function rowsOf(html: string): string[] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return body.split('<tr').slice(1);
}

function rowOf(html: string, title: string): string {
  const row = rowsOf(html).find((r) => r.includes(title));
  expect(row, `no row for ${title} in ${html.slice(html.indexOf('<main'))}`).toBeDefined();
  return row!;
}

/** The text of the cell labelled `label` in a row (data-label, as a phone shows it). */
function cell(row: string, label: string): string | undefined {
  const m = row.match(new RegExp(`<td data-label="${label}"[^>]*>([\\s\\S]*?)</td>`));
  return m?.[1]?.replace(/<[^>]+>/g, '').trim();
}

async function start(c: Client, title: string): Promise<{ id: string; number: string }> {
  await c.get('/start/suggestion');
  const res = await c.post('/start/suggestion', { _event: 'submit', title, content: '建议内容', category: '城乡建设与管理' });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
  const id = decodeURIComponent(res.location!.split('/').pop()!);
  const page = await c.get(`/instances/${id}`);
  const number = page.text.match(/建议 第\d+号/)?.[0] ?? '';
  expect(number).not.toBe('');
  return { id, number };
}

/** The open task of `c` on an instance, from its 待办 (the row links to the task). */
async function taskOf(c: Client, instanceTitle: string): Promise<{ id: string; version: string }> {
  const row = rowOf((await c.get('/inbox?list=todo')).text, instanceTitle);
  const id = decodeURIComponent(row.match(/href="\/tasks\/([^"]+)"/)![1]!);
  const page = await c.get(`/tasks/${id}`);
  return { id, version: inputValue(page.text, '_version')! };
}

async function accept(c: Client, instanceTitle: string): Promise<void> {
  const t = await taskOf(c, instanceTitle);
  const res = await c.post(`/tasks/${t.id}`, { _event: 'accept', _version: t.version, _opinion: '同意交办', lead_unit: 'city-fgw', is_complex: '否', is_key: '否' });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
}

beforeAll(async () => {
  s = await startServer();
  [wang, li, review, gaj] = await Promise.all(['deputy1', 'deputy2', 'review1', 'gaj1'].map((u) => loginAs(s.base, u)));
  Object.assign(lift, await start(wang, '关于加装电梯的建议'));
  Object.assign(bus, await start(li, '关于优化公交线路的建议'));
});
afterAll(async () => s?.close());

describe('待办', () => {
  it('has 编号 and 提出人 columns with each case’s number and proposer', async () => {
    const page = await review.get('/inbox?list=todo');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<th scope="col">编号</th>');
    expect(page.text).toContain('<th scope="col">提出人</th>');
    expect(lift.number).not.toBe(bus.number);
    const a = rowOf(page.text, '关于加装电梯的建议');
    expect(cell(a, '编号')).toBe(lift.number);
    expect(cell(a, '提出人')).toBe('王建国');
    const b = rowOf(page.text, '关于优化公交线路的建议');
    expect(cell(b, '编号')).toBe(bus.number);
    expect(cell(b, '提出人')).toBe('李秀英');
    expect(page.text).not.toContain('tag-returned');
  });

  it('does not repeat the header’s four lists as tabs: each list is linked once, from the navigation', async () => {
    const page = await review.get('/inbox?list=todo');
    // Handlebars writes `=` in an attribute as `&#x3D;`.
    for (const l of ['todo', 'done', 'started', 'cc']) expect(page.text.match(new RegExp(`href="/inbox\\?list(=|&#x3D;)${l}"`, 'g'))?.length, l).toBe(1);
    expect(page.text).not.toContain('class="tabs"');
    expect(page.text).toMatch(/<nav class="site-nav"[\s\S]*href="\/inbox\?list(=|&#x3D;)done"[\s\S]*<\/nav>/);
  });
});

describe('search', () => {
  it('finds by 编号: the digits, with 第…号, or the whole number', async () => {
    const digits = lift.number.match(/\d+/)![0];
    for (const q of [digits, `第${digits}号`, lift.number, lift.number.replace(/\s/g, '')]) {
      const page = await review.get(`/inbox?list=todo&q=${encodeURIComponent(q)}`);
      expect(rowsOf(page.text).length, q).toBe(1);
      expect(page.text, q).toContain('关于加装电梯的建议');
      expect(page.text, q).not.toContain('关于优化公交线路的建议');
    }
  });

  it('finds by 提出人 and by title', async () => {
    const byName = await review.get(`/inbox?list=todo&q=${encodeURIComponent('李秀英')}`);
    expect(rowsOf(byName.text).map((r) => cell(r, '提出人'))).toEqual(['李秀英']);
    const byPart = await review.get(`/inbox?list=todo&q=${encodeURIComponent('秀英')}`);
    expect(rowsOf(byPart.text).length).toBe(1);
    const byTitle = await review.get(`/inbox?list=todo&q=${encodeURIComponent('电梯')}`);
    expect(rowsOf(byTitle.text).map((r) => cell(r, '提出人'))).toEqual(['王建国']);
  });

  it('says 没有找到符合条件的事项 when nothing matches, and offers the whole list again', async () => {
    const page = await review.get(`/inbox?list=todo&q=${encodeURIComponent('不存在的事项')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('没有找到符合条件的事项');
    expect(page.text).not.toContain('<table');
    expect(page.text).toContain('<a href="/inbox?list=todo">');
    // Without a search an empty list says so in its own words.
    const empty = await gaj.get('/inbox?list=todo');
    expect(empty.text).toContain('暂无待办事项');
    expect(empty.text).not.toContain('没有找到符合条件的事项');
  });

  it('finds only what the user may see: another deputy’s case stays hidden by number and by name', async () => {
    for (const q of [lift.number.match(/\d+/)![0], '王建国', '电梯']) {
      const all = await li.get(`/instances?q=${encodeURIComponent(q)}`);
      expect(all.text, q).not.toContain('关于加装电梯的建议');
      expect(all.text, q).toContain('没有找到符合条件的事项');
      const started = await li.get(`/inbox?list=started&q=${encodeURIComponent(q)}`);
      expect(started.text, q).not.toContain('关于加装电梯的建议');
    }
    // The review office sees both, and finds each by its proposer on the list of all cases too.
    const mine = await review.get(`/instances?q=${encodeURIComponent('王建国')}`);
    expect(mine.text).toContain('关于加装电梯的建议');
    expect(mine.text).not.toContain('关于优化公交线路的建议');
    expect(cell(rowOf(mine.text, '关于加装电梯的建议'), '编号')).toBe(lift.number);
  });
});

describe('退回', () => {
  it('marks the task a send-back made as 退回 in 待办, and only that task', async () => {
    const t = await taskOf(review, '关于加装电梯的建议');
    const res = await review.post(`/tasks/${t.id}/actions/return`, { to: 'draft', reason: '请补充加装位置', _version: t.version });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const todo = await wang.get('/inbox?list=todo');
    const row = rowOf(todo.text, '关于加装电梯的建议');
    expect(row).toContain('<span class="tag tag-returned">退回</span>');
    const actor = (await s.engine.login('deputy1', 'lvzhi2026')).actor;
    const items = (await s.engine.inbox(actor, 'todo', { page: 1, pageSize: 20 })).items;
    expect(items.find((i) => i.instanceId === lift.id)?.isReturned).toBe(true);

    // Sent in again, the review office's new task is an ordinary one.
    const draft = await taskOf(wang, '关于加装电梯的建议');
    const again = await wang.post(`/tasks/${draft.id}`, { _event: 'submit', _version: draft.version, title: '关于加装电梯的建议', content: '在3号楼加装电梯', category: '城乡建设与管理' });
    expect(again.status, again.text.slice(0, 1500)).toBe(303);
    const reviewTodo = await review.get('/inbox?list=todo');
    expect(rowOf(reviewTodo.text, '关于加装电梯的建议')).not.toContain('tag-returned');
    expect((await wang.get('/inbox?list=todo')).text).not.toContain('tag-returned');
  });

  it('gives API clients the same facts (isReturned, 编号, 提出人)', async () => {
    const tok = await api(s.base, 'POST', '/tokens', { body: { username: 'deputy3', password: 'lvzhi2026' } });
    expect(tok.status).toBe(201);
    const { id } = await start(await loginAs(s.base, 'deputy3'), '关于增设停车位的建议');
    const t = await taskOf(review, '关于增设停车位的建议');
    expect((await review.post(`/tasks/${t.id}/actions/return`, { to: 'draft', reason: '请写明地点', _version: t.version })).status).toBe(303);
    const r = await api(s.base, 'GET', '/inbox?list=todo', { token: tok.json.token as string });
    expect(r.status).toBe(200);
    const item = (r.json.items as Record<string, unknown>[]).find((i) => i.instanceId === id);
    expect(item).toMatchObject({ isReturned: true, initiatorName: '张伟' });
    expect(item?.instanceNumber).toMatch(/^建议 第\d+号$/);
  });
});

describe('已办', () => {
  it('shows when the user handled each task, and where the case is now', async () => {
    s.clock.now = new Date('2026-03-02T02:30:00Z'); // 10:30 in Beijing, 90 minutes after the send-back
    await accept(review, '关于优化公交线路的建议');
    const page = await review.get('/inbox?list=done');
    expect(page.text).toContain('<th scope="col">办理时间</th>');
    const row = rowOf(page.text, '关于优化公交线路的建议');
    expect(cell(row, '办理时间')).toBe('2026-03-02 10:30');
    expect(cell(row, '办理环节')).toBe('审查交办');
    expect(cell(row, '当前环节')).toBe('承办答复');
    expect(cell(row, '编号')).toBe(bus.number);
    expect(cell(row, '提出人')).toBe('李秀英');
    // The send-back is handled too: it lists at the time it was done.
    const returned = rowsOf(page.text).filter((r) => r.includes('关于加装电梯的建议'));
    expect(returned.map((r) => cell(r, '办理时间'))).toEqual(['2026-03-02 09:00']);
  });
});

describe('抄送我的', () => {
  it('shows the case’s current step, not the step it was copied at, and no reader as 办理人', async () => {
    const t = await taskOf(review, '关于加装电梯的建议');
    const copy = await review.post(`/tasks/${t.id}/actions/copy`, { _version: t.version, toUsers: 'gaj1' });
    expect(copy.status, copy.text.slice(0, 1500)).toBe(303);
    const before = rowOf((await gaj.get('/inbox?list=cc')).text, '关于加装电梯的建议');
    expect(cell(before, '当前环节')).toBe('审查交办');

    await accept(review, '关于加装电梯的建议');
    const page = await gaj.get('/inbox?list=cc');
    const row = rowOf(page.text, '关于加装电梯的建议');
    expect(cell(row, '当前环节')).toBe('承办答复');
    expect(cell(row, '编号')).toBe(lift.number);
    expect(cell(row, '提出人')).toBe('王建国');
    expect(cell(row, '状态')).toBe('未读');
    expect(row).not.toContain('审查交办');
    expect(row).not.toContain('韩磊');
    expect(page.text).not.toContain('data-label="办理人"');
    expect(page.text).not.toContain('<th scope="col">办理人</th>');
  });
});

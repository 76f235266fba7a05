// provisional-deadlines.test.ts: December 2026 with calendars/cn.yaml ending at 2026. The
// suggestion flow runs end to end; a working-day deadline into 2027 is counted on weekdays and
// marked provisional on every page and in the API (before: 503 LVZ_CAL_YEAR_MISSING on submit);
// the city admin enters 2027 in the studio (节假日安排) and every provisional deadline and reminder
// is recomputed, with a history line, without a restart, also in a second engine on the database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import { openDb } from '../../engine/store/db.ts';
import { timersOf, type TimerRow } from '../../engine/store/process/index.ts';
import { YEAR_2027 } from '../helpers/calendar-2027.ts';
import { Client, DEMO_PASSWORD, inputValue, loginAs, openFirstTask, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let other: Engine;
let deputy: Client;
let review: Client;
let fgw: Client;
let jyj: Client;
let a = ''; // runs the whole flow; its reminders before the reply deadline reach into 2027
let b = ''; // returned, then resubmitted on 23 December: its 7-working-day review deadline is 2027-01-04

const shanghai = (iso: string): string => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function timers(instanceId: string): Promise<TimerRow[]> {
  const db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  try {
    return (await timersOf(db, instanceId)).filter((t) => t.status === 'pending');
  } finally {
    await db.destroy();
  }
}

async function api(user: string, url: string): Promise<Record<string, unknown>> {
  const login = await fetch(`${s.base}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: DEMO_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${s.base}/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function submit(title: string): Promise<string> {
  await deputy.get('/start/suggestion');
  const res = await deputy.post('/start/suggestion', { _event: 'submit', title, content: '建议内容', category: '城乡建设与管理' });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
  return decodeURIComponent(res.location!.split('/').pop()!);
}

async function reviewTaskOf(instanceId: string): Promise<string> {
  const actor = (await s.engine.login('review1', DEMO_PASSWORD)).actor;
  const page = await s.engine.inbox(actor, 'todo', { page: 1, pageSize: 100 });
  return page.items.find((i) => i.instanceId === instanceId)!.taskId;
}

async function relogin(): Promise<void> {
  [deputy, review, fgw, jyj] = await Promise.all(['deputy1', 'review1', 'fgw1', 'jyj1'].map((u) => loginAs(s.base, u)));
}

beforeAll(async () => {
  s = await startServer({ start: '2026-12-02T01:00:00Z' }); // Wednesday 2 December 2026, 09:00 in Shanghai
  other = await createEngine({ dataDir: s.dataDir, now: () => s.clock.now, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  await relogin();
});
afterAll(async () => {
  await other?.close();
  await s?.close();
});

describe('deadlines into a year the holiday calendar lacks', () => {
  it('on 2 December: submit and accept; reminders before the reply deadline (March 2027) are provisional', async () => {
    a = await submit('关于冬季供暖保障的建议');
    const { id, html } = await openFirstTask(review);
    const res = await review.post(`/tasks/${id}`, {
      _event: 'accept', _version: inputValue(html, '_version'), _opinion: '同意交办', lead_unit: 'city-fgw', co_units: 'city-jyj', is_complex: '否', is_key: '否',
    });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const t = await timers(a);
    // 1 month (协办) ends on Saturday 2027-01-02 and moves to Monday 01-04; 3 months end on Tuesday 03-02. Whether
    // those are rest days in 2027 is not known yet: provisional. The reminders count working days into 2027.
    expect(t.filter((x) => x.kind === 'deadline').map((x) => [shanghai(x.fireAt), x.provisional])).toEqual([['2027-01-04', true], ['2027-03-02', true]]);
    expect(t.filter((x) => x.kind === 'remind').map((x) => [shanghai(x.fireAt), x.provisional])).toEqual([['2026-12-25', true], ['2027-02-16', true]]);
    expect(t.every((x) => x.startedAt === '2026-12-02T01:00:00.000Z' && x.duration)).toBe(true);
  });

  it('on 23 December: a resubmitted suggestion gets a provisional 2027 deadline, marked on every page and in the API', async () => {
    b = await submit('关于增设社区食堂的建议');
    const reviewer = (await s.engine.login('review1', DEMO_PASSWORD)).actor;
    const taskId = await reviewTaskOf(b);
    await s.engine.taskAction(reviewer, taskId, { action: 'return', to: 'draft', reason: '请补充选址', version: (await s.engine.task(reviewer, taskId)).version });
    s.clock.now = new Date('2026-12-23T01:00:00Z');
    await relogin(); // three weeks on, the sessions of 2 December have expired
    const draft = await openFirstTask(deputy);
    const res = await deputy.post(`/tasks/${draft.id}`, { _event: 'submit', _version: inputValue(draft.html, '_version'), title: '关于增设社区食堂的建议', content: '已补充选址', category: '城乡建设与管理' });
    expect(res.status, res.text.slice(0, 1500)).toBe(303); // was 503 LVZ_CAL_YEAR_MISSING
    // 24, 25, 28–31 December, 1 January (元旦, pre-marked), 4 January: the 7th working day.
    const due = (await timers(b)).find((x) => x.kind === 'deadline')!;
    expect([shanghai(due.fireAt), due.provisional]).toEqual(['2027-01-04', true]);

    const inbox = await review.get('/inbox');
    const row = inbox.text.slice(inbox.text.indexOf('关于增设社区食堂的建议'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('暂按工作日估算');
    const task = await review.get(`/tasks/${await reviewTaskOf(b)}`);
    expect(task.text).toContain('暂按工作日估算');
    expect((await deputy.get(`/instances/${b}`)).text).toContain('暂按工作日估算');
    expect((await deputy.get(`/instances/${a}`)).text).toContain('暂按工作日估算'); // its calendar-day deadlines end in 2027 too

    const list = (await api('review1', '/inbox?list=todo')) as { items: { instanceId: string; provisional?: boolean; dueAt?: string }[] };
    expect(list.items.find((i) => i.instanceId === b)).toMatchObject({ provisional: true, dueAt: due.fireAt });
    expect(await api('review1', `/tasks/${await reviewTaskOf(b)}`)).toMatchObject({ provisional: true });
    const view = (await api('deputy1', `/instances/${b}`)) as { openTasks: { provisional?: boolean }[] };
    expect(view.openTasks[0]).toMatchObject({ provisional: true });
    // The admin's overview warns that 2027 is missing.
    expect((await (await loginAs(s.base, 'admin')).get('/admin')).text).toContain('节假日安排未包含 2027 年');
  });

  it('a district admin may read 节假日安排 but not save it (403); a malformed year is a 400 with line:col and stores nothing', async () => {
    const district = await loginAs(s.base, 'zhangdian-admin');
    const page = await district.get('/admin/calendar/2027');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="calendar-readonly"');
    const denied = await district.post('/admin/calendar/2027', { text: YEAR_2027 });
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('节假日安排由市人大常委会的管理员统一维护'); // the engine's refusal, not CSRF's
    expect((await review.get('/admin/calendar')).status).toBe(403); // not an administrator at all
    const district2 = await s.engine.login('zhangdian-admin', DEMO_PASSWORD);
    await expect(s.engine.calendar.save(district2.actor, 2027, YEAR_2027)).rejects.toMatchObject({ code: 'LVZ_AUTH_FORBIDDEN' });

    const admin = await loginAs(s.base, 'admin');
    await admin.get('/admin/calendar/2027');
    const bad = YEAR_2027.replace('2027-02-20, name: 春节调休上班', '2027-02-30, name: 春节调休上班').replace('    - { date: 2027-01-02', '    - { date 2027-01-02');
    const res = await admin.post('/admin/calendar/2027', { text: bad, message: '试填' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/节假日安排\/2027\.yaml:\d+:\d+/);
    expect(res.text).toContain('未保存');
    expect(res.text).toContain('2027-02-30'); // what was typed comes back
    const wrongYear = await admin.post('/admin/calendar/2027', { text: YEAR_2027.replace('2027:', '2028:').replaceAll('2027-', '2028-') });
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.text).toMatch(/节假日安排\/2027\.yaml:\d+:\d+<\/code> 这里只能填写 2027 年的安排/);
    expect((await s.engine.calendar.year(district2.actor, 2027)).versions).toEqual([]);
    expect((await timers(b)).find((x) => x.kind === 'deadline')!.provisional).toBe(true);
  });

  it('the city admin saves 2027: deadlines and reminders are recomputed, history says so, the mark is gone', async () => {
    const admin = await loginAs(s.base, 'admin');
    await admin.get('/admin/calendar/2027');
    const res = await admin.post('/admin/calendar/2027', { text: YEAR_2027, message: '按国务院办公厅通知' });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const saved = await admin.follow(res);
    expect(saved.text).toContain('2027 年节假日安排已保存为第 1 版');
    expect((await admin.get('/admin/calendar')).text).toContain('已在此维护');

    // B: 4 January stands (元旦 was already skipped), now exact; its reminder too.
    const tb = await timers(b);
    expect(tb.map((x) => [x.kind, shanghai(x.fireAt), x.provisional])).toEqual([['remind', '2026-12-30', false], ['deadline', '2027-01-04', false]]);
    // A: the reminder ten working days before 2 March moves past 春节's make-up Saturday: 16 → 17 February.
    const ta = await timers(a);
    expect(ta.filter((x) => x.kind === 'remind').map((x) => [shanghai(x.fireAt), x.provisional])).toEqual([['2026-12-25', false], ['2027-02-17', false]]);

    const reviewer = (await s.engine.login('review1', DEMO_PASSWORD)).actor;
    const hb = (await s.engine.instance(reviewer, b)).history.filter((h) => h.type === 'deadline.recomputed');
    expect(hb.map((h) => h.summary)).toEqual(['节假日安排更新（办理期限按2027年节假日安排重新计算：仍为2027年1月4日，催办提醒 1 条随之重新排定）']);
    const ha = (await s.engine.instance(reviewer, a)).history.filter((h) => h.type === 'deadline.recomputed');
    expect(ha).toHaveLength(1);
    expect(ha[0]!.summary).toBe('节假日安排更新（办理期限按2027年节假日安排重新计算：仍为2027年1月4日；仍为2027年3月2日，催办提醒 2 条随之重新排定）');

    expect((await review.get('/inbox')).text).not.toContain('暂按工作日估算');
    expect((await review.get(`/tasks/${await reviewTaskOf(b)}`)).text).not.toContain('暂按工作日估算');
    expect(await api('review1', `/tasks/${await reviewTaskOf(b)}`)).not.toHaveProperty('provisional');
    expect((await (await loginAs(s.base, 'admin')).get('/admin')).text).not.toContain('节假日安排未包含 2027 年');

    // Saving again recomputes nothing more: one history line per instance.
    await admin.get('/admin/calendar/2027');
    expect((await admin.post('/admin/calendar/2027', { text: YEAR_2027 + '# 核对无误\n' })).status).toBe(303);
    expect((await s.engine.instance(reviewer, b)).history.filter((h) => h.type === 'deadline.recomputed')).toHaveLength(1);
  });

  it('the rest of the flow runs to the end', async () => {
    s.clock.now = new Date('2026-12-24T01:00:00Z');
    await relogin();
    const co = await openFirstTask(jyj);
    expect((await jyj.post(`/tasks/${co.id}`, { _event: inputValue(co.html, '_event') ?? 'submit', _version: inputValue(co.html, '_version'), co_opinion: '同意' })).status).toBe(303);
    const lead = await openFirstTask(fgw);
    expect((await fgw.post(`/tasks/${lead.id}`, { _event: inputValue(lead.html, '_event') ?? 'submit', _version: inputValue(lead.html, '_version'), reply: '已纳入计划', grade: 'B' })).status).toBe(303);
    const ev = await openFirstTask(deputy);
    const res = await deputy.post(`/tasks/${ev.id}`, {
      _event: inputValue(ev.html, '_event') ?? 'submit', _version: inputValue(ev.html, '_version'),
      eval_attitude: '好', eval_method: '好', eval_effect: '较好', eval_overall: '满意', eval_comment: '满意',
    });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    expect((await deputy.follow(res)).text).toContain('已办结');
    expect(await timers(a)).toEqual([]);
  });
  it('another process on the database applies the new year from its next timer tick, without a restart', async () => {
    s.clock.now = new Date('2027-01-27T01:00:00Z'); // Wednesday: 7 working days run into 春节
    await other.fireDueTimers();
    const deputyActor = (await other.login('deputy1', DEMO_PASSWORD)).actor;
    const { instanceId } = await other.start(deputyActor, 'suggestion', { event: 'submit', version: 0, input: { title: '关于春节期间公交加班的建议', category: '城乡建设与管理', content: '……' } });
    // 28, 29 January, 1–4 February, then 15 February (5–13 February 春节): exact, not provisional.
    const due = (await timers(instanceId)).find((x) => x.kind === 'deadline')!;
    expect([shanghai(due.fireAt), due.provisional]).toEqual(['2027-02-15', false]);
  });

});

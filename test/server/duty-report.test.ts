// duty-report.test.ts: 任命人员履职报告测评 (workflows/duty-report.yaml) over real HTTP: the meeting
// room's 投屏 page of the sitting lists every appointee and shows no result while the vote is open;
// the chair closes it on the ballot page and the same 投屏 page shows every appointee's result at once
// (测评结果当场公布); the ballot page of a member not signed in says so and refuses the vote; afterwards
// each appointee's unit opens a feedback page with only that appointee's result. The roster's written
// reports are uploaded row by row (a 书面报告 row without its file is refused with a zh-CN message).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../engine/runtime/types.ts';
import { DEMO_PASSWORD, loginAs, openFirstTask, startServer, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let chair: Client;
beforeAll(async () => {
  s = await startServer({ start: '2026-12-03T01:00:00Z' });
  chair = await loginAs(s.base, 'member1');
});
afterAll(async () => s?.close());

const actors = new Map<string, Actor>();
/** One login per user, one at a time (the login limiter refuses a burst). */
async function actorOf(u: string): Promise<Actor> {
  if (!actors.has(u)) actors.set(u, (await s.engine.login(u, DEMO_PASSWORD)).actor);
  return actors.get(u)!;
}

const ROSTER = [
  { name: '周建设', post: '市发展和改革委员会主任', unit: 'city-fgw', report_kind: '口头报告' },
  { name: '钱教育', post: '市教育局局长', unit: 'city-jyj', report_kind: '口头报告' },
];

// Logging in 35 members (scrypt) takes seconds on a loaded machine.
describe('任命人员履职报告测评 over HTTP', { timeout: 180_000 }, () => {
  it('投屏 shows every appointee, no result while open, every result once the chair closes', async () => {
    const { instanceId } = await s.engine.start(await actorOf('staff1'), 'duty-report', {
      event: 'submit', version: 0, input: { meeting: '市十五届人大常委会第四十次会议', meeting_date: '2026-12-10', roster: ROSTER },
    });
    const ballots = await s.engine.ballotsOf(await actorOf('member1'), instanceId);
    expect(ballots).toHaveLength(2);
    const [first, second] = ballots.map((b) => b.ballotId) as [string, string];
    const present: string[] = [];
    for (let i = 1; i <= 30; i++) present.push((await actorOf(`member${i}`)).userId);
    await s.engine.signIn(await actorOf('member1'), first, present);
    await s.engine.openBallot(await actorOf('member1'), first);
    for (let i = 1; i <= 30; i++) {
      const m = await actorOf(`member${i}`);
      await s.engine.castBallot(m, first, i <= 28 ? '满意' : '基本满意');
      await s.engine.castBallot(m, second, i <= 20 ? '满意' : i <= 26 ? '基本满意' : '不满意');
    }

    const open = await chair.get(`/ballots/${first}/live`);
    expect(open.status).toBe(200);
    for (const title of ['周建设（市发展和改革委员会主任）', '钱教育（市教育局局长）']) expect(open.text).toContain(title);
    expect(open.text).toContain('表决结束后公布结果');
    expect(open.text).not.toContain('93.3%');

    // A member who was not signed in: the page says why, and the vote is refused.
    const late = await loginAs(s.base, 'member31');
    await late.get(`/ballots/${first}`);
    expect((await late.post(`/ballots/${first}/cast`, { choice: '满意' })).status).toBe(403);

    await chair.get(`/ballots/${first}`);
    expect((await chair.post(`/ballots/${first}/close`, { reason: '会议议程已到' })).status).toBe(303);
    const closed = await chair.get(`/ballots/${second}/live`);
    expect(closed.status).toBe(200);
    for (const figure of ['93.3%', '6.7%', '66.7%', '20.0%', '13.3%']) expect(closed.text).toContain(figure);
    expect(closed.text).not.toContain('表决结束后公布结果');
    expect((await s.engine.instance(await actorOf('admin'), instanceId)).summary.state).toBe('opinions');

    // The staff end 审议意见 and send the summary: each appointee's unit opens a page with that appointee alone.
    const staff = await actorOf('staff1');
    const versionNow = async (): Promise<number> => (await s.engine.instance(staff, instanceId)).version;
    await s.engine.closeGroup(staff, instanceId, { reason: '会议结束', version: await versionNow() });
    const summary = (await s.engine.inbox(staff, 'todo', { page: 1, pageSize: 50 })).items.find((t) => t.instanceId === instanceId)!;
    await s.engine.complete(staff, summary.taskId, { event: 'submit', version: await versionNow(), input: { result_note: '见测评结果', review_opinion: '建议进一步加强调查研究。' } });
    for (const [user, mine, theirs] of [['fgw1', 0, 1], ['jyj1', 1, 0]] as const) {
      const { html } = await openFirstTask(await loginAs(s.base, user));
      expect(html).toContain(`${ROSTER[mine].name}（${ROSTER[mine].post}）履职测评结果反馈`);
      expect(html).toContain(['满意28票，占93.3%；基本满意2票，占6.7%；不满意0票，占0.0%', '满意20票，占66.7%；基本满意6票，占20.0%；不满意4票，占13.3%'][mine]);
      expect(html).toContain('建议进一步加强调查研究。');
      expect(html).not.toContain(ROSTER[theirs].name);
      expect(html).toContain('name="unit_feedback"');
    }
  });
});

/** The start form as a browser sends it: the roster as `roster[i][…]` rows, files in their row's input. */
function rosterForm(rows: { name: string; post: string; unit: string; report_kind: string; file?: string }[]): FormData {
  const form = new FormData();
  form.append('_event', 'submit');
  form.append('meeting', '市十五届人大常委会第四十一次会议');
  form.append('meeting_date', '2026-12-17');
  rows.forEach((r, i) => {
    for (const k of ['name', 'post', 'unit', 'report_kind'] as const) form.append(`roster[${i}][${k}]`, r[k]);
    if (r.file) form.append(`roster[${i}][report]`, new Blob(['%PDF-1.4 履职情况报告'], { type: 'application/pdf' }), r.file);
  });
  return form;
}

describe('书面报告, one per roster row, over HTTP', { timeout: 120_000 }, () => {
  const rows = [
    { name: '周建设', post: '市发展和改革委员会主任', unit: 'city-fgw', report_kind: '口头报告' },
    { name: '李规划', post: '市发展和改革委员会副主任', unit: 'city-fgw', report_kind: '书面报告' },
  ];

  it('the start page has a file input in every row and posts multipart', async () => {
    const staff = await loginAs(s.base, 'staff1');
    const page = await staff.get('/start/duty-report');
    expect(page.status).toBe(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toMatch(/<input[^>]*name="roster\[0\]\[report\]"[^>]*type="file"/);
  });

  it('a 书面报告 row without its file is refused with a zh-CN message, and nothing is started', async () => {
    const staff = await loginAs(s.base, 'staff1');
    await staff.get('/start/duty-report');
    const res = await staff.postMultipart('/start/duty-report', rosterForm(rows));
    expect(res.status).toBe(422);
    expect(res.text).toContain('名单中报告方式为书面报告的人员须上传书面报告：请在该人员一行的“书面报告”处上传文件后再提交');
    expect(res.text).toContain('href="#f-roster"');
    expect((await staff.get('/inbox?list=started')).text).not.toContain('市十五届人大常委会第四十一次会议');
  });

  it('添加一项 without JavaScript keeps the file already chosen in its row, ticked, and adds a blank row', async () => {
    const staff = await loginAs(s.base, 'staff1');
    await staff.get('/start/duty-report');
    const form = rosterForm([{ ...rows[1]!, file: '李规划履职情况报告.pdf' }]);
    form.delete('_event'); // the 添加一项 button is pressed, not a submit button
    form.append('_add_roster', '1');
    const res = await staff.postMultipart('/start/duty-report', form);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name="roster\[0\]\[report\]" type="checkbox" value="[^"]+" checked/);
    expect(res.text).toContain('李规划履职情况报告.pdf');
    expect(res.text).toContain('name="roster[1][report]" type="file"');
    expect((await staff.get('/inbox?list=started')).text).not.toContain('市十五届人大常委会第四十一次会议');
    // The kept file and the new row, submitted: the case starts with the report in its row.
    const kept = /name="roster\[0\]\[report\]" type="checkbox" value="([^"]+)" checked/.exec(res.text)![1]!;
    const next = rosterForm([rows[1]!, rows[0]!]);
    next.append('roster[0][report]', kept);
    const started = await staff.postMultipart('/start/duty-report', next);
    expect(started.status, started.text.slice(0, 1500)).toBe(303);
    const page = await staff.get(started.location!);
    expect(page.text).toContain('李规划履职情况报告.pdf');
    expect(page.text).toContain('周建设');
  });

  it('添加一项 on the task page of a saved draft: one more row, nothing saved', async () => {
    const staff = await loginAs(s.base, 'staff1');
    await staff.get('/start/duty-report');
    const form = rosterForm([rows[0]!]);
    form.set('_event', '_draft');
    const saved = await staff.postMultipart('/start/duty-report', form);
    expect(saved.status).toBe(303);
    const taskUrl = saved.location!;
    const before = await staff.get(taskUrl);
    expect(before.text).not.toContain('name="roster[1][name]"');
    const res = await staff.post(taskUrl, { _add_roster: '1', meeting: '市十五届人大常委会第四十一次会议', meeting_date: '2026-12-17', 'roster[0][name]': '周建设', 'roster[0][post]': '市发展和改革委员会主任', 'roster[0][unit]': 'city-fgw', 'roster[0][report_kind]': '口头报告' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="roster[1][name]"');
    expect(res.text).toContain('value="周建设"');
    expect((await staff.get(taskUrl)).text).not.toContain('name="roster[1][name]"');
  });

  it('with the file in its row the case starts, and the report is listed in that row', async () => {
    const staff = await loginAs(s.base, 'staff1');
    await staff.get('/start/duty-report');
    const res = await staff.postMultipart('/start/duty-report', rosterForm([rows[0]!, { ...rows[1]!, file: '李规划履职情况报告.pdf' }]));
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const page = await staff.get(res.location!);
    expect(page.text).toMatch(/<a href="\/files\/[^"]+">李规划履职情况报告.pdf<\/a>/);
    const href = /<a href="(\/files\/[^"]+)">李规划履职情况报告.pdf/.exec(page.text)![1]!;
    // A member of the standing committee reads it before evaluating; a unit with no part in the case does not.
    expect((await (await loginAs(s.base, 'member7')).get(href)).status).toBe(200);
    expect([403, 404]).toContain((await (await loginAs(s.base, 'gaj1')).get(href)).status);
  });
});

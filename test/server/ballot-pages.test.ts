// ballot-pages.test.ts: the ballot pages (issue 15) over real HTTP on the real engine, as a browser
// without JavaScript sees them: 签到, opening, casting each kind, the receipt shown once, 您已投票 without
// it, the refusals (CSRF, a forged id, not chair, not eligible, not signed in, 14 of 13, after close)
// with a zh-CN message and nothing changed, closing, 核对我的投票 by POST, the result sheet and its .xlsx
// with the seeds' shares (4 and 7 against of 33 present = 12.1% and 21.2%), and the 投屏 page and its
// event stream. Workflows: the engine's ballot fixtures (test/fixtures/runtime/ballots).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotServer, opened, toBallot, type BallotServer } from '../helpers/ballot-world.ts';
import { loginAs, type Client } from '../helpers/http.ts';

let w: BallotServer;
let chair: Client;

beforeAll(async () => {
  w = await ballotServer(33);
  chair = await loginAs(w.s.base, 'leader1');
});
afterAll(async () => w?.close());

const RECEIPT = /[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}/;
const cookie = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const view = (id: string) => w.s.engine.ballotView(w.chair, id);

/** The chair signs in `count` members through the 签到 form (all listed, the first `count` ticked). */
async function signInByForm(id: string, count: number): Promise<void> {
  const page = await chair.get(`/ballots/${id}`);
  const listed = [...page.text.matchAll(/name="_listed" value="([^"]+)"/g)].map((m) => m[1]!);
  expect(listed).toHaveLength(33);
  const saved = await chair.post(`/ballots/${id}/attendance`, { _listed: listed, present: w.members.slice(0, count).map((m) => m.userId) });
  expect(saved.status).toBe(303);
}

describe('ballot pages on the engine', () => {
  it('a forged ballot id is a 404; a post without its CSRF token is refused and changes nothing', async () => {
    expect((await chair.get('/ballots/no-such-ballot')).status).toBe(404);
    expect((await chair.get('/ballots/00000000-0000-4000-8000-000000000000/live')).status).toBe(404);
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await chair.get(`/ballots/${id}`);
    const res = await chair.post(`/ballots/${id}/attendance`, { _csrf: 'forged', _listed: w.members[0]!.userId, present: w.members[0]!.userId });
    expect(res.status).toBe(403);
    expect(res.text).toContain('表单已过期');
    expect((await view(id!)).present).toBe(0);
  });

  it('签到, opening, a secret cast with its receipt once, 您已投票 on a repeat, the refusals, closing and 核对我的投票', async () => {
    const { instanceId, ballotIds: [id] } = await toBallot(w, 'vote-secret');
    const m1 = await loginAs(w.s.base, 'm0001');
    // Reached from the case's page and from 待办, the chair's and each member's.
    expect((await chair.get('/inbox')).text).toContain(`href="/ballots/${id}"`);
    expect((await m1.get('/inbox')).text).toContain(`href="/ballots/${id}"`);
    // 郑晓东 started the case: its page has a 表决 box.
    expect((await (await loginAs(w.s.base, 'staff1')).get(`/instances/${instanceId}`)).text).toContain(`href="/ballots/${id}"`);

    // Draft: the member is told to sign in; the chair sees the list, filterable without script.
    let page = await m1.get(`/ballots/${id}`);
    expect(page.text).toContain('您还没有签到');
    expect(page.text).not.toContain('name="choice"');
    const q = w.members[4]!.name;
    page = await chair.get(`/ballots/${id}?q=${encodeURIComponent(q)}`);
    expect(page.text).toMatch(/符合条件的共 [1-9]\d* 人/);
    expect(page.text).not.toContain('符合条件的共 33 人');
    // 查找出的人员全部签到 signs in just those; saving them unticked signs them out again.
    const shown = [...page.text.matchAll(/name="_listed" value="([^"]+)"/g)].map((m) => m[1]!);
    let saved = await chair.post(`/ballots/${id}/attendance`, { q, _listed: shown, _all: '1' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/ballots/${id}?q=${encodeURIComponent(q).replace(/%20/g, '+')}#attendance`);
    expect((await view(id!)).present).toBe(shown.length);
    expect((await chair.post(`/ballots/${id}/attendance`, { q, _listed: shown })).status).toBe(303);
    expect((await view(id!)).present).toBe(0);
    saved = await chair.post(`/ballots/${id}/attendance`, { _listed: [], _all: '1' });
    expect((await view(id!)).present).toBe(33);
    expect((await chair.post(`/ballots/${id}/attendance`, { _listed: w.members.map((m) => m.userId) })).status).toBe(303);
    expect((await view(id!)).present).toBe(0);

    // A member cannot open it, nor sign in someone else.
    const m2 = await loginAs(w.s.base, 'm0002');
    await m2.get(`/ballots/${id}`);
    expect((await m2.post(`/ballots/${id}/open`, {})).status).toBe(403);
    const forged = await m2.post(`/ballots/${id}/attendance`, { _listed: w.members[2]!.userId, present: w.members[2]!.userId });
    expect(forged.status).toBe(403);
    expect((await view(id!)).present).toBe(0);
    // Too few for the quorum (过半数 of 33 is 17): opening is refused on the page.
    await signInByForm(id!, 16);
    let res = await chair.post(`/ballots/${id}/open`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('lz-error-summary');
    // A cast before opening: 409.
    await m1.get(`/ballots/${id}`);
    expect((await m1.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(409);

    await signInByForm(id!, 20);
    page = await chair.get(`/ballots/${id}`);
    expect(page.text).toContain('开始后以下内容不能再改');
    expect((await chair.post(`/ballots/${id}/open`, {})).status).toBe(303);
    expect((await m1.get('/inbox')).text).toContain(`href="/ballots/${id}"`);
    page = await m1.get(`/ballots/${id}`);
    for (const label of ['赞成', '反对', '弃权']) expect(page.text).toContain(label);
    const cast = await m1.post(`/ballots/${id}/cast`, { choice: 'against' });
    expect(cast.status).toBe(200);
    expect(cast.location).toBeNull();
    expect(cast.headers.get('cache-control')).toBe('no-store');
    const receipt = RECEIPT.exec(cast.text)?.[0];
    expect(receipt).toBeDefined();
    expect(cast.text).toContain('核对我的投票');
    // Again (a second click, a replay): 您已投票, never the receipt again, nothing counted twice.
    const again = await m1.post(`/ballots/${id}/cast`, { choice: 'for' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('您已投票');
    expect(again.text).not.toMatch(RECEIPT);
    expect((await view(id!)).castCount).toBe(1);

    // Not signed in (m0030), not in the electorate (review1): 403 with the reason, nothing cast.
    const m30 = await loginAs(w.s.base, 'm0030');
    await m30.get(`/ballots/${id}`);
    res = await m30.post(`/ballots/${id}/cast`, { choice: 'for' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('lz-error-summary');
    const outsider = await loginAs(w.s.base, 'review1');
    expect((await outsider.get(`/ballots/${id}`)).status).toBe(404);
    expect((await outsider.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(404);
    // A bad choice: 422, the message on the form and linked from the summary.
    await m2.get(`/ballots/${id}`);
    const bad = await m2.post(`/ballots/${id}/cast`, { choice: 'maybe' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('请选择赞成、反对或弃权中的一项后再提交');
    expect(bad.text).toContain(`href="#c-${id}"`);
    expect((await view(id!)).castCount).toBe(1);
    expect((await m2.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(200);

    // While open, nothing counted is shown (secret).
    page = await m1.get(`/ballots/${id}`);
    expect(page.text).toContain('您已投票');
    expect(page.text).not.toContain('占实到人数');
    // 核对 before close: told to come back after.
    expect((await m1.post(`/ballots/${id}/verify`, { code: receipt! })).status).toBe(409);

    // Closing with 18 present not voted: the page asks for a reason; closed with one.
    page = await chair.get(`/ballots/${id}`);
    expect(page.text).toContain('还有 18 位到会人员没有投票');
    expect((await chair.post(`/ballots/${id}/close`, { reason: '会议时间已到' })).status).toBe(303);
    expect((await m30.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(409);

    // The result: counts and shares of 20 present (1 of 20 = 5.0%), the 校验码.
    page = await m1.get(`/ballots/${id}`);
    expect(page.text).toContain('5.0%');
    expect(page.text).toContain((await view(id!)).seal!.code);

    // 核对我的投票: found names the row, never the choice; a well-formed stranger is 未找到; junk is 400.
    await m1.get(`/ballots/${id}/verify`);
    const found = await m1.post(`/ballots/${id}/verify`, { code: receipt!.toLowerCase() });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/已计入：第 [12] 张，摘要 [0-9a-f]{16}/);
    expect(found.text).not.toContain('反对');
    expect(found.text).not.toContain(receipt!);
    expect((await m1.post(`/ballots/${id}/verify`, { code: '00000-00000-00000-00000' })).text).toContain('未找到');
    const junk = await m1.post(`/ballots/${id}/verify`, { code: 'abc' });
    expect(junk.status).toBe(400);
    expect(junk.text).toContain('lz-error-summary');
  });

  it('choose 13 of 20: 14 ticked is refused with the count and every tick kept', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-choose', '2027 年民生实事项目');
    await opened(w, id!, 20);
    const m1 = await loginAs(w.s.base, 'm0001');
    const page = await m1.get(`/ballots/${id}`);
    expect(page.text).toContain('最多可勾选 13 项');
    expect(page.text).toContain('data-choose-count');
    const options = [...page.text.matchAll(/name="choice" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(options).toHaveLength(20);
    const res = await m1.post(`/ballots/${id}/cast`, { choice: options.slice(0, 14) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('最多勾选 13 项');
    expect([...res.text.matchAll(/type="checkbox" value="[^"]+" checked/g)]).toHaveLength(14);
    expect((await view(id!)).castCount).toBe(0);
    // One tick is still a list to the engine.
    expect((await m1.post(`/ballots/${id}/cast`, { choice: options[0]! })).status).toBe(200);
  });

  it('a roster: one rating form per appointee on one page, each cast on its own', async () => {
    const { ballotIds } = await toBallot(w, 'vote-roster', '2026 年任命人员履职报告会');
    expect(ballotIds).toHaveLength(3);
    await opened(w, ballotIds[0]!, 20);
    const m1 = await loginAs(w.s.base, 'm0001');
    let page = await m1.get(`/ballots/${ballotIds[1]}`);
    for (const a of ['王一履职情况', '李二履职情况', '张三履职情况']) expect(page.text).toContain(a);
    expect([...page.text.matchAll(/action="\/ballots\/[^"]+\/cast"/g)]).toHaveLength(3);
    expect((await m1.post(`/ballots/${ballotIds[1]}/cast`, { choice: '基本满意' })).status).toBe(200);
    page = await m1.get(`/ballots/${ballotIds[0]}`);
    expect([...page.text.matchAll(/action="\/ballots\/[^"]+\/cast"/g)]).toHaveLength(2);
    expect(page.text).toContain('您已投票');
    expect(page.text).toContain('截止');
    // Its deadline (closes.after 30 minutes) closes the sitting: the page says so and shows each result.
    w.s.clock.now = new Date(w.s.clock.now.getTime() + 31 * 60_000);
    await w.s.engine.fireDueTimers();
    page = await m1.get(`/ballots/${ballotIds[0]}`);
    expect(page.text).toContain('表决到截止时间自动结束');
    expect([...page.text.matchAll(/占实到人数/g)]).toHaveLength(3);
    // The sitting's .xlsx: one worksheet per appointee, each headed by its title.
    const res = await fetch(`${w.s.base}/ballots/${ballotIds[0]}/result.xlsx`, { headers: { cookie: cookie(chair) } });
    expect(res.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((ws) => ws.getCell('A1').value)).toEqual(['王一履职情况', '李二履职情况', '张三履职情况']);
    const second = new Map<string, unknown[]>();
    wb.worksheets[1]!.eachRow((row) => { const v = row.values as unknown[]; second.set(String(v[1]), v.slice(2)); });
    expect(second.get('基本满意')).toEqual([1, '5.0%']); // 1 of 20 present
  });

  it('a named ballot with live results: no receipt, the member sees their own choice; a score out of range keeps what was typed', async () => {
    const { ballotIds: [named] } = await toBallot(w, 'vote-named');
    await opened(w, named!, 20);
    const m1 = await loginAs(w.s.base, 'm0001');
    await m1.get(`/ballots/${named}`);
    const ok = await m1.post(`/ballots/${named}/cast`, { choice: 'for' });
    expect(ok.status).toBe(303);
    const page = await m1.follow(ok);
    expect(page.text).toContain('您已投票，您的选择是：赞成');
    expect(page.text).toContain('占实到人数');
    // Closed, the printed 表决结果 and its .xlsx list the record voter by voter (记名表决), as the page does.
    await w.s.engine.castBallot(w.members[1]!, named!, 'against');
    await w.s.engine.closeBallot(w.chair, named!, '会议议程已到');
    const printed = await chair.get(`/ballots/${named}/result`);
    expect(printed.text).toContain('记名表决情况（2 人）');
    expect(printed.text).toMatch(new RegExp(`<th scope="row">${w.members[0]!.name}</th><td>赞成</td>`));
    expect(printed.text).toMatch(new RegExp(`<th scope="row">${w.members[1]!.name}</th><td>反对</td>`));
    const xres = await fetch(`${w.s.base}/ballots/${named}/result.xlsx`, { headers: { cookie: cookie(chair) } });
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xres.arrayBuffer()) as unknown as ArrayBuffer);
    const cells = new Map<string, unknown>();
    book.worksheets[0]!.eachRow((row) => { const v = row.values as unknown[]; cells.set(String(v[1]), v[2]); });
    expect(cells.get(w.members[0]!.name)).toBe('赞成');
    expect(cells.get(w.members[1]!.name)).toBe('反对');

    const { ballotIds: [sc] } = await toBallot(w, 'vote-score');
    await opened(w, sc!, 20);
    await m1.get(`/ballots/${sc}`);
    const out = await m1.post(`/ballots/${sc}/cast`, { choice: '120' });
    expect(out.status).toBe(422);
    expect(out.text).toContain('不在 0 到 100 之间');
    expect(out.text).toContain('value="120"');
    expect((await m1.post(`/ballots/${sc}/cast`, { choice: '87.5' })).status).toBe(200);
  });

  it('the result sheet and its .xlsx reproduce the seeds: 4 and 7 against of 33 present = 12.1% and 21.2%', async () => {
    const sheetFor = async (against: number) => {
      const { ballotIds: [id] } = await toBallot(w, 'vote-secret', `专项工作报告（反对 ${against} 票）`);
      await opened(w, id!);
      for (const [i, m] of w.members.entries()) await w.s.engine.castBallot(m, id!, i < against ? 'against' : i < 30 ? 'for' : 'abstain');
      await w.s.engine.closeBallot(w.chair, id!, '会议议程已到');
      return id!;
    };
    const id4 = await sheetFor(4);
    const id7 = await sheetFor(7);
    const sheet4 = await chair.get(`/ballots/${id4}/result`);
    expect(sheet4.status).toBe(200);
    expect(sheet4.text).toMatch(/反对<\/th><td class="num">4<\/td><td class="num">12\.1%/);
    const sheet7 = await chair.get(`/ballots/${id7}/result`);
    expect(sheet7.text).toMatch(/反对<\/th><td class="num">7<\/td><td class="num">21\.2%/);
    const v7 = await view(id7);
    expect(sheet7.text).toContain(v7.seal!.code);
    expect(sheet7.text).toContain(v7.seal!.head);
    expect(sheet7.text).toContain('通过');
    // A secret ballot's sheet lists nobody.
    expect(sheet7.text).not.toContain('记名表决情况');

    const res = await fetch(`${w.s.base}/ballots/${id7}/result.xlsx`, { headers: { cookie: cookie(chair) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = new Map<string, unknown[]>();
    ws.eachRow((row) => { const v = row.values as unknown[]; rows.set(String(v[1]), v.slice(2)); });
    expect(rows.get('选项')).toEqual(['票数', '占实到人数']);
    expect(rows.get('反对')).toEqual([7, '21.2%']);
    expect(rows.get('赞成')).toEqual([23, '69.7%']);
    expect(rows.get('弃权')).toEqual([3, '9.1%']);
    expect(rows.get('实到')).toEqual([33]);
    expect(rows.get('校验码')).toEqual([v7.seal!.code]);
    expect(rows.get('完整摘要')).toEqual([v7.seal!.head]);
    expect(rows.get('结论')).toEqual(['通过']);
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(20);
    // Not yet closed: no sheet to download.
    const { ballotIds: [open] } = await toBallot(w, 'vote-secret');
    expect((await fetch(`${w.s.base}/ballots/${open}/result.xlsx`, { headers: { cookie: cookie(chair) } })).status).toBe(409);
  });

  it('the 投屏 page: a noscript refresh, counts but no result while open, an event stream that follows the casts, the result and 校验码 after close', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 20);
    const page = await chair.get(`/ballots/${id}/live`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(page.text).toContain(`data-live-src="/ballots/${id}/live/events"`);
    expect(page.text).toContain('表决结束后公布结果');

    const ctl = new AbortController();
    const res = await fetch(`${w.s.base}/ballots/${id}/live/events`, { signal: ctl.signal, headers: { cookie: cookie(chair) } });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (cond: (t: string) => boolean) => {
      while (!cond(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil((t) => t.includes('event: panel'));
    expect(text).toContain('<dd>0</dd>');
    await w.s.engine.castBallot(w.members[0]!, id!, 'for');
    await readUntil((t) => t.split('event: panel').length > 2);
    expect(text.split('event: panel')[2]).toContain('<dd>1</dd>');
    expect(text).not.toContain('占实到人数');
    await w.s.engine.closeBallot(w.chair, id!, '测试结束');
    await readUntil((t) => t.includes('校验码'));
    expect(text).toContain('5.0%');
    expect(text).toContain((await view(id!)).seal!.code);
    ctl.abort();
  });
});

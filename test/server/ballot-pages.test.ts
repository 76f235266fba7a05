// ballot-pages.test.ts: the ballot pages (issue 15) over real HTTP as a browser without JavaScript sees
// them: 签到, opening, casting each kind, the receipt shown once, 您已投票 without it, the refusals (CSRF,
// a forged id, not eligible, not signed in, 14 of 13, after close) with a zh-CN message and nothing
// changed, closing early with a reason, 核对我的投票 by POST, the result sheet and its .xlsx with the
// seeds' shares (4 and 7 of 33 = 12.1% and 21.2%), and the 投屏 page and its event stream.
//
// The ballot operations are the in-memory double on the real core (test/helpers/ballot-double.ts)
// until the engine's are merged; the rest is the real engine on a real database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../engine/runtime/types.ts';
import { withBallotDouble, type ballotDouble } from '../helpers/ballot-double.ts';
import { actorOf, addSitting, caseFor, choose, forAgainst, membersOf, rating, score, DEPUTIES } from '../helpers/ballot-sittings.ts';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let ballots: ReturnType<typeof ballotDouble>;
let chair: Client;
let caseId: string;

beforeAll(async () => {
  s = await startServer({
    wrapEngine: (engine, now) => {
      const d = withBallotDouble(engine, now);
      ballots = d.ballots;
      return d.engine;
    },
  });
  chair = await loginAs(s.base, 'staff1');
  caseId = await caseFor(s.engine, '关于市政府食品安全工作情况的报告');
});
afterAll(async () => s?.close());

const RECEIPT = /[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}/;

/** The chair signs in `usernames` through the 签到 form (all listed, these ticked), then opens the sitting. */
async function signInAndOpen(id: string, usernames: string[]): Promise<void> {
  const page = await chair.get(`/ballots/${id}`);
  const listed = [...page.text.matchAll(/name="_listed" value="([^"]+)"/g)].map((m) => m[1]!);
  const present = await Promise.all(usernames.map(async (u) => (await actorOf(s.engine, u)).userId));
  const saved = await chair.post(`/ballots/${id}/attendance`, { _listed: listed, present });
  expect(saved.status).toBe(303);
  expect((await chair.post(`/ballots/${id}/open`, {})).status).toBe(303);
}

describe('ballot pages', () => {
  it('a forged ballot id is a 404; a post without its CSRF token is refused and changes nothing', async () => {
    expect((await chair.get('/ballots/no-such-ballot')).status).toBe(404);
    const id = await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '关于市政府食品安全工作情况的报告', stepTitle: '满意度测评', ballots: [{ id: 'csrf-1', key: 'v', def: forAgainst('csrf-1') }] });
    await chair.get(`/ballots/${id}`);
    const userId = (await actorOf(s.engine, 'deputy1')).userId;
    const res = await chair.post(`/ballots/${id}/attendance`, { _csrf: 'forged', _listed: userId, present: userId });
    expect(res.status).toBe(403);
    expect(res.text).toContain('表单已过期');
    expect((await s.engine.ballotView(await actorOf(s.engine, 'staff1'), id)).present).toBe(0);
  });

  it('签到, opening, a secret for/against cast with its receipt once, 您已投票 on a repeat, the refusals, an early close and 核对我的投票', async () => {
    const id = await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '关于市政府食品安全工作情况的报告', stepTitle: '满意度测评', ballots: [{ id: 'fa-1', key: 'v', def: forAgainst('fa-1') }] });
    const d1 = await loginAs(s.base, 'deputy1');
    // Draft: the member is told to sign in (and may sign in themselves); the chair sees the list, filterable without script.
    let page = await d1.get(`/ballots/${id}`);
    expect(page.text).toContain('您还没有签到');
    expect(page.text).not.toContain('name="choice"');
    page = await chair.get(`/ballots/${id}?q=${encodeURIComponent('王建国')}`);
    expect(page.text).toContain('共 14 人，显示 1 人');
    page = await chair.get(`/ballots/${id}`);
    expect(page.text).toContain('共 14 人，显示 14 人');
    expect(page.text).toContain('开始后以下内容不能再改');

    // A member cannot open it, nor sign in someone else.
    const d2 = await loginAs(s.base, 'deputy2');
    await d2.get(`/ballots/${id}`);
    expect((await d2.post(`/ballots/${id}/open`, {})).status).toBe(403);
    const other = (await actorOf(s.engine, 'deputy3')).userId;
    const forged = await d2.post(`/ballots/${id}/attendance`, { _listed: other, present: other });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('只有主持人');
    // Too few present for the quorum (过半数 of 14 is 8): opening is refused with the reason.
    await chair.get(`/ballots/${id}`);
    const early = await chair.post(`/ballots/${id}/open`, {});
    expect(early.status).toBe(409);
    expect(early.text).toContain('不符合出席要求');

    // A cast before opening: 409, told why.
    await signInAndOpen(id, DEPUTIES.slice(0, 10));
    page = await d1.get(`/ballots/${id}`);
    for (const label of ['赞成', '反对', '弃权']) expect(page.text).toContain(label);
    const cast = await d1.post(`/ballots/${id}/cast`, { choice: 'against' });
    expect(cast.status).toBe(200);
    expect(cast.location).toBeNull();
    expect(cast.headers.get('cache-control')).toBe('no-store');
    const receipt = RECEIPT.exec(cast.text)?.[0];
    expect(receipt).toBeDefined();
    expect(cast.text).toContain('核对我的投票');
    // Again (a second click, a replay): 您已投票, never the receipt again, nothing counted twice.
    const again = await d1.post(`/ballots/${id}/cast`, { choice: 'for' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('您已投票');
    expect(again.text).not.toMatch(RECEIPT);
    expect((await s.engine.ballotView(await actorOf(s.engine, 'staff1'), id)).castCount).toBe(1);

    // Not signed in (deputy12), not in the electorate (review1): 403 with the reason, nothing cast.
    const d12 = await loginAs(s.base, 'deputy12');
    await d12.get(`/ballots/${id}`);
    const absent = await d12.post(`/ballots/${id}/cast`, { choice: 'for' });
    expect(absent.status).toBe(403);
    expect(absent.text).toContain('没有签到');
    const outsider = await loginAs(s.base, 'review1');
    expect((await outsider.get(`/ballots/${id}`)).text).toContain('您不在本次表决的表决人名单中');
    expect((await outsider.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(403);
    // A bad choice: 422, the message on the form.
    await d2.get(`/ballots/${id}`);
    const bad = await d2.post(`/ballots/${id}/cast`, { choice: 'maybe' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('请选择赞成、反对或弃权中的一项后再提交');
    expect(bad.text).toContain(`href="#c-${id}"`);
    expect((await s.engine.ballotView(await actorOf(s.engine, 'staff1'), id)).castCount).toBe(1);
    expect((await d2.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(200);

    // While open, nothing counted is shown (secret); 核对 is refused before close.
    page = await d1.get(`/ballots/${id}`);
    expect(page.text).toContain('您已投票');
    expect(page.text).not.toContain('占实到人数');

    // Closing early (8 present have not voted): the reason is asked for, what was typed kept; then closed.
    page = await chair.get(`/ballots/${id}`);
    expect(page.text).toContain('还有 8 位到会人员没有投票');
    const noReason = await chair.post(`/ballots/${id}/close`, { reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('href="#close-reason"');
    expect((await chair.post(`/ballots/${id}/close`, { reason: '会议时间已到' })).status).toBe(303);
    const late = await d12.post(`/ballots/${id}/cast`, { choice: 'for' });
    expect(late.status).toBe(409);

    // The result: counts and shares of 10 present (1 of 10 = 10.0%), the 校验码.
    page = await d1.get(`/ballots/${id}`);
    expect(page.text).toContain('10.0%');
    expect(page.text).toContain('校验码');

    // 核对我的投票: a POST; found names the row, never the choice; a well-formed stranger is 未找到; junk is 400.
    await d1.get(`/ballots/${id}/verify`);
    const found = await d1.post(`/ballots/${id}/verify`, { code: receipt!.toLowerCase() });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/已计入：第 [12] 张，摘要 [0-9a-f]{16}/);
    expect(found.text).not.toContain('反对');
    expect(found.text).not.toContain(receipt!);
    const stranger = await d1.post(`/ballots/${id}/verify`, { code: '00000-00000-00000-00000' });
    expect(stranger.text).toContain('未找到');
    const junk = await d1.post(`/ballots/${id}/verify`, { code: 'abc' });
    expect(junk.status).toBe(400);
    expect(junk.text).toContain('核对码应为 20 位');
  });

  it('choose 13 of 20: 14 ticked is refused with the count and every tick kept', async () => {
    const options = Array.from({ length: 20 }, (_, i) => `民生项目${i + 1}`);
    const id = await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '2027 年民生实事项目', stepTitle: '票决', ballots: [{ id: 'ch-1', key: 'p', def: choose('ch-1', options, 13) }] });
    await signInAndOpen(id, DEPUTIES.slice(0, 8));
    const d1 = await loginAs(s.base, 'deputy1');
    const page = await d1.get(`/ballots/${id}`);
    expect(page.text).toContain('最多可勾选 13 项');
    expect(page.text).toContain('data-choose-count');
    const res = await d1.post(`/ballots/${id}/cast`, { choice: options.slice(0, 14) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('最多勾选 13 项');
    expect([...res.text.matchAll(/value="民生项目\d+" checked/g)]).toHaveLength(14);
    // One tick is still a list to the engine.
    expect((await d1.post(`/ballots/${id}/cast`, { choice: options[0]! })).status).toBe(200);
  });

  it('items: one rating form per appointee, each cast on its own; the sitting shares attendance', async () => {
    const appointees = ['市教育局局长 李明', '市卫健委主任 王芳', '市交通局局长 张强'];
    const id = await addSitting(s.engine, ballots, {
      instanceId: caseId, instanceTitle: '2026 年任命人员履职报告会', stepTitle: '履职测评',
      ballots: appointees.map((a, i) => ({ id: `it-${i + 1}`, key: 'eval', itemTitle: a, def: rating(`it-${i + 1}`) })),
    });
    await signInAndOpen(id, DEPUTIES.slice(0, 9));
    const d1 = await loginAs(s.base, 'deputy1');
    let page = await d1.get('/ballots/it-2');
    for (const a of appointees) expect(page.text).toContain(a);
    expect([...page.text.matchAll(/action="\/ballots\/it-\d\/cast"/g)]).toHaveLength(3);
    expect(page.text).toContain('基本满意');
    expect((await d1.post('/ballots/it-2/cast', { choice: '基本满意' })).status).toBe(200);
    page = await d1.get('/ballots/it-1');
    expect([...page.text.matchAll(/action="\/ballots\/it-\d\/cast"/g)]).toHaveLength(2);
    expect(page.text).toContain('您已投票');
  });

  it('a named score ballot with live results: no receipt, the member sees their own recorded score', async () => {
    const id = await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '2026 年度部门工作评议', stepTitle: '评分', ballots: [{ id: 'sc-1', key: 's', def: score('sc-1'), results: 'live' }] });
    await signInAndOpen(id, DEPUTIES.slice(0, 8));
    const d1 = await loginAs(s.base, 'deputy1');
    await d1.get(`/ballots/${id}`);
    const out = await d1.post(`/ballots/${id}/cast`, { choice: '120' });
    expect(out.status).toBe(422);
    expect(out.text).toContain('不在 0 到 100 之间');
    expect(out.text).toContain('value="120"');
    const ok = await d1.post(`/ballots/${id}/cast`, { choice: '87' });
    expect(ok.status).toBe(303);
    const page = await d1.follow(ok);
    expect(page.text).toContain('您已投票，您的选择是：87');
    expect(page.text).toContain('平均分');
  });

  it('the result sheet and its .xlsx reproduce the seeds: 4 and 7 against of 33 present = 12.1% and 21.2%', async () => {
    const real = await membersOf(s.engine, DEPUTIES);
    const members = [...real, ...Array.from({ length: 19 }, (_, i) => ({ userId: `synthetic-${i + 1}`, name: `委员${i + 1}`, org: '市人大常委会' }))];
    const chairActor = await actorOf(s.engine, 'staff1');
    const sheetsFor = async (id: string, against: number) => {
      await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '专项工作报告满意度测评', stepTitle: `测评 ${against}`, members, ballots: [{ id, key: 'v', def: forAgainst(id) }] });
      await s.engine.signIn(chairActor, id, members.map((m) => m.userId));
      await s.engine.openBallot(chairActor, id);
      for (const [i, m] of members.entries()) {
        const voter: Actor = { userId: m.userId, username: m.userId, name: m.name, orgId: 'city', orgName: m.org ?? '', roles: [] };
        await s.engine.castBallot(voter, id, i < against ? 'against' : i < 30 ? 'for' : 'abstain');
      }
      await s.engine.closeBallot(chairActor, id);
    };
    await sheetsFor('seed-4', 4);
    await sheetsFor('seed-7', 7);
    const sheet4 = await chair.get('/ballots/seed-4/result');
    expect(sheet4.status).toBe(200);
    expect(sheet4.text).toMatch(/反对<\/th><td class="num">4<\/td><td class="num">12\.1%/);
    const sheet7 = await chair.get('/ballots/seed-7/result');
    expect(sheet7.text).toMatch(/反对<\/th><td class="num">7<\/td><td class="num">21\.2%/);
    const view = await s.engine.ballotView(chairActor, 'seed-7');
    expect(sheet7.text).toContain(view.seal!.head.slice(0, 16));
    expect(sheet7.text).toContain(view.seal!.head);
    expect(sheet7.text).toContain('通过');

    const res = await fetch(`${s.base}/ballots/seed-7/result.xlsx`, { headers: { cookie: [...chair.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
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
    expect(rows.get('校验码')).toEqual([view.seal!.head.slice(0, 16)]);
    expect(rows.get('结论')).toEqual(['通过']);
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(20);
  });

  it('the 投屏 page: a noscript refresh, counts but no result while open, an event stream that follows the casts, the result and 校验码 after close', async () => {
    const id = await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '关于市政府食品安全工作情况的报告', stepTitle: '表决', ballots: [{ id: 'live-1', key: 'v', def: forAgainst('live-1') }] });
    await signInAndOpen(id, DEPUTIES.slice(0, 8));
    const page = await chair.get(`/ballots/${id}/live`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(page.text).toContain(`data-live-src="/ballots/${id}/live/events"`);
    expect(page.text).toContain('表决结束后公布结果');

    const ctl = new AbortController();
    const res = await fetch(`${s.base}/ballots/${id}/live/events`, { signal: ctl.signal, headers: { cookie: [...chair.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
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
    const d1 = await loginAs(s.base, 'deputy1');
    await d1.get(`/ballots/${id}`);
    await d1.post(`/ballots/${id}/cast`, { choice: 'for' });
    await readUntil((t) => t.split('event: panel').length > 2);
    expect(text.split('event: panel')[2]).toContain('<dd>1</dd>');
    expect(text).not.toContain('占实到人数');
    await chair.get(`/ballots/${id}`);
    await chair.post(`/ballots/${id}/close`, { reason: '测试结束' });
    await readUntil((t) => t.includes('校验码'));
    expect(text).toContain('12.5%');
    ctl.abort();
    // A forged id never opens a stream.
    expect((await chair.get('/ballots/nope/live/events')).status).toBe(404);
  });

  it('the instance page and a member\'s 待办 link to the ballots', async () => {
    await addSitting(s.engine, ballots, { instanceId: caseId, instanceTitle: '关于市政府食品安全工作情况的报告', stepTitle: '链接', ballots: [{ id: 'link-1', key: 'v', def: forAgainst('link-1') }] });
    const d5 = await loginAs(s.base, 'deputy5');
    expect((await d5.get('/inbox')).text).toContain('href="/ballots/link-1"');
    // 王建国 started the case: its page lists the ballots hung on it.
    const page = await (await loginAs(s.base, 'deputy1')).get(`/instances/${caseId}`);
    expect(page.text).toContain('id="ballots"');
    expect(page.text).toContain('href="/ballots/link-1"');
  });
});

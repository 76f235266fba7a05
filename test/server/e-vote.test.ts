// e-vote.test.ts: 电子表决 (workflows/e-vote.yaml) over real HTTP: the staff member starts the
// satisfaction vote on 市民政局, the chair signs 33 of the 35 members in and opens on the ballot page,
// 33 members vote (three of them through the page, on the form a phone shows), the chair closes,
// and the result sheet and its .xlsx read 反对 4, 12.1% of 实到 33, with the seal's 校验码.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../engine/runtime/types.ts';
import { DEMO_PASSWORD, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

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
const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `member${i + 1}`);

// Logging in 35 members (scrypt) takes seconds on a loaded machine.
describe('电子表决 over HTTP', { timeout: 180_000 }, () => {
  it('满意度电子表决: 签到 and opening on the page, 33 votes, the result sheet and .xlsx say 反对 4 = 12.1% of 33', async () => {
    const { instanceId } = await s.engine.start(await actorOf('staff1'), 'e-vote', {
      event: 'submit', version: 0,
      input: { meeting: '市十五届人大常委会第三十五次会议', vote_kind: '满意度电子表决', subject: '关于市民政局专项工作报告的满意度电子表决', department: 'city-mzj' },
    });
    const [ballot] = await s.engine.ballotsOf(await actorOf('member1'), instanceId);
    const id = ballot!.ballotId;

    // The chair's console: every member listed, 33 ticked.
    const page = await chair.get(`/ballots/${id}`);
    expect(page.status).toBe(200);
    const listed = [...page.text.matchAll(/name="_listed" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(listed).toHaveLength(35);
    const present: string[] = [];
    for (const u of members(33)) present.push((await actorOf(u)).userId);
    expect((await chair.post(`/ballots/${id}/attendance`, { _listed: listed, present })).status).toBe(303);
    expect((await chair.post(`/ballots/${id}/open`, {})).status).toBe(303);

    // Three members on the page, the rest (the chair too) through the engine.
    for (const [u, choice] of [['member2', 'against'], ['member3', 'for'], ['member4', 'abstain']] as const) {
      const c = await loginAs(s.base, u);
      await c.get(`/ballots/${id}`);
      const res = await c.post(`/ballots/${id}/cast`, { choice });
      // A secret ballot answers with the receipt code, shown once (no redirect that could keep it).
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}/);
    }
    for (let i = 1; i <= 33; i++) if (i < 2 || i > 4) await s.engine.castBallot(await actorOf(`member${i}`), id, i >= 5 && i <= 7 ? 'against' : 'for');
    const outsider = await loginAs(s.base, 'member34');
    await outsider.get(`/ballots/${id}`);
    expect((await outsider.post(`/ballots/${id}/cast`, { choice: 'for' })).status).toBe(403);
    expect((await chair.post(`/ballots/${id}/close`, { reason: '会议议程已到' })).status).toBe(303);

    const sheet = await chair.get(`/ballots/${id}/result`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toMatch(/反对<\/th><td class="num">4<\/td><td class="num">12\.1%/);
    expect(sheet.text).toContain('关于市民政局专项工作报告的满意度电子表决');
    const view = await s.engine.ballotView(await actorOf('member1'), id);
    expect(sheet.text).toContain(view.seal!.head.slice(0, 16));

    const res = await fetch(`${s.base}/ballots/${id}/result.xlsx`, { headers: { cookie: [...chair.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows = new Map<string, unknown[]>();
    wb.worksheets[0]!.eachRow((row) => { const v = row.values as unknown[]; rows.set(String(v[1]), v.slice(2)); });
    expect(rows.get('反对')).toEqual([4, '12.1%']);
    expect(rows.get('赞成')).toEqual([28, '84.8%']);
    expect(rows.get('弃权')).toEqual([1, '3.0%']);
    expect(rows.get('实到')).toEqual([33]);

    // The vote closed the step: the staff's 汇总审议意见 is in their 待办.
    const staff = await loginAs(s.base, 'staff1');
    expect((await staff.get('/inbox')).text).toContain('关于市民政局专项工作报告的满意度电子表决');
  });
});

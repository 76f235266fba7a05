// ballot.test.ts: issue 15's browser test: three members vote on phones (390 px) while the chair's 投屏
// (1920×1080) updates without reload; then the chair closes and the live view shows the result and its
// 校验码. Every page is screenshotted (test-artifacts/browser-ballot/, LVZHI_SHOTS_DIR overrides) at
// 1280 and 390 px, the live view also at 1920, and axe finds nothing serious on any of them.
//
// The ballot operations are the in-memory double on the real core (test/helpers/ballot-double.ts)
// until the engine's are merged; the rest is the real engine on a real database.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, launchBrowser, logInAs, type PageCheck } from '../helpers/browser.ts';
import { withBallotDouble, type ballotDouble } from '../helpers/ballot-double.ts';
import { actorOf, addSitting, caseFor, choose, forAgainst, rating, DEPUTIES } from '../helpers/ballot-sittings.ts';
import { DEMO_PASSWORD, startServer, type TestServer } from '../helpers/http.ts';

let server: TestServer;
let browser: Browser;
let ballots: ReturnType<typeof ballotDouble>;
let caseId: string;

beforeAll(async () => {
  server = await startServer({
    wrapEngine: (engine, now) => {
      const d = withBallotDouble(engine, now);
      ballots = d.ballots;
      return d.engine;
    },
  });
  browser = await launchBrowser();
  caseId = await caseFor(server.engine, '关于市政府食品安全工作情况的报告');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-ballot');
const [DESKTOP, PHONE] = VIEWPORTS as [typeof VIEWPORTS[0], typeof VIEWPORTS[0]];
const SCREEN = { name: 'screen', width: 1920, height: 1080, isMobile: false };
const TITLE = '关于市政府食品安全工作情况的报告';

async function openSitting(id: string, present: string[]): Promise<void> {
  const chair = await actorOf(server.engine, 'staff1');
  const ids = await Promise.all(present.map(async (u) => (await actorOf(server.engine, u)).userId));
  await server.engine.signIn(chair, id, ids);
  await server.engine.openBallot(chair, id);
}

function expectClean(checks: PageCheck[]): void {
  expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
}

async function castOnPhone(username: string, id: string, label: string, checks: PageCheck[], shot: boolean): Promise<string> {
  const page = await logInAs(browser, PHONE, server.base, username, DEMO_PASSWORD);
  await page.goto(`${server.base}/ballots/${id}`);
  if (shot) checks.push(await checkPage(page, 'cast-phone', path.join(SHOTS, 'phone')));
  // The whole box is the target: tapping the word ticks the radio.
  await page.getByText(label, { exact: true }).click();
  await page.getByRole('button', { name: '确认投票' }).click();
  await page.getByRole('heading', { name: '您的核对码' }).waitFor();
  const receipt = (await page.locator('#receipt').textContent())!.trim();
  if (shot) checks.push(await checkPage(page, 'receipt-phone', path.join(SHOTS, 'phone')));
  await page.context().close();
  return receipt;
}

describe('ballot pages in the browser (issue 15)', () => {
  it('three members vote on phones while the chair\'s 投屏 updates without reload; then the result', async () => {
    const checks: PageCheck[] = [];
    const id = await addSitting(server.engine, ballots, { instanceId: caseId, instanceTitle: TITLE, stepTitle: '满意度测评', ballots: [{ id: 'br-1', key: 'v', def: forAgainst('br-1') }] });
    await openSitting(id, DEPUTIES.slice(0, 8));

    const chair = await logInAs(browser, SCREEN, server.base, 'staff1', DEMO_PASSWORD);
    await chair.goto(`${server.base}/ballots/${id}/live`);
    const cast = chair.locator('.live-count').filter({ hasText: '已投' }).locator('dd');
    await expect.poll(() => cast.textContent()).toBe('0');
    checks.push(await checkPage(chair, 'live-open-1920', path.join(SHOTS, 'screen')));
    // A mark on the window: still there at the end means the page was never reloaded.
    await chair.evaluate(() => { (window as unknown as { mark: number }).mark = 42; });

    const receipts: string[] = [];
    for (const [i, u] of ['deputy1', 'deputy2', 'deputy3'].entries()) {
      receipts.push(await castOnPhone(u, id, i === 1 ? '反对' : '赞成', checks, i === 0));
      await expect.poll(() => cast.textContent(), { timeout: 10_000 }).toBe(String(i + 1));
    }
    expect(await chair.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(42);
    // Secret and at_close: no count of choices on the screen while open.
    expect(await chair.locator('.live-results').count()).toBe(0);
    checks.push(await checkPage(chair, 'live-voting-1920', path.join(SHOTS, 'screen')));

    // The chair closes from a phone (5 present have not voted: a reason); the screen shows the result.
    const console = await logInAs(browser, PHONE, server.base, 'staff1', DEMO_PASSWORD);
    await console.goto(`${server.base}/ballots/${id}`);
    checks.push(await checkPage(console, 'console-open-phone', path.join(SHOTS, 'phone')));
    await console.getByLabel('提前结束的理由').fill('会议议程调整，主持人宣布提前结束表决。');
    await console.getByRole('button', { name: '结束表决' }).click();
    await console.getByText('表决已结束，结果已公布。').waitFor();
    checks.push(await checkPage(console, 'closed-phone', path.join(SHOTS, 'phone')));
    await chair.locator('.live-results').waitFor({ timeout: 10_000 });
    const shown = await chair.locator('.live-panel').textContent();
    expect(shown).toContain('25.0%'); // 2 of 8 present
    expect(shown).toContain('12.5%'); // 1 of 8
    expect(shown).toContain('校验码');
    expect(await chair.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(42);
    checks.push(await checkPage(chair, 'live-closed-1920', path.join(SHOTS, 'screen')));

    // 核对我的投票 on a phone: found, never the choice.
    const voter = await logInAs(browser, PHONE, server.base, 'deputy2', DEMO_PASSWORD);
    await voter.goto(`${server.base}/ballots/${id}/verify`);
    await voter.getByLabel('核对码').fill(receipts[1]!);
    await voter.getByRole('button', { name: '核对' }).click();
    await voter.getByText(/已计入：第 \d 张/).waitFor();
    expect(await voter.locator('main').textContent()).not.toContain('反对');
    checks.push(await checkPage(voter, 'verify-phone', path.join(SHOTS, 'phone')));
    expectClean(checks);
  }, 180_000);

  for (const vp of [DESKTOP, PHONE]) {
    it(`at ${vp.width} px: the chair's 签到 with its filter, a choose form's live count, an appointee sitting, the result sheet`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const sign = await addSitting(server.engine, ballots, { instanceId: caseId, instanceTitle: TITLE, stepTitle: `表决（${vp.name}）`, ballots: [{ id: `sign-${vp.name}`, key: 'v', def: forAgainst(`sign-${vp.name}`) }] });
      const chair = await logInAs(browser, vp, server.base, 'staff1', DEMO_PASSWORD);
      await chair.goto(`${server.base}/ballots/${sign}`);
      checks.push(await checkPage(chair, 'console-draft', dir));
      await chair.getByLabel('按姓名或单位筛选').fill('李秀英');
      await expect.poll(() => chair.locator('#attendance-list li:visible').count()).toBe(1);
      await chair.getByLabel('按姓名或单位筛选').fill('');
      for (const name of ['王建国', '李秀英', '张伟', '刘芳', '陈军', '杨丽', '黄海涛', '赵敏华']) await chair.getByLabel(name).check();
      await chair.getByRole('button', { name: '保存签到' }).click();
      await chair.getByText('已保存签到：实到 8 人。').waitFor();
      checks.push(await checkPage(chair, 'console-signed-in', dir));
      await chair.getByRole('button', { name: '开始表决' }).click();
      await chair.getByText('表决已开始。').waitFor();

      const options = Array.from({ length: 20 }, (_, i) => `民生项目${i + 1}：${['老旧小区改造', '社区食堂', '公交线网优化', '学校午餐', '养老服务站'][i % 5]}`);
      const ch = await addSitting(server.engine, ballots, { instanceId: caseId, instanceTitle: '2027 年民生实事项目', stepTitle: `票决（${vp.name}）`, ballots: [{ id: `ch-${vp.name}`, key: 'p', def: choose(`ch-${vp.name}`, options, 13) }] });
      await openSitting(ch, DEPUTIES.slice(0, 8));
      const member: Page = await logInAs(browser, vp, server.base, 'deputy4', DEMO_PASSWORD);
      await member.goto(`${server.base}/ballots/${ch}`);
      for (const o of options.slice(0, 14)) await member.getByLabel(o).check();
      await member.getByText('已勾选 14 项').waitFor();
      await member.getByRole('button', { name: '确认投票' }).click();
      await member.getByText('最多勾选 13 项').first().waitFor();
      expect(await member.locator('input[name="choice"]:checked').count()).toBe(14);
      checks.push(await checkPage(member, 'choose-refused', dir));

      const appointees = ['市教育局局长 李明', '市卫生健康委员会主任 王芳', '市交通运输局局长 张强'];
      const it1 = `items-${vp.name}-1`;
      await addSitting(server.engine, ballots, {
        instanceId: caseId, instanceTitle: '2026 年任命人员履职报告会', stepTitle: `履职测评（${vp.name}）`,
        ballots: appointees.map((a, i) => ({ id: `items-${vp.name}-${i + 1}`, key: 'eval', itemTitle: a, def: rating(`items-${vp.name}-${i + 1}`) })),
      });
      await openSitting(it1, DEPUTIES.slice(0, 8));
      await member.goto(`${server.base}/ballots/${it1}`);
      checks.push(await checkPage(member, 'items', dir));

      // A closed ballot's sheet, to print.
      const chairActor = await actorOf(server.engine, 'staff1');
      for (const [i, u] of DEPUTIES.slice(0, 8).entries()) await server.engine.castBallot(await actorOf(server.engine, u), sign, i < 6 ? 'for' : i < 7 ? 'against' : 'abstain');
      await server.engine.closeBallot(chairActor, sign);
      await chair.goto(`${server.base}/ballots/${sign}/result`);
      checks.push(await checkPage(chair, 'result-sheet', dir));
      await chair.goto(`${server.base}/ballots/${sign}/live`);
      checks.push(await checkPage(chair, 'live-closed', dir));
      expectClean(checks);
      await Promise.all([chair.context().close(), member.context().close()]);
    }, 180_000);
  }

  it('without JavaScript the 投屏 page still shows the counts and reloads itself', async () => {
    const id = await addSitting(server.engine, ballots, { instanceId: caseId, instanceTitle: TITLE, stepTitle: '无脚本', ballots: [{ id: 'nojs-1', key: 'v', def: forAgainst('nojs-1') }] });
    await openSitting(id, DEPUTIES.slice(0, 8));
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/login`);
    await page.getByLabel('用户名').fill('staff1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${server.base}/ballots/${id}/live`);
    expect(await page.locator('.live-count dd').allTextContents()).toEqual(['14', '8', '0']);
    await server.engine.castBallot(await actorOf(server.engine, 'deputy1'), id, 'for');
    // The noscript refresh (5 s) brings the new count.
    await page.waitForFunction(() => document.querySelectorAll('.live-count dd')[2]?.textContent === '1', undefined, { timeout: 15_000 });
    await ctx.close();
  }, 60_000);
});



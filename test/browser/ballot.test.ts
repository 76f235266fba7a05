// ballot.test.ts: issue 15's browser test: three members vote on phones (390 px) while the chair's 投屏
// (1920×1080) updates without reload; then the chair closes and the live view shows the result and its
// 校验码. Every page is screenshotted (test-artifacts/browser-ballot/, LVZHI_SHOTS_DIR overrides) at
// 1280 and 390 px, the live view also at 1920, and axe finds nothing serious on any of them.
//
// The real engine on a real database; the workflows are the engine's ballot fixtures
// (test/fixtures/runtime/ballots) and the electorate a 33-member group (test/helpers/ballot-world.ts).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { ballotServer, opened, toBallot } from '../helpers/ballot-world.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';

const ui = useServerAndBrowser(() => ballotServer(33), (world) => world.s);

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-ballot');
const [DESKTOP, PHONE] = VIEWPORTS as [typeof VIEWPORTS[0], typeof VIEWPORTS[0]];
const SCREEN = { name: 'screen', width: 1920, height: 1080, isMobile: false };

function expectClean(checks: PageCheck[]): void {
  expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
}

async function castOnPhone(username: string, id: string, label: string, checks: PageCheck[], shot: boolean): Promise<string> {
  const page = await ui.logIn(PHONE, username);
  await page.goto(`${ui.base}/ballots/${id}`);
  if (shot) checks.push(await checkPage(page, 'cast-phone', path.join(SHOTS, 'phone')));
  // The whole box is the target: tapping the word ticks the radio.
  await page.getByText(label, { exact: true }).click();
  await page.getByRole('button', { name: '确认投票' }).click();
  await page.getByRole('heading', { name: '您的回执码' }).waitFor();
  const receipt = (await page.locator('#receipt').textContent())!.trim();
  if (shot) checks.push(await checkPage(page, 'receipt-phone', path.join(SHOTS, 'phone')));
  await page.context().close();
  return receipt;
}

describe('ballot pages in the browser (issue 15)', () => {
  it('three members vote on phones while the chair\'s 投屏 updates without reload; then the result', async () => {
    const checks: PageCheck[] = [];
    const { ballotIds: [id] } = await toBallot(ui.world, 'vote-secret');
    await opened(ui.world, id!, 17);

    const screen = await ui.logIn(SCREEN, 'leader1');
    await screen.goto(`${ui.base}/ballots/${id}/live`);
    const cast = screen.locator('.live-count').filter({ hasText: '已投' }).locator('dd');
    await expect.poll(() => cast.textContent()).toBe('0');
    checks.push(await checkPage(screen, 'live-open-1920', path.join(SHOTS, 'screen')));
    // A mark on the window: still there at the end means the page was never reloaded.
    await screen.evaluate(() => { (window as unknown as { mark: number }).mark = 42; });

    const receipts: string[] = [];
    for (const [i, u] of ['m0001', 'm0002', 'm0003'].entries()) {
      receipts.push(await castOnPhone(u, id!, i === 1 ? '反对' : '赞成', checks, i === 0));
      await expect.poll(() => cast.textContent(), { timeout: 10_000 }).toBe(String(i + 1));
    }
    expect(await screen.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(42);
    // Secret and at_close: no count of choices on the screen while open.
    expect(await screen.locator('.live-results').count()).toBe(0);
    checks.push(await checkPage(screen, 'live-voting-1920', path.join(SHOTS, 'screen')));

    // The chair closes from a phone (14 present have not voted: the page asks why); the screen shows the result.
    const console = await ui.logIn(PHONE, 'leader1');
    await console.goto(`${ui.base}/ballots/${id}`);
    checks.push(await checkPage(console, 'console-open-phone', path.join(SHOTS, 'phone')));
    await console.getByLabel('提前结束的理由').fill('会议议程调整，主持人宣布提前结束表决。');
    await console.getByRole('button', { name: '结束表决' }).click();
    await console.getByText('表决已结束，结果已公布。').waitFor();
    checks.push(await checkPage(console, 'closed-phone', path.join(SHOTS, 'phone')));
    await screen.locator('.live-results').waitFor({ timeout: 10_000 });
    const shown = await screen.locator('.live-panel').textContent();
    expect(shown).toContain('11.8%'); // 2 of 17 present
    expect(shown).toContain('5.9%'); // 1 of 17
    expect(shown).toContain('校验码');
    expect(await screen.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(42);
    checks.push(await checkPage(screen, 'live-closed-1920', path.join(SHOTS, 'screen')));

    // 核对我的投票 on a phone: found, never the choice.
    const voter = await ui.logIn(PHONE, 'm0002');
    await voter.goto(`${ui.base}/ballots/${id}/verify`);
    await voter.getByLabel('回执码').fill(receipts[1]!);
    await voter.getByRole('button', { name: '核对' }).click();
    await voter.getByText(/已计入：第 \d 张/).waitFor();
    expect(await voter.locator('main').textContent()).not.toContain('反对');
    checks.push(await checkPage(voter, 'verify-phone', path.join(SHOTS, 'phone')));
    expectClean(checks);
  }, 180_000);

  for (const vp of [DESKTOP, PHONE]) {
    it(`at ${vp.width} px: the chair's 签到 with its search, a choose form's live count, an appointee sitting, the result sheet`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const { ballotIds: [sign] } = await toBallot(ui.world, 'vote-secret', `关于本市食品安全工作情况的报告（${vp.name}）`);
      const chair = await ui.logIn(vp, 'leader1');
      await chair.goto(`${ui.base}/ballots/${sign}`);
      checks.push(await checkPage(chair, 'console-draft', dir));
      await chair.getByLabel('按姓名或单位查找').fill(ui.world.members[5]!.name);
      await expect.poll(() => chair.locator('#attendance-results li').count()).toBe(1);
      await chair.getByLabel('按姓名或单位查找').fill('');
      await expect.poll(() => chair.locator('#attendance-results li').count()).toBe(33);
      await chair.getByRole('button', { name: '全部签到' }).click();
      await chair.getByText('已保存签到：实到 33 人。').waitFor();
      checks.push(await checkPage(chair, 'console-signed-in', dir));
      await chair.getByRole('button', { name: '开始表决' }).click();
      await chair.getByText('表决已开始。').waitFor();

      const { ballotIds: [ch] } = await toBallot(ui.world, 'vote-choose', `2027 年民生实事项目（${vp.name}）`);
      await opened(ui.world, ch!, 17);
      const member: Page = await ui.logIn(vp, 'm0004');
      await member.goto(`${ui.base}/ballots/${ch}`);
      const boxes = member.locator('input[name="choice"]');
      for (let i = 0; i < 14; i++) await boxes.nth(i).check();
      await member.getByText('已勾选 14 项').waitFor();
      await member.getByRole('button', { name: '确认投票' }).click();
      await member.getByText('最多勾选 13 项').first().waitFor();
      expect(await member.locator('input[name="choice"]:checked').count()).toBe(14);
      checks.push(await checkPage(member, 'choose-refused', dir));

      const { ballotIds: items } = await toBallot(ui.world, 'vote-roster', `2026 年任命人员履职报告会（${vp.name}）`);
      await opened(ui.world, items[0]!, 17);
      await member.goto(`${ui.base}/ballots/${items[0]}`);
      checks.push(await checkPage(member, 'items', dir));

      // A closed ballot's sheet, to print, and its 投屏.
      for (const [i, m] of ui.world.members.entries()) await ui.world.s.engine.castBallot(m, sign!, i < 26 ? 'for' : i < 30 ? 'against' : 'abstain');
      await ui.world.s.engine.closeBallot(ui.world.chair, sign!, '会议议程已到');
      await chair.goto(`${ui.base}/ballots/${sign}/result`);
      checks.push(await checkPage(chair, 'result-sheet', dir));
      await chair.goto(`${ui.base}/ballots/${sign}/live`);
      checks.push(await checkPage(chair, 'live-closed', dir));
      // The appointees' results on the spot: one row per appointee on the 投屏.
      const scale = ['满意', '基本满意', '不满意'];
      for (const [i, m] of ui.world.members.slice(0, 17).entries()) {
        for (const [n, b] of items.entries()) await ui.world.s.engine.castBallot(m, b, scale[(i + n) % 5 === 0 ? 2 : i % 4 === 0 ? 1 : 0]!);
      }
      await ui.world.s.engine.closeBallot(ui.world.chair, items[0]!, '会议议程已到');
      await chair.goto(`${ui.base}/ballots/${items[0]}/live`);
      expect(await chair.locator('.live-results--grid tbody tr').count()).toBe(3);
      checks.push(await checkPage(chair, 'live-items-closed', dir));
      expectClean(checks);
      await Promise.all([chair.context().close(), member.context().close()]);
    }, 180_000);
  }

  it('without JavaScript the 投屏 page still shows the counts and reloads itself', async () => {
    const { ballotIds: [id] } = await toBallot(ui.world, 'vote-secret', '无脚本投屏');
    await opened(ui.world, id!, 17);
    const ctx = await ui.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${ui.base}/login`);
    await page.getByLabel('用户名').fill('leader1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${ui.base}/ballots/${id}/live`);
    expect(await page.locator('.live-count dd').allTextContents()).toEqual(['33', '17', '0']);
    await ui.world.s.engine.castBallot(ui.world.members[0]!, id!, 'for');
    // The noscript refresh (5 s) brings the new count.
    await page.waitForFunction(() => document.querySelectorAll('.live-count dd')[2]?.textContent === '1', undefined, { timeout: 15_000 });
    await ctx.close();
  }, 60_000);
});

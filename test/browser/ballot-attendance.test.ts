// ballot-attendance.test.ts: the chair's 签到 for a large electorate in headless Chromium at 1280 and 390 px:
// the counts, typing a unit swaps only the list (htmx; the page is not reloaded and its address follows),
// the next page, 全部签到 of the search, and the same search without JavaScript as a GET. Screenshots in
// test-artifacts/browser-ballot-attendance/ (LVZHI_SHOTS_DIR overrides); axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { ballotServer, toBallot } from '../helpers/ballot-world.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';

const N = 600;
const ui = useServerAndBrowser(() => ballotServer(N, { orgs: ['city', 'zhangdian', 'zhangdian-chezhan'] }), (world) => world.s);

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-ballot-attendance');

function expectClean(checks: PageCheck[]): void {
  expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
}

describe('签到 at scale in a browser', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: counts, an htmx search by unit, paging and 全部签到 of the search`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const { ballotIds: [id] } = await toBallot(ui.world, 'vote-secret', `全体代表意见征询（${vp.name}）`);
      const chair = await ui.logIn(vp, 'leader1');
      await chair.goto(`${ui.base}/ballots/${id}`);
      await expect.poll(() => chair.locator('#attendance-results li').count()).toBe(50);
      expect(await chair.locator('.attendance-counts').innerText()).toMatch(/600\s*应到[\s\S]*0\s*已签到[\s\S]*600\s*未签到/);
      checks.push(await checkPage(chair, 'attendance', dir));

      // Typing swaps the list alone: a mark left on the window survives, the address follows the search.
      await chair.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });
      await chair.getByLabel('按姓名或单位查找').fill('张店区');
      await chair.getByText('符合条件的共 200 人').waitFor();
      expect(await chair.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
      await expect.poll(() => chair.url()).toContain(`q=${encodeURIComponent('张店区')}`);
      expect(await chair.locator('#attendance-results li').count()).toBe(50);
      checks.push(await checkPage(chair, 'attendance-search', dir));
      await chair.getByRole('link', { name: /下一页/ }).click();
      await chair.getByText('本页显示第 51–100 位').waitFor();

      await chair.getByRole('button', { name: '查找出的 200 人全部签到' }).click();
      await chair.getByText('已保存签到：实到 200 人。').waitFor();
      expect(await chair.locator('.attendance-counts').innerText()).toMatch(/200\s*已签到[\s\S]*400\s*未签到/);
      await chair.getByRole('link', { name: /未签到/ }).click();
      await chair.getByText('符合条件的共 400 人').waitFor();
      checks.push(await checkPage(chair, 'attendance-absent', dir));
      expect((await ui.world.s.engine.ballotView(ui.world.chair, id!)).present).toBe(200);

      // Without JavaScript: the search is a GET and the page comes back with the list searched.
      const plain = await ui.browser.newContext({ javaScriptEnabled: false, viewport: { width: vp.width, height: vp.height }, isMobile: vp.isMobile, locale: 'zh-CN' });
      const p = await plain.newPage();
      await p.goto(`${ui.base}/login`);
      await p.getByLabel('用户名').fill('leader1');
      await p.getByLabel('密码').fill(DEMO_PASSWORD);
      await p.getByRole('button', { name: '登录' }).click();
      await p.waitForURL(/\/inbox/);
      await p.goto(`${ui.base}/ballots/${id}`);
      await p.getByLabel('按姓名或单位查找').fill('车站街道');
      await p.getByLabel('显示').selectOption('absent');
      await p.getByRole('button', { name: '查找', exact: true }).click();
      await p.getByText('符合条件的共 200 人').waitFor();
      expect(p.url()).toContain('show=absent');
      // A screenshot only: axe runs as a script in the page, which this context does not allow.
      await p.screenshot({ path: path.join(dir, 'attendance-noscript.png'), fullPage: true });
      await plain.close();
      expectClean(checks);
    }, 180_000);
  }
});

// ballot-screen-link.test.ts: the 投屏 link in headless Chromium: the chair makes it on a phone (390 px) and
// at 1280 px, a meeting room PC that never logged in opens it at 1920×1080 and follows a cast and the close
// without reload. Screenshots in test-artifacts/browser-ballot-screen-link/; axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, newContext, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { ballotServer, opened, toBallot } from '../helpers/ballot-world.ts';

const ui = useServerAndBrowser(() => ballotServer(33), (world) => world.s);

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-ballot-screen-link');
const ROOM = { name: 'room', width: 1920, height: 1080, isMobile: false };

describe('投屏链接 in a browser', () => {
  it('the chair makes the link; a PC without login shows the screen and follows the vote', async () => {
    const checks: PageCheck[] = [];
    const { ballotIds: [id] } = await toBallot(ui.world, 'vote-secret');
    let link = '';
    for (const vp of VIEWPORTS) {
      const chair = await ui.logIn(vp, 'leader1');
      await chair.goto(`${ui.base}/ballots/${id}#screen`);
      await chair.getByRole('button', { name: /生成投屏链接|更换链接/ }).click();
      await chair.getByText(/已生成新的投屏链接/).waitFor();
      link = await chair.locator('#screen-url').inputValue();
      await chair.locator('#screen').scrollIntoViewIfNeeded();
      checks.push(await checkPage(chair, `console-link-${vp.name}`, SHOTS));
      await chair.context().close();
    }
    await opened(ui.world, id!, 20);

    const pc = await (await newContext(ui.browser, ROOM)).newPage();
    await pc.goto(link);
    expect(pc.url()).toBe(link);
    const cast = pc.locator('.live-count').filter({ hasText: '已投' }).locator('dd');
    await expect.poll(() => cast.textContent()).toBe('0');
    await ui.world.s.engine.castBallot(ui.world.members[0]!, id!, 'for');
    await expect.poll(() => cast.textContent(), { timeout: 15_000 }).toBe('1');
    checks.push(await checkPage(pc, 'screen-open', SHOTS));
    await ui.world.s.engine.closeBallot(ui.world.chair, id!, '测试结束');
    await pc.getByText('校验码').first().waitFor({ timeout: 15_000 });
    checks.push(await checkPage(pc, 'screen-closed', SHOTS));
    expect(await pc.locator('a').count()).toBe(0);
    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  }, 180_000);
});

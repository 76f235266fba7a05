// first-admin.test.ts: in headless Chromium at 1280 and 390 px, the login page of an install with
// no administrator (the command to run) and a rehearsal install's banner on the login page and the
// inbox. Every page is screenshotted (test-artifacts/browser/first-admin) and checked with axe.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, launchBrowser, newContext, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';
import { spawnServer, type ServerProcess } from '../helpers/spawn.ts';

let browser: Browser;
const places: TestDatabase[] = [];
const servers: ServerProcess[] = [];
const checks: PageCheck[] = [];

beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.kill();
  for (const p of places) await p.cleanup();
});

async function serve(env: Record<string, string>, demo: boolean): Promise<ServerProcess> {
  const p = await testDatabase(undefined, 'lvzhi-browser-admin-');
  places.push(p);
  const s = await spawnServer(p, { env, demo });
  servers.push(s);
  return s;
}

async function check(page: Page, vp: Viewport, label: string): Promise<void> {
  checks.push(await checkPage(page, `${vp.name}-${label}`, path.join(ARTIFACTS, 'browser', 'first-admin')));
}

describe('first start and rehearsal pages in the browser', () => {
  it('shows the first-admin command on an empty install and the rehearsal banner on every page', async () => {
    const empty = await serve({}, false);
    const rehearsal = await serve({ LVZHI_FAKE_NOW: '', LVZHI_REHEARSAL_START: '2027-01-10T09:00:00+08:00', LVZHI_REHEARSAL_SPEED: '60' }, true);
    for (const vp of VIEWPORTS) {
      const page = await (await newContext(browser, vp)).newPage();
      await page.goto(`${empty.base}/login`);
      await expect.poll(() => page.locator('.notice').textContent()).toContain('npx lvzhi admin create <用户名>');
      await check(page, vp, '1-login-first-admin');

      await page.goto(`${rehearsal.base}/login`);
      expect(await page.locator('.rehearsal-banner').textContent()).toMatch(/演练环境：系统时间为 2027-01-10 \d\d:\d\d（北京时间）/);
      await page.getByLabel('用户名').fill('review1');
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(/\/inbox/);
      expect(await page.locator('.rehearsal-banner').textContent()).toContain('实际 1 分钟 = 演练 1 小时');
      await check(page, vp, '2-inbox-rehearsal');
      await page.context().close();
    }
    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  }, 120_000);
});

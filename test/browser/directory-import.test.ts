// directory-import.test.ts: 通讯录 → 导入 in headless Chromium at 1280 and 390 px: a file with bad
// rows lists them, a good one shows what it will do, 确认导入 shows the progress (htmx polls it) and
// ends with the summary and the audit rows. Every page is screenshotted and checked with axe.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { csv } from '../helpers/workbook.ts';

const checks: PageCheck[] = [];

const w = useServerAndBrowser({ start: '2026-12-02T01:00:00Z' });

async function check(page: Page, vp: Viewport, label: string): Promise<void> {
  checks.push(await checkPage(page, `${vp.name}-${label}`, path.join(ARTIFACTS, 'browser', 'directory-import')));
}

const HEAD = ['用户名', '姓名', '组织编码', '角色', '代表层级'];

describe('通讯录 → 导入 in the browser', () => {
  it('lists the bad rows, then checks, confirms and summarises a good file', async () => {
    for (const [i, vp] of VIEWPORTS.entries()) {
      const page = await w.logIn(vp, 'admin');
      await page.goto(`${w.base}/admin/directory/import`);
      await check(page, vp, '1-upload');
      const bad = csv([HEAD, [`b${i}`, '错一', 'city-xyz', '人大代表', '市'], [`b${i}`, '错二', 'city-office', '巫师', '']]);
      await page.locator('#import-file').setInputFiles({ name: '人员.csv', mimeType: 'text/csv', buffer: bad });
      await page.getByRole('button', { name: '上传并检查' }).click();
      await expect.poll(() => page.locator('#import-problems').textContent()).toContain('city-xyz');
      expect(await page.locator('#import-problems li').count()).toBe(2);
      expect(await page.locator('#import-problems').textContent()).toContain('重复');
      await check(page, vp, '2-refused');

      const good = csv([HEAD, ...Array.from({ length: 30 }, (_, k) => [`web${i}-${k}`, `代表${k}`, 'zhangdian-delegation', '人大代表', '市'])]);
      await page.locator('#import-file').setInputFiles({ name: '人员.csv', mimeType: 'text/csv', buffer: good });
      await page.getByRole('button', { name: '上传并检查' }).click();
      await expect.poll(() => page.locator('#import-plan').textContent()).toContain('人员：新建 30 人');
      await check(page, vp, '3-checked');
      await page.getByRole('button', { name: '确认导入' }).click();
      await expect.poll(() => page.locator('#import-applied').count(), { timeout: 15_000 }).toBe(1);
      expect(await page.locator('#import-summary').textContent()).toContain('人员：新建 30 人，更新 0 人，0 人不变');
      expect(await page.locator('#import-changes tbody tr').count()).toBe(30);
      await check(page, vp, '4-applied');
      await page.context().close();
    }
    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  }, 180_000);
});

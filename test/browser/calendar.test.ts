// calendar.test.ts: 节假日安排 and a provisional deadline in headless Chromium, at 1280 and 390 px.
// In December 2026 review1's inbox marks a deadline in 2027 暂按工作日估算; the city admin opens
// 节假日安排, enters 2027 with a mistake (the error names its line and column), fixes it and saves;
// the inbox then shows the deadline without the mark. Every page is screenshotted and checked with
// axe (serious or critical violations fail the test).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { YEAR_2027 } from '../helpers/calendar-2027.ts';

const checks: PageCheck[] = [];

const w = useServerAndBrowser({ start: '2026-12-23T01:00:00Z' }); // Wednesday 23 December 2026

async function check(page: Page, vp: Viewport, label: string): Promise<void> {
  checks.push(await checkPage(page, `${vp.name}-${label}`, path.join(ARTIFACTS, 'browser', 'calendar')));
}

async function logIn(vp: Viewport, username: string): Promise<Page> {
  return w.logIn(vp, username);
}

describe('节假日安排 and provisional deadlines in the browser', () => {
  it('marks the 2027 deadline, refuses a malformed year with its line, saves 2027 and drops the mark', async () => {
    const deputy = await w.actor('deputy1');
    await w.server.engine.start(deputy, 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于增设社区食堂的建议', category: '城乡建设与管理', content: '建议在老旧小区增设社区食堂。' },
    });
    for (const vp of VIEWPORTS) {
      const review = await logIn(vp, 'review1');
      await expect.poll(() => review.locator('.deadline-provisional').first().textContent()).toBe('暂按工作日估算');
      await check(review, vp, '1-inbox-provisional');
      await review.locator('a[href^="/tasks/"]').first().click();
      await review.waitForURL(/\/tasks\//);
      expect(await review.locator('.deadline-provisional').count()).toBe(1);
      await check(review, vp, '2-task-provisional');
      await review.context().close();
    }

    const desktop = VIEWPORTS[0]!;
    const admin = await logIn(desktop, 'admin');
    await admin.goto(`${w.base}/admin`);
    await admin.getByRole('link', { name: '节假日安排' }).click();
    await admin.waitForURL(/\/admin\/calendar$/);
    await check(admin, desktop, '3-calendar-list');
    await admin.getByRole('link', { name: '2027 年', exact: true }).click();
    await admin.waitForURL(/\/admin\/calendar\/2027$/);
    await check(admin, desktop, '4-year-blank');
    await admin.locator('#calendar-text').fill(YEAR_2027.replace('2027-02-20', '2027-02-22'));
    await admin.getByRole('button', { name: '检查并保存' }).click();
    await expect.poll(() => admin.locator('#calendar-errors').textContent()).toMatch(/节假日安排\/2027\.yaml:\d+:\d+ 2027-02-22 是周一至周五的工作日/);
    await check(admin, desktop, '5-year-error');
    await admin.locator('#calendar-text').fill(YEAR_2027);
    await admin.locator('#calendar-message').fill('按国务院办公厅通知');
    await admin.getByRole('button', { name: '检查并保存' }).click();
    await expect.poll(() => admin.locator('body').textContent()).toContain('2027 年节假日安排已保存为第 1 版');
    await check(admin, desktop, '6-year-saved');
    await admin.context().close();

    const phone = VIEWPORTS[1]!;
    const adminPhone = await logIn(phone, 'admin');
    await adminPhone.goto(`${w.base}/admin/calendar`);
    await check(adminPhone, phone, '3-calendar-list');
    await adminPhone.goto(`${w.base}/admin/calendar/2027`);
    await check(adminPhone, phone, '6-year-saved');
    await adminPhone.context().close();

    const review = await logIn(desktop, 'review1');
    expect(await review.locator('.deadline-provisional').count()).toBe(0);
    await check(review, desktop, '7-inbox-exact');
    await review.context().close();

    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  }, 90_000); // eleven pages with axe at two widths: about 30 s here, at the default limit before any change
});

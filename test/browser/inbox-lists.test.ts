// inbox-lists.test.ts: the lists (issue 14, items 7 and 9) in headless Chromium at a desktop and a
// phone viewport: each list is offered once, by the header's navigation (no tabs repeating it on a
// desktop); 待办 shows 编号 and 提出人 and marks a send-back 退回; 已办 says when; 抄送我的 says where the
// case is now. Nothing overflows the phone's width, and axe finds nothing serious. Screenshots go
// to test-artifacts/browser-inbox-lists/ (LVZHI_SHOTS_DIR overrides).

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-inbox-lists');
const actor = (u: string) => w.actor(u);
let liftNumber = '';

async function suggest(user: string, title: string): Promise<string> {
  const { instanceId } = await w.server.engine.start(await actor(user), 'suggestion', {
    event: 'submit', version: 0, input: { title, content: '具体内容', category: '城乡建设与管理' },
  });
  return instanceId;
}

async function reviewTask(instanceId: string): Promise<{ taskId: string; version: number }> {
  const view = await w.server.engine.instance(await actor('review1'), instanceId);
  return { taskId: view.myTasks[0]!.taskId, version: view.version };
}

const w = useServerAndBrowser();

beforeAll(async () => {
  const review = await actor('review1');
  const lift = await suggest('deputy1', '关于加快老旧小区加装电梯的建议');
  await suggest('deputy2', '关于完善城区公交线网优化的建议');
  const sewage = await suggest('deputy1', '关于推进农村生活污水治理的建议');
  liftNumber = (await w.server.engine.instance(review, lift)).summary.number!;
  let t = await reviewTask(sewage);
  await w.server.engine.taskAction(review, t.taskId, { action: 'return', to: 'draft', reason: '请补充村庄名单', version: t.version });
  t = await reviewTask(lift);
  await w.server.engine.taskAction(review, t.taskId, { action: 'copy', toUsers: ['gaj1'] });
  t = await reviewTask(lift);
  await w.server.engine.complete(review, t.taskId, { event: 'accept', version: t.version, input: { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' }, opinion: '同意交办' });
});

/** Links to a list the user can see on the page (tabs hidden by CSS would not count). */
async function visibleLinksTo(page: Page, list: string): Promise<number> {
  const links = page.locator(`a[href="/inbox?list=${list}"]`);
  let n = 0;
  for (let i = 0; i < await links.count(); i++) if (await links.nth(i).isVisible()) n++;
  return n;
}

async function fitsWidth(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe('the lists in the browser (issue 14)', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: 待办, 已办 and 抄送我的 with their columns, once in the navigation`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);

      const review = await w.logIn(vp, 'review1');
      await review.goto(`${w.base}/inbox?list=todo`);
      for (const l of ['todo', 'done', 'started', 'cc']) expect(await visibleLinksTo(review, l), l).toBe(1);
      const bus = review.locator('tbody tr', { hasText: '关于完善城区公交线网优化的建议' });
      await expect.poll(() => bus.locator('td[data-label="提出人"]').innerText()).toBe('李秀英');
      expect(await bus.locator('td[data-label="编号"]').innerText()).toMatch(/^建议 第\d+号$/);
      if (!vp.isMobile) {
        expect(await review.getByRole('columnheader', { name: '编号' }).isVisible()).toBe(true);
        expect(await review.getByRole('columnheader', { name: '提出人' }).isVisible()).toBe(true);
      }
      await fitsWidth(review, vp.width);
      checks.push(await checkPage(review, 'todo-review', dir));

      await review.goto(`${w.base}/inbox?list=done`);
      const done = review.locator('tbody tr', { hasText: '关于加快老旧小区加装电梯的建议' });
      expect(await done.locator('td[data-label="办理时间"]').innerText()).toBe('2026-03-02 09:00');
      expect(await done.locator('td[data-label="当前环节"]').innerText()).toBe('承办答复');
      await fitsWidth(review, vp.width);
      checks.push(await checkPage(review, 'done', dir));

      // The lift case has left the review office's 待办 (it was accepted): its number finds nothing there.
      await review.goto(`${w.base}/inbox?list=todo&q=${encodeURIComponent(liftNumber.replace(/\D/g, ''))}`);
      expect(await review.locator('.empty').innerText()).toContain('没有找到符合条件的事项');
      checks.push(await checkPage(review, 'search-empty', dir));

      const deputy = await w.logIn(vp, 'deputy1');
      await deputy.goto(`${w.base}/inbox?list=todo`);
      const returned = deputy.locator('tbody tr', { hasText: '关于推进农村生活污水治理的建议' });
      expect(await returned.locator('.tag-returned').innerText()).toBe('退回');
      expect(await returned.locator('.tag-returned').isVisible()).toBe(true);
      await fitsWidth(deputy, vp.width);
      checks.push(await checkPage(deputy, 'todo-returned', dir));

      const reader = await w.logIn(vp, 'gaj1');
      await reader.goto(`${w.base}/inbox?list=cc`);
      const cc = reader.locator('tbody tr', { hasText: '关于加快老旧小区加装电梯的建议' });
      expect(await cc.locator('td[data-label="当前环节"]').innerText()).toBe('承办答复');
      expect(await cc.locator('td[data-label="办理人"]').count()).toBe(0);
      await fitsWidth(reader, vp.width);
      checks.push(await checkPage(reader, 'cc', dir));

      for (const p of [review, deputy, reader]) await p.context().close();
      expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
    }, 120_000);
  }
});

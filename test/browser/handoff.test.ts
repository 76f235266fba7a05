// handoff.test.ts: 转办 on the suggestion's reply task in headless Chromium at a desktop and a phone
// viewport (issue 14, item 1): the panel has one picker, of units, without the proposer's or the
// co-handler's; a 转办 with no unit chosen comes back with the error summary linked to the picker and
// the reason kept; a 转办 to 市民政局 is named in the history. Screenshots go to
// test-artifacts/browser-handoff/ (LVZHI_SHOTS_DIR overrides); axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const w = useServerAndBrowser();

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-handoff');
const actor = (u: string) => w.actor(u);

/** 王建国's suggestion at 承办答复: 市发改委 leads, 市教育局 co-handles. Returns the lead task. */
async function replyTask(title: string): Promise<string> {
  const { instanceId } = await w.server.engine.start(await actor('deputy1'), 'suggestion', { event: 'submit', version: 0, input: { title, category: '城乡建设与管理', content: '内容' } });
  const review = await actor('review1');
  const view = await w.server.engine.instance(review, instanceId);
  await w.server.engine.complete(review, view.myTasks[0]!.taskId, {
    event: 'accept', opinion: '同意', version: view.version, input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
  });
  return (await w.server.engine.instance(await actor('fgw1'), instanceId)).myTasks[0]!.taskId;
}

describe('转办 in the browser (issue 14, item 1)', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: one picker of units, a field error when none is chosen, the unit named in the history`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const taskId = await replyTask(`关于加强老旧小区改造的建议（${vp.name}）`);
      const page = await w.logIn(vp, 'fgw1');
      await page.goto(`${w.base}/tasks/${taskId}`);
      const panel = page.locator('#action-reassign');
      await panel.locator('summary').click();
      expect(await panel.locator('[name="toUser"]').count()).toBe(0);
      // What the picker offers: the dropdown of the unit picker (the script took the inline options over).
      const control = page.locator('#a-reassign-org-ts-control');
      await control.click();
      const offered = page.locator('#action-reassign .ts-dropdown .option');
      await offered.first().waitFor();
      const options = await offered.allInnerTexts();
      expect(options).toContain('市民政局');
      expect(options).not.toContain('市教育局');
      expect(options).not.toContain('市发展和改革委员会');
      expect(options.join()).not.toContain('代表团');
      await page.keyboard.press('Escape');
      await panel.locator('#a-reassign-reason').fill('不属本单位职责');
      await panel.getByRole('button', { name: '转办' }).click();
      const summary = page.locator('.lz-error-summary');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.innerText()).toContain('请选择转办单位');
      expect(await summary.locator('a').getAttribute('href')).toBe('#a-reassign-org');
      expect(await page.locator('#a-reassign-reason').inputValue()).toBe('不属本单位职责');
      checks.push(await checkPage(page, '1-reassign-no-unit', dir));

      // The unit picker (tom-select over the inline list).
      await page.locator('#a-reassign-org-ts-control').click();
      await page.locator('#a-reassign-org-ts-control').pressSequentially('民政');
      await page.locator('#action-reassign .ts-dropdown .option', { hasText: '市民政局' }).first().click();
      await page.locator('#action-reassign').getByRole('button', { name: '转办' }).click();
      await page.waitForURL(/\/inbox/);
      const mzj = await w.logIn(vp, 'mzj1');
      await mzj.goto(`${w.base}/tasks/${taskId}`);
      expect(await mzj.locator('.timeline').innerText()).toContain('转办给 市民政局');
      checks.push(await checkPage(mzj, '2-history-names-unit', dir));
      await page.context().close();
      await mzj.context().close();
      expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
    }, 120_000);
  }
});

// bill-rules.test.ts: issue 14's bill rules in headless Chromium at a desktop and a phone viewport:
// the start form refuses co-signers that include the proposer (error summary first, what was typed
// kept), and a draft sent back after the co-signing says why at the top. Screenshots go to
// test-artifacts/browser-bill-rules/ (LVZHI_SHOTS_DIR overrides); axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const w = useServerAndBrowser();

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-bill-rules');
const deputies = (n: number): string[] => Array.from({ length: n }, (_, i) => `deputy${i + 2}`);
const actor = (u: string) => w.actor(u);

/** A bill that came back to its draft: eight agreed, two declined. Returns the proposer's task id. */
async function returnedDraft(title: string): Promise<string> {
  const { instanceId } = await w.server.engine.start(await actor('deputy1'), 'bill', {
    event: 'submit', version: 0, input: { title, content: '案据：……；方案：……', cosigners: deputies(10) },
  });
  for (const [i, u] of deputies(10).entries()) {
    const a = await actor(u);
    const view = await w.server.engine.instance(a, instanceId);
    await w.server.engine.complete(a, view.myTasks[0]!.taskId, { event: i < 8 ? 'agree' : 'decline', input: {}, version: view.version });
  }
  return (await w.server.engine.instance(await actor('deputy1'), instanceId)).myTasks[0]!.taskId;
}

describe('bill rules in the browser (issue 14)', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: co-signer error on the start form, and the returned draft's message`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const page = await w.logIn(vp, 'deputy1');
      await page.goto(`${w.base}/start/bill`);
      await page.locator('#f-title').fill('关于制定物业管理条例的议案');
      await page.locator('#f-content').fill('案据：……；方案：……');
      // The co-signer picker (tom-select): the proposer himself and two others.
      const control = page.locator('#f-cosigners-ts-control');
      for (const name of ['王建国', '李秀英', '张伟']) {
        await control.click();
        await control.pressSequentially(name);
        await page.locator('.ts-dropdown .option', { hasText: name }).first().click();
        await control.fill('');
      }
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: '提交附议' }).click();
      const summary = page.locator('.lz-error-summary');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.innerText()).toContain('附议代表中不能包括您本人');
      expect(await page.locator('#f-title').inputValue()).toBe('关于制定物业管理条例的议案');
      checks.push(await checkPage(page, '1-start-cosigner-error', dir));

      await page.goto(`${w.base}/tasks/${await returnedDraft(`关于修改城市绿化条例的议案（${vp.name}）`)}`);
      const notice = page.locator('#came-back');
      expect(await notice.innerText()).toContain('附议代表不足十人');
      const [noticeBox, formBox] = [await notice.boundingBox(), await page.locator('#record-form').boundingBox()];
      expect(noticeBox!.y).toBeLessThan(formBox!.y);
      checks.push(await checkPage(page, '2-returned-draft', dir));
      await page.context().close();
      expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
    }, 120_000);
  }
});

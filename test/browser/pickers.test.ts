// pickers.test.ts: a directory picker over 6,007 deputies in headless Chromium, at 1280 and 390 px.
// deputy1 opens 提出议案, types 张伟 into 附议代表, picks the one in 淄川区第1代表小组 from his unit's
// group, finds the deputy whose name is markup (shown as text), submits, and the two are stored.
// The open picker is screenshotted (test-artifacts/browser/pickers/, and /tmp/shots-pickers/ for
// review) and every page checked with axe.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';
import { HTML_NAME, SECOND_ZHANGWEI, seedDeputies } from '../helpers/deputies.ts';

const checks: PageCheck[] = [];
const SHOTS = process.env.PICKER_SHOTS_DIR ?? '';

const w = useServerAndBrowser();

beforeAll(async () => {
  await seedDeputies(w.server);
}, 120_000);

async function check(page: Page, vp: Viewport, label: string): Promise<void> {
  checks.push(await checkPage(page, `${vp.name}-${label}`, path.join(ARTIFACTS, 'browser', 'pickers')));
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${vp.name}-${label}.png`) });
  }
}

/** The cosigners stored on the instance the page now shows. */
async function storedCosigners(page: Page): Promise<unknown> {
  const id = decodeURIComponent(/\/instances\/([^/?#]+)/.exec(page.url())?.[1] ?? '');
  const actor = await w.actor('deputy1');
  return (await w.server.engine.instance(actor, id)).form.fields.find((f) => f.name === 'cosigners')?.value;
}

describe('pickers in the browser', () => {
  for (const vp of VIEWPORTS) {
    it(`searches 6,007 deputies, picks from a unit's group and stores the picks (${vp.name})`, { timeout: 60_000 }, async () => {
      const page = await w.logIn(vp, 'deputy1');
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`${w.base}/start/bill`);
      await page.getByLabel('案由').fill(`关于养老服务的议案（${vp.name}）`);
      await page.getByLabel('案据和方案').fill('理由和方案');
      const control = page.locator('#f-cosigners-ts-control');
      await control.waitFor();
      // 16 px or more, so iOS does not zoom the page when the field is tapped.
      expect(await control.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(16);
      // The field at the top of the screen, so the screenshot shows the open dropdown below it.
      await page.locator('[data-picker="cosigners"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await control.click();
      await control.pressSequentially('张伟');
      const group = page.locator('.ts-dropdown .optgroup').filter({ has: page.locator('.optgroup-header', { hasText: SECOND_ZHANGWEI.unit }) });
      await group.waitFor();
      // The dropdown stays within the screen, at a phone's width too.
      const box = (await page.locator('.ts-dropdown').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(vp.width);
      await check(page, vp, '1-picker-open');
      await group.locator('.option', { hasText: '张伟' }).click();
      const picked = () => page.locator('select[name="cosigners"]').evaluate((el: HTMLSelectElement) => [...el.selectedOptions].map((o) => o.value));
      await expect.poll(picked).toEqual([SECOND_ZHANGWEI.id]);
      await control.fill('');
      await control.pressSequentially('<b>');
      const markup = page.locator('.ts-dropdown .option', { hasText: HTML_NAME.name });
      await markup.waitFor();
      expect(await page.locator('.ts-dropdown b').count()).toBe(0);
      await markup.click();
      await page.keyboard.press('Escape');
      await page.locator('[data-picker="cosigners"] .ts-dropdown').waitFor({ state: 'hidden' });
      await expect.poll(picked).toEqual([SECOND_ZHANGWEI.id, HTML_NAME.id]);
      // Each pick shows its unit, so which 张伟 was taken is plain; the markup name is text.
      expect(await page.locator('.ts-control .item').allTextContents()).toEqual([`张伟${SECOND_ZHANGWEI.unit}×`, `${HTML_NAME.name}${HTML_NAME.unit}×`]);
      await check(page, vp, '2-picked');
      // A bill needs ten co-signers besides the proposer: eight more, found by their usernames.
      const more = Array.from({ length: 8 }, (_, i) => `dep${String(100 + i + (vp.name === 'phone' ? 20 : 0)).padStart(4, '0')}`);
      for (const id of more) {
        await control.click();
        await control.pressSequentially(id);
        const option = page.locator('.ts-dropdown .option[data-value="' + id + '"]');
        await option.waitFor();
        await option.click();
        await control.fill('');
      }
      await page.keyboard.press('Escape');
      await expect.poll(picked).toEqual([SECOND_ZHANGWEI.id, HTML_NAME.id, ...more]);
      await page.getByRole('button', { name: '提交附议' }).click();
      await page.waitForURL(/\/instances\//);
      expect(await storedCosigners(page)).toEqual([SECOND_ZHANGWEI.id, HTML_NAME.id, ...more]);
      await check(page, vp, '3-started');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('without script: names typed into the plain input; a shared name lists candidates, a username settles it (phone)', async () => {
    const vp = VIEWPORTS[1]!;
    const context = await w.browser.newContext({ viewport: { width: vp.width, height: vp.height }, isMobile: true, hasTouch: true, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${w.base}/login`);
    await page.getByLabel('用户名').fill('deputy1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${w.base}/start/bill`);
    await page.getByLabel('案由').fill('关于无脚本的议案');
    await page.getByLabel('案据和方案').fill('理由和方案');
    const input = page.getByLabel('附议代表');
    expect(await input.getAttribute('type')).toBe('text');
    await input.fill('张伟、李秀英');
    await page.getByRole('button', { name: '提交附议' }).click();
    await page.locator('.lz-error-summary').waitFor();
    expect(await page.locator('#f-cosigners-error').textContent()).toContain(`张伟 — ${SECOND_ZHANGWEI.unit}（${SECOND_ZHANGWEI.id}）`);
    expect(await page.getByLabel('案由').inputValue()).toBe('关于无脚本的议案');
    await page.locator('[data-picker="cosigners"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // A screenshot only: axe runs as a script in the page, which this context does not allow.
    for (const dir of [path.join(ARTIFACTS, 'browser', 'pickers'), SHOTS].filter(Boolean)) {
      fs.mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `${vp.name}-6-no-script-candidates.png`) });
    }
    const more = ['dep0200', 'dep0201', 'dep0202', 'dep0203', 'dep0204', 'dep0205', 'dep0206', 'dep0207'];
    await input.fill(`${SECOND_ZHANGWEI.id}、李秀英、${more.join('、')}`);
    await page.getByRole('button', { name: '提交附议' }).click();
    await page.waitForURL(/\/instances\//);
    expect(await storedCosigners(page)).toEqual([SECOND_ZHANGWEI.id, 'deputy2', ...more]);
    await context.close();
  });

  it('a review task: 主办单位 and 协办单位 (inline, grouped) and the 抄送 panel are pickers; axe finds nothing serious', async () => {
    const deputy = await w.actor('deputy1');
    await w.server.engine.start(deputy, 'suggestion', { event: 'submit', version: 0, input: { title: '关于增设社区食堂的建议', category: '城乡建设与管理', content: '建议在老旧小区增设社区食堂。' } });
    for (const vp of VIEWPORTS) {
      const page = await w.logIn(vp, 'review1');
      await page.locator('a[href^="/tasks/"]').first().click();
      await page.waitForURL(/\/tasks\//);
      const co = page.locator('#f-co_units-ts-control');
      await co.click();
      await co.pressSequentially('教育');
      await page.locator('.ts-dropdown .option', { hasText: '市教育局' }).first().waitFor();
      await check(page, vp, '4-task-co-units-open');
      await page.locator('.ts-dropdown .option', { hasText: '市教育局' }).first().click();
      await page.keyboard.press('Escape');
      await page.locator('[data-picker="co_units"] .ts-dropdown').waitFor({ state: 'hidden' });
      await page.locator('#action-copy summary').click();
      await page.locator('#a-copy-users-ts-control').click();
      await page.locator('#a-copy-users-ts-control').pressSequentially('陈');
      await page.locator('#action-copy .ts-dropdown .option').first().waitFor();
      await check(page, vp, '5-task-copy-open');
      await page.context().close();
    }
    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  });
});

// bill-flow.test.ts: the bill walked end to end in headless Chromium at 1280 and 390 px, with the
// rules of issue 14 on the way: the start form shows only the draft's fields and counts ten
// co-signers besides the proposer; a co-sign task has no 保存草稿; the presidium's 立案审议 without
// a committee is a field error with what was typed kept; the committee's empty review is refused;
// the opinion boxes are named (主席团意见, 审议意见); a handled task opened again is read-only; the
// lists carry the bill's 编号. Screenshots in test-artifacts/browser-bill-flow/; axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const w = useServerAndBrowser();

const SHOTS = path.join(ARTIFACTS, 'browser-bill-flow');
const COSIGNERS = ['李秀英', '张伟', '刘芳', '陈军', '杨丽', '黄海涛', '赵敏华', '周强', '吴桂兰', '徐志明'];
const actor = (u: string) => w.actor(u);

async function openTodo(page: Page, title: string): Promise<void> {
  await page.goto(`${w.base}/inbox?list=todo`);
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/tasks\//);
}

async function press(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
}

async function walk(vp: Viewport): Promise<PageCheck[]> {
  const checks: PageCheck[] = [];
  const dir = path.join(SHOTS, vp.name);
  const shot = async (page: Page, name: string) => { checks.push(await checkPage(page, name, dir)); };
  const title = `关于制定物业管理条例的议案（${vp.name}）`;

  // 1. The proposer drafts: only the draft's fields, ten co-signers picked, not himself.
  const deputy = await w.logIn(vp, 'deputy1');
  await deputy.goto(`${w.base}/start/bill`);
  expect(await deputy.locator('main').innerText()).not.toMatch(/审议结果报告|主席团意见|未填写/);
  await deputy.locator('#f-title').fill(title);
  await deputy.locator('#f-content').fill('案据：物业服务纠纷逐年增多；方案：制定本市物业管理条例。');
  const control = deputy.locator('#f-cosigners-ts-control');
  for (const name of COSIGNERS) {
    await control.click();
    await control.pressSequentially(name);
    await deputy.locator('.ts-dropdown .option', { hasText: name }).first().click();
    await control.fill('');
  }
  await deputy.keyboard.press('Escape');
  await shot(deputy, '1-start');
  await press(deputy, '提交附议');
  await deputy.waitForURL(/\/instances\//);
  const instanceId = deputy.url().split('/instances/')[1]!.split(/[?#]/)[0]!;
  await shot(deputy, '2-submitted');

  // 2. One co-signer agrees in the browser: no 保存草稿 on a co-sign task; the other nine by the engine.
  const cosigner = await w.logIn(vp, 'deputy2');
  await openTodo(cosigner, title);
  expect(await cosigner.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
  await shot(cosigner, '3-cosign');
  await press(cosigner, '同意附议');
  await cosigner.waitForURL(/\/instances\//);
  await cosigner.context().close();
  for (let i = 3; i <= 11; i++) {
    const a = await actor(`deputy${i}`);
    const view = await w.server.engine.instance(a, instanceId);
    await w.server.engine.complete(a, view.myTasks[0]!.taskId, { event: 'agree', input: {}, version: view.version });
  }

  // 3. The presidium: 立案审议 with no committee is a field error, what was typed kept.
  const presidium = await w.logIn(vp, 'presidium1');
  await presidium.goto(`${w.base}/inbox?list=todo`);
  const row = presidium.locator('tr, .card, li').filter({ hasText: title }).first();
  expect(await row.innerText()).toMatch(/议案 第\d{7}号/);
  expect(await row.innerText()).toContain('王建国');
  await openTodo(presidium, title);
  expect(await presidium.getByLabel(/主席团意见/).count()).toBe(1);
  await presidium.getByLabel(/^决定说明/).fill('符合议案条件，交财政经济委员会审议。');
  await press(presidium, '立案审议');
  const summary = presidium.locator('.lz-error-summary');
  await summary.waitFor({ state: 'visible' });
  expect(await summary.innerText()).toContain('请选择审议委员会');
  expect(await presidium.getByLabel(/^决定说明/).inputValue()).toBe('符合议案条件，交财政经济委员会审议。');
  await shot(presidium, '4-presidium-no-committee');
  const picker = presidium.locator('#f-committee-ts-control');
  await picker.click();
  await picker.pressSequentially('财政');
  await presidium.locator('[data-picker="committee"] .ts-dropdown .option', { hasText: '财政经济委员会' }).first().click();
  await presidium.keyboard.press('Escape');
  await press(presidium, '立案审议');
  await presidium.waitForURL(/\/instances\//);
  await presidium.context().close();

  // 4. The committee: an empty review is refused; then the report is made.
  const cjw = await w.logIn(vp, 'cjw1');
  await openTodo(cjw, title);
  const taskUrl = cjw.url();
  expect(await cjw.getByLabel(/^审议意见/).count()).toBe(1);
  await press(cjw, '提交审议结果报告');
  await cjw.locator('.lz-error-summary').waitFor({ state: 'visible' });
  expect(await cjw.locator('.lz-error-summary').innerText()).toMatch(/审议结果报告/);
  await shot(cjw, '5-review-empty');
  await cjw.getByLabel(/^审议结果报告/).fill('经审议，建议常委会将制定物业管理条例列入明年立法计划。');
  await cjw.getByRole('group', { name: /审议结论/ }).getByLabel('建议通过', { exact: true }).check();
  await press(cjw, '提交审议结果报告');
  await cjw.waitForURL(/\/instances\//);
  await cjw.getByText('已提出审议结果报告').first().waitFor({ state: 'visible' });
  await shot(cjw, '6-reported');

  // 5. The handled task opened again (the back button, or from 已办) is read-only.
  await cjw.goto(taskUrl);
  expect(await cjw.locator('#handled').innerText()).toMatch(/您已于 .+ 办理/);
  expect(await cjw.locator('textarea').count()).toBe(0);
  expect(await cjw.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
  await shot(cjw, '7-handled');
  await cjw.context().close();
  await deputy.context().close();
  return checks;
}

describe('the bill flow in a real browser (issue 14)', () => {
  for (const vp of VIEWPORTS) {
    it(`walks draft → co-sign → presidium → committee report at ${vp.width} px`, async () => {
      const checks = await walk(vp);
      expect(checks.length).toBe(7);
      expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
    }, 180_000);
  }
});

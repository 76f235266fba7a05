// suggestion-flow.test.ts: the whole suggestion flow in headless Chromium, as four users, at a
// desktop and at a phone viewport. Every page visited is screenshotted (test-artifacts/) and
// checked with axe; any serious or critical violation fails the test.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';

const w = useServerAndBrowser();

/** One user's session at one viewport; collects the axe findings of every page it visits. */
let shots = 0;

class User {
  readonly checks: PageCheck[] = [];
  constructor(readonly page: Page, readonly vp: Viewport, readonly name: string) {}

  async check(label: string): Promise<void> {
    shots += 1;
    const dir = path.join(ARTIFACTS, 'browser', this.vp.name);
    this.checks.push(await checkPage(this.page, `${String(shots).padStart(2, '0')}-${this.name}-${label}`, dir));
  }
}

/** Picks in a directory picker (tom-select, public/pickers.js): type part of the name, click it in the dropdown. */
async function pick(page: Page, field: string, typed: string, option: string): Promise<void> {
  const control = page.locator(`#f-${field}-ts-control`);
  await control.click();
  await control.pressSequentially(typed);
  await page.locator(`[data-picker="${field}"] .ts-dropdown .option`, { hasText: option }).first().click();
  await page.locator(`[data-picker="${field}"] select`).evaluate((el: HTMLSelectElement, want) => {
    if (![...el.selectedOptions].some((o) => o.textContent === want)) throw new Error(`${want} was not picked`);
  }, option);
  // Closed, so the dropdown no longer covers the fields below it.
  await page.keyboard.press('Escape');
  await page.locator(`[data-picker="${field}"] .ts-dropdown`).waitFor({ state: 'hidden' });
}

/**
 * Signs in and checks the 待办 it lands on. `viaForm`: through the login page (checked too), as the
 * walk's first user does; the others reuse a session, since the login page is the same every time.
 */
async function logIn(vp: Viewport, username: string, checks: PageCheck[], viaForm = false): Promise<User> {
  let user: User;
  if (viaForm) {
    user = new User(await w.anonymous(vp), vp, username);
    const { page } = user;
    await page.goto(`${w.base}/login`);
    await user.check('login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/inbox/);
  } else {
    user = new User(await w.logIn(vp, username), vp, username);
  }
  await user.check('inbox');
  checks.push(...user.checks);
  user.checks.length = 0;
  return user;
}

async function done(user: User, checks: PageCheck[]): Promise<void> {
  checks.push(...user.checks);
  await user.page.context().close();
}

/** Open the to-do item whose title is `title` from the inbox. */
async function openTodo(user: User, title: string): Promise<void> {
  const { page } = user;
  await page.goto(`${w.base}/inbox?list=todo`);
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/tasks\//);
  await user.check('task');
}

async function submitAndLand(user: User, button: string, label: string): Promise<void> {
  const { page } = user;
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(/\/instances\//);
  await page.getByRole('status').or(page.locator('.flash')).first().waitFor({ state: 'visible', timeout: 10_000 });
  await user.check(label);
}

async function chooseRadio(page: Page, legend: RegExp, option: string): Promise<void> {
  await page.getByRole('group', { name: legend }).getByLabel(option, { exact: true }).check();
}

async function walk(vp: Viewport, rehandle: boolean): Promise<PageCheck[]> {
  const checks: PageCheck[] = [];
  const title = `关于加快老旧小区加装电梯的建议（${vp.name}）`;

  // 1. The deputy drafts and submits.
  const deputy = await logIn(vp, 'deputy1', checks, true);
  await deputy.page.goto(`${w.base}/start`);
  await deputy.check('start');
  await deputy.page.getByRole('link', { name: '代表建议办理' }).first().click();
  await deputy.page.waitForURL(/\/start\/suggestion/);
  await deputy.check('start-form');
  // Only the fields the deputy fills: no later stage's empty boxes (issue 14, item 6).
  expect(await deputy.page.locator('main').innerText()).not.toMatch(/未填写|答复内容|办理结果/);
  // An empty submit shows the error summary and keeps the page.
  await deputy.page.getByRole('button', { name: '提交', exact: true }).click();
  await deputy.page.locator('.lz-error-summary').waitFor({ state: 'visible', timeout: 10_000 });
  await deputy.check('start-form-errors');
  await deputy.page.getByLabel(/^标题/).fill(title);
  await deputy.page.getByLabel(/^类别/).selectOption({ label: '城乡建设与管理' });
  await deputy.page.getByLabel(/^建议内容/).fill('我市老旧小区多为六层以下住宅，老年居民上下楼困难。建议加大财政补贴力度，简化审批流程。');
  await submitAndLand(deputy, '提交', 'submitted');
  const instanceUrl = deputy.page.url();
  await done(deputy, checks);

  // 2. The review office accepts and assigns a lead and a co-handling unit.
  const review = await logIn(vp, 'review1', checks);
  await openTodo(review, title);
  await pick(review.page, 'lead_unit', '发展', '市发展和改革委员会');
  await pick(review.page, 'co_units', '教育', '市教育局');
  await chooseRadio(review.page, /是否复杂/, '否');
  await chooseRadio(review.page, /是否重点建议/, '否');
  await review.page.getByLabel(/交办意见/).fill('同意交办。');
  await submitAndLand(review, '交办', 'assigned');
  await done(review, checks);

  for (let round = 1; round <= (rehandle ? 2 : 1); round++) {
    // 3. The co-handler sees only its own task and gives its opinion to the lead.
    const co = await logIn(vp, 'jyj1', checks);
    await openTodo(co, title);
    expect(await co.page.getByLabel(/^答复内容/).count()).toBe(0);
    await co.page.getByLabel(/^协办意见/).fill(`第${round}轮协办意见：同意主办单位意见，配合做好相关工作。`);
    await submitAndLand(co, '提交', `co-opinion-${round}`);
    await done(co, checks);

    // 4. The lead unit replies with a result grade.
    const lead = await logIn(vp, 'fgw1', checks);
    await openTodo(lead, title);
    const replyUrl = lead.page.url();
    // Issue 14: the co-handler's opinion is there to read first (item 11); the box is 答复意见; no 催办
    // on one's own task; 转办 never offers the proposer (item 1).
    const opinionAt = await lead.page.getByText(`第${round}轮协办意见`).first().boundingBox();
    const formAt = await lead.page.getByLabel(/^答复内容/).boundingBox();
    expect(opinionAt!.y).toBeLessThan(formAt!.y);
    expect(await lead.page.getByLabel(/^答复意见/).count()).toBe(1);
    expect(await lead.page.getByRole('button', { name: '催办' }).count()).toBe(0);
    expect(await lead.page.locator('option', { hasText: '王建国' }).count()).toBe(0);
    await lead.page.getByLabel(/^答复内容/).fill(`第${round}轮答复：已将老旧小区加装电梯纳入年度民生实事，财政每部补贴20万元。`);
    await chooseRadio(lead.page, /办理结果/, round === 1 ? 'B类：所提问题正在解决或列入计划逐步解决' : 'A类：所提问题已经解决或基本解决');
    await submitAndLand(lead, '提交', `reply-${round}`);
    // Opened again (the back button, 已办): read-only, says when it was handled (item 8).
    await lead.page.goto(replyUrl);
    expect(await lead.page.locator('#handled').innerText()).toMatch(/您已于 .+ 办理/);
    expect(await lead.page.locator('textarea').count()).toBe(0);
    await lead.check(`reply-${round}-handled`);
    await done(lead, checks);

    // 5. The deputy evaluates: 不满意 sends it back once, 满意 closes it.
    const evaluator = await logIn(vp, 'deputy1', checks);
    await openTodo(evaluator, title);
    const unhappy = rehandle && round === 1;
    await chooseRadio(evaluator.page, /办理态度/, unhappy ? '较好' : '好');
    await chooseRadio(evaluator.page, /办理方式/, unhappy ? '较好' : '好');
    await chooseRadio(evaluator.page, /办理效果/, unhappy ? '差' : '好');
    await chooseRadio(evaluator.page, /总体评价/, unhappy ? '不满意' : '满意');
    await submitAndLand(evaluator, '提交', `evaluated-${round}`);
    if (!unhappy) {
      await evaluator.page.goto(instanceUrl);
      await evaluator.page.locator('.lz-diagram-current').first().waitFor({ state: 'attached', timeout: 10_000 });
      await evaluator.page.getByText('办结').first().waitFor({ state: 'visible', timeout: 10_000 });
      await evaluator.check('closed');
    }
    await done(evaluator, checks);
  }
  return checks;
}

describe('the suggestion flow in a real browser', () => {
  for (const vp of VIEWPORTS) {
    it(`walks submit → assign → co-handle → reply → evaluate at ${vp.name} size (${vp.width}px)`, async () => {
      const checks = await walk(vp, vp.name === 'desktop');
      expect(checks.length).toBeGreaterThan(10);
      const failures = checks.filter((c) => c.violations.length > 0);
      expect(failures, JSON.stringify(failures, null, 2)).toEqual([]);
    }, 240_000);
  }
});

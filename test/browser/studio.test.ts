// studio.test.ts: the admin studio in headless Chromium. The admin opens the suggestion workflow,
// breaks the YAML (an unknown state), sees the error at its line, fixes it, publishes version 2 with
// a message; a case started before stays on version 1 while a new one runs on version 2. Every page
// visited is screenshotted and checked with axe (serious or critical violations fail the test).
// Then a new process is created through the UI (新建流程: a wrong id first, then a good one), published,
// disabled and enabled, and started by a user; its pages are also rendered at phone width.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildStudio } from '../../cli/build-studio.ts';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const checks: PageCheck[] = [];
const vp = VIEWPORTS[0]!;
let shots = 0;

const w = useServerAndBrowser();

beforeAll(async () => {
  await buildStudio(); // the editor's bundle, as `npm test` builds it in pretest
}, 120_000);

async function check(page: Page, label: string): Promise<void> {
  shots += 1;
  checks.push(await checkPage(page, `${String(shots).padStart(2, '0')}-${label}`, path.join(ARTIFACTS, 'browser', 'studio')));
}

async function logIn(username: string): Promise<Page> {
  return w.logIn(vp, username);
}

/** Put the cursor in the editor just before `tail` on the line containing `lineText`. */
async function cursorBefore(page: Page, lineText: string, tail: string): Promise<void> {
  await page.locator('.cm-line', { hasText: lineText }).first().click();
  await page.keyboard.press('End');
  for (let i = 0; i < [...tail].length; i++) await page.keyboard.press('ArrowLeft');
}

describe('studio in the browser', () => {
  it('break, see the error at its line, fix, publish v2; old case stays on v1, new runs on v2', async () => {
    const deputyActor = await w.actor('deputy1');
    const old = await w.server.engine.start(deputyActor, 'suggestion', {
      event: 'submit', version: 0, input: { title: '版本一的建议', category: '其他', content: '发布新版本前提交的建议。' },
    });

    const admin = await logIn('admin');
    await admin.getByRole('link', { name: '流程定义' }).click();
    await admin.waitForURL(/\/admin$/);
    await check(admin, 'admin-list');
    await admin.getByRole('link', { name: '代表建议办理', exact: true }).click();
    await admin.waitForURL(/\/admin\/workflows\/suggestion$/);
    await admin.locator('.cm-editor').waitFor({ state: 'visible' });
    await expect.poll(() => admin.locator('#studio-status').textContent()).toContain('检查通过');
    await check(admin, 'editor');

    // Break it: the draft step now leads to a state that does not exist.
    const lines = await admin.locator('.cm-line').allTextContents();
    const line = lines.findIndex((l) => l.includes('submit: { to: review')) + 1;
    const col = lines[line - 1]!.indexOf('to: review') + 1; // the error points at the transition's `to`
    await cursorBefore(admin, 'submit: { to: review', ', label: 提交 }');
    for (let i = 0; i < 'review'.length; i++) await admin.keyboard.press('Backspace');
    await admin.keyboard.type('reviw');
    const error = admin.locator('#studio-findings a[data-line]').first();
    await expect.poll(() => error.textContent(), { timeout: 10_000 }).toBe(`第 ${line} 行第 ${col} 列`);
    await expect.poll(() => admin.locator('#studio-findings').textContent()).toContain('LVZ_DSL_UNKNOWN_STATE');
    await admin.locator('.cm-lintRange-error').first().waitFor({ state: 'attached' });
    await check(admin, 'editor-error');
    await error.click();
    await expect.poll(() => admin.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);

    // Fix it, and change the first step's title so version 2 differs visibly.
    await cursorBefore(admin, 'submit: { to: reviw', ', label: 提交 }');
    for (let i = 0; i < 'reviw'.length; i++) await admin.keyboard.press('Backspace');
    await admin.keyboard.type('review');
    await cursorBefore(admin, 'title: 起草建议', '');
    await admin.keyboard.type('书');
    await expect.poll(() => admin.locator('#studio-status').textContent(), { timeout: 10_000 }).toContain('检查通过');
    await admin.getByLabel(/^发布说明/).fill('起草步骤改名为“起草建议书”');
    await admin.getByRole('button', { name: '发布第 2 版' }).click();
    await admin.locator('.flash').waitFor({ state: 'visible' });
    expect(await admin.locator('.flash').textContent()).toContain('已发布第 2 版');
    await check(admin, 'published');

    await admin.getByRole('link', { name: '版本记录' }).click();
    await admin.getByRole('link', { name: '与上一版比较' }).click();
    await admin.waitForURL(/\/diff\?/);
    expect(await admin.locator('.diff-add').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('起草建议书')]));
    await check(admin, 'diff');

    // A new case runs on version 2; the one started before stays on version 1.
    const deputy = await logIn('deputy1');
    await deputy.goto(`${w.base}/start/suggestion`);
    await deputy.getByLabel(/^标题/).fill('版本二的建议');
    await deputy.getByLabel(/^建议内容/).fill('发布新版本后提交的建议。');
    await deputy.getByRole('button', { name: '提交', exact: true }).click();
    await deputy.waitForURL(/\/instances\//);
    expect(await deputy.locator('#workflow-version').textContent()).toBe('第 2 版');
    await check(deputy, 'instance-v2');
    await deputy.goto(`${w.base}/instances/${old.instanceId}`);
    expect(await deputy.locator('#workflow-version').textContent()).toBe('第 1 版');
    await check(deputy, 'instance-v1');

    const serious = checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
    expect(serious).toEqual([]);
  }, 120_000);

  it('新建流程 through the UI: wrong id, create, publish, 停用, 启用, a user starts it (desktop and phone)', async () => {
    const admin = await logIn('admin');
    await admin.goto(`${w.base}/admin`);
    await admin.getByRole('link', { name: '新建流程' }).click();
    await admin.waitForURL(/\/admin\/new\/workflows$/);
    await check(admin, 'new-empty');
    await admin.getByLabel(/^名称/).fill('民情联络走访');
    await admin.getByLabel(/^标识/).fill('Liaison Visit');
    await admin.getByRole('button', { name: '创建并打开编辑页' }).click();
    await admin.locator('.lz-error-summary').waitFor({ state: 'visible' });
    expect(await admin.locator('.lz-error-summary').textContent()).toContain('须以小写英文字母开头');
    expect(await admin.getByLabel(/^名称/).inputValue()).toBe('民情联络走访'); // what was typed comes back
    await check(admin, 'new-error');
    await admin.getByLabel(/^标识/).fill('liaison-visit');
    await admin.getByRole('button', { name: '创建并打开编辑页' }).click();
    await admin.waitForURL(/\/admin\/workflows\/liaison-visit$/);
    await admin.locator('.cm-editor').waitFor({ state: 'visible' });
    await expect.poll(() => admin.locator('#studio-status').textContent(), { timeout: 10_000 }).toContain('检查通过');
    expect(await admin.locator('#unpublished-notice').textContent()).toContain('尚未发布');
    await check(admin, 'new-editor');
    await admin.getByLabel(/^发布说明/).fill('首次发布');
    await admin.getByRole('button', { name: '发布第 1 版' }).click();
    await admin.locator('.flash').waitFor({ state: 'visible' });
    expect(await admin.locator('.flash').textContent()).toContain('已发布第 1 版');
    await admin.getByRole('button', { name: '停用该流程' }).click();
    await admin.locator('#disabled-notice').waitFor({ state: 'visible' });
    await check(admin, 'new-disabled');

    const staff = await logIn('staff1');
    await staff.goto(`${w.base}/start`);
    expect(await staff.getByRole('link', { name: '民情联络走访', exact: true }).count()).toBe(0);
    await admin.getByRole('button', { name: '启用该流程' }).click();
    await admin.locator('#studio-disable').waitFor({ state: 'visible' });
    await staff.goto(`${w.base}/start`);
    await staff.getByRole('link', { name: '民情联络走访', exact: true }).click();
    await staff.getByLabel(/^标题/).fill('走访王家村');
    await staff.getByRole('button', { name: '提交', exact: true }).click();
    await staff.waitForURL(/\/instances\//);
    expect(await staff.locator('main').textContent()).toContain('办结');

    await admin.getByRole('link', { name: '版本记录' }).click();
    await admin.locator('#studio-audit').waitFor({ state: 'visible' });
    await check(admin, 'new-versions');

    // The same pages at phone width.
    const phone = await w.logIn(VIEWPORTS[1]!, 'admin');
    await phone.goto(`${w.base}/admin`);
    await check(phone, 'phone-admin-list');
    await phone.goto(`${w.base}/admin/new/workflows?from=suggestion`);
    await check(phone, 'phone-new-copy');
    await phone.getByLabel(/^名称/).fill('乡镇代表建议办理');
    await phone.getByLabel(/^标识/).fill('suggestion-town');
    await phone.getByRole('button', { name: '创建并打开编辑页' }).click();
    await phone.waitForURL(/\/admin\/workflows\/suggestion-town$/);
    await check(phone, 'phone-new-editor');
    await phone.goto(`${w.base}/admin/workflows/liaison-visit`);
    await check(phone, 'phone-published-editor');
    await phone.goto(`${w.base}/admin/workflows/liaison-visit/versions`);
    await check(phone, 'phone-new-versions');

    const serious = checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
    expect(serious).toEqual([]);
  }, 120_000);
});

// install.test.ts: issue 13's "done means", as a new congress would do it, in headless Chromium with
// the clock in December 2026. From an empty database: the first administrator is created on the
// command line; in the browser the administrator declares a role (民情联络员), imports the
// organisation and people from an .xlsx, gives two people a temporary password, and writes a new
// process in the studio that uses the role and the directory (the liaison's case goes to the deputy
// they work for). The liaison changes the temporary password, starts a case; the deputy and the
// office take it to the end; its 20-working-day deadline reaches into 2027, a year the shipped
// calendar lacks, so it is shown as provisional. Every page is screenshotted at 1280 px (the
// directory and studio pages also at 390 px) and checked with axe.

import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildStudio } from '../../cli/build-studio.ts';
import { ARTIFACTS, VIEWPORTS, checkPage, launchBrowser, newContext, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { lvzhiWith } from '../helpers/cli.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnServer, type ServerProcess } from '../helpers/spawn.ts';

const ADMIN_PASSWORD = 'Zibo-congress-2026!';
const checks: PageCheck[] = [];
let browser: Browser;
let place: TestDatabase;
let server: ServerProcess;
let shots = 0;

beforeAll(async () => {
  await buildStudio();
  browser = await launchBrowser();
  place = await testDatabase(undefined, 'lvzhi-install-');
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await place?.cleanup();
});

async function check(page: Page, label: string): Promise<void> {
  shots += 1;
  checks.push(await checkPage(page, `${String(shots).padStart(2, '0')}-${label}`, path.join(ARTIFACTS, 'browser', 'install')));
}

async function logIn(vp: Viewport, username: string, password: string): Promise<Page> {
  const page = await (await newContext(browser, vp)).newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

/** The organisation and people of a small congress, as an office would fill in the template. */
async function directoryWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, header: string[], rows: (string | number)[][]): void => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
  };
  sheet('组织机构', ['编码', '名称', '类型', '上级编码', '排序'], [
    ['city-xlw', '代表工作委员会', '办公室', 'city', 2],
    ['zhangdian', '张店区人大常委会', '区县人大常委会', 'city', 10],
    ['zhangdian-delegation', '张店区代表团', '代表团', 'zhangdian', 11],
    ['zhangdian-chezhan', '车站街道人大工委', '乡镇人大', 'zhangdian', 12],
  ]);
  sheet('人员', ['用户名', '姓名', '组织编码', '角色', '手机', '代表层级', '选区'], [
    ['liuxin', '刘欣', 'city-office', '机关工作人员', '13800000001', '', ''],
    ['wangjg', '王建国', 'zhangdian-delegation', '人大代表', '13800000002', '市', '张店区第三选区'],
    ['gaowen', '高文', 'zhangdian-chezhan', '民情联络员', '13800000003', '', ''],
  ]);
  sheet('分组', ['编码', '名称', '说明'], [['liaisons', '民情联络员', '协助代表联系群众']]);
  sheet('分组成员', ['分组编码', '用户名', '服务代表用户名'], [['liaisons', 'gaowen', 'wangjg']]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const WORKFLOW = `id: liaison-report
version: 1
title: 社情民意反映
description: 民情联络员反映社情民意，由其服务的代表阅处，再交办公室登记办理。
roles: [liaison, deputy, staff]
starters: [liaison]
record: liaison-report
title_from: data.title
initial: draft

states:
  draft:
    title: 填写反映
    task:
      assignee: initiator
      fields: { edit: [title] }
    on:
      submit: { to: deputy_read, label: 提交 }

  deputy_read:
    title: 代表阅处
    task:
      assignee: user(actor.id).works_for[0]
      fields: { read: [title] }
    on:
      forward: { to: handle, label: 转交办公室 }

  handle:
    title: 登记办理
    task:
      role: staff
      fields: { read: [title] }
    deadline: { after: 20 working days, remind: [3 working days] }
    on:
      finish: { to: done, label: 办结 }

  done:
    title: 办结
    final: true
`;

/** Resets a person's password on their page; returns the temporary password the page shows once. */
async function resetPassword(admin: Page, username: string): Promise<string> {
  await admin.goto(`${server.base}/admin/directory/people/${username}`);
  await admin.locator('#reset-panel summary').click();
  await admin.locator('#reset-panel').getByRole('button', { name: '重置密码' }).click();
  const temp = (await admin.locator('#temporary-password code').textContent())?.trim() ?? '';
  expect(temp.length).toBeGreaterThanOrEqual(12);
  return temp;
}

/** The first login with a temporary password leads to 修改密码 before anything else. */
async function firstLogin(vp: Viewport, username: string, temp: string, fresh: string): Promise<Page> {
  const page = await logIn(vp, username, temp);
  await page.waitForURL(/\/password/);
  await page.getByLabel(/^现在的密码/).fill(temp);
  await page.getByLabel(/^新密码/).fill(fresh);
  await page.getByLabel(/^再输入一次新密码/).fill(fresh);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.waitForURL(/\/inbox/);
  return page;
}

describe('a new congress installs lvzhi and runs its own process (December 2026)', () => {
  it('first administrator, role, import, studio, and a case to the end', async () => {
    // 1. The first administrator, on the server's command line, on an empty production database.
    const env = { DATA_DIR: place.dataDir, ...(place.databaseUrl ? { DATABASE_URL: place.databaseUrl } : { DATABASE_URL: undefined }), LVZHI_FAKE_NOW: undefined };
    const created = await lvzhiWith({ env, input: `${ADMIN_PASSWORD}\n` }, 'admin', 'create', 'chief', '--name', '王主任', '--root-org', '淄博市人大常委会');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('已创建管理员 chief');
    // Thursday 10 December 2026, 09:30 in Beijing: 20 working days reach into January 2027.
    server = await spawnServer(place, { demo: false, env: { LVZHI_FAKE_NOW: '2026-12-10T01:30:00Z' } });

    const vp = VIEWPORTS[0]!;
    const admin = await logIn(vp, 'chief', ADMIN_PASSWORD);
    await admin.waitForURL(/\/inbox/);

    // 2. A role the shipped roles.yaml lacks: 民情联络员.
    await admin.goto(`${server.base}/admin/directory/roles`);
    await admin.getByLabel(/^角色编码/).fill('liaison');
    await admin.getByLabel(/^角色名称/).fill('民情联络员');
    await admin.getByLabel(/^说明/).fill('协助代表联系群众，收集社情民意');
    await admin.getByRole('button', { name: '声明角色' }).click();
    await expect.poll(() => admin.locator('main').textContent()).toContain('已声明角色“民情联络员”');
    await check(admin, 'roles');

    // 3. The organisation and people from an .xlsx: checked first, then confirmed.
    await admin.goto(`${server.base}/admin/directory/import`);
    await check(admin, 'import');
    await admin.getByLabel(/^通讯录文件/).setInputFiles({ name: '淄博市人大通讯录.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await directoryWorkbook() });
    await admin.getByRole('button', { name: '上传并检查' }).click();
    await admin.getByRole('button', { name: '确认导入' }).waitFor();
    expect(await admin.locator('main').textContent()).toContain('新建');
    await check(admin, 'import-checked');
    await admin.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => admin.locator('main').textContent(), { timeout: 20_000 }).toContain('导入完成');
    await check(admin, 'import-done');
    await admin.goto(`${server.base}/admin/directory?q=${encodeURIComponent('高文')}`);
    expect(await admin.locator('main').textContent()).toContain('车站街道人大工委');
    await check(admin, 'people');

    // 4. Temporary passwords for the three who will act.
    const temps = { gaowen: await resetPassword(admin, 'gaowen'), wangjg: await resetPassword(admin, 'wangjg'), liuxin: await resetPassword(admin, 'liuxin') };
    await check(admin, 'reset-password');

    // 5. A new process in the studio that names the new role and reads the directory.
    await admin.goto(`${server.base}/admin`);
    await admin.getByRole('link', { name: '新建流程' }).click();
    await admin.getByLabel(/^名称/).fill('社情民意反映');
    await admin.getByLabel(/^标识/).fill('liaison-report');
    await admin.getByRole('button', { name: '创建并打开编辑页' }).click();
    await admin.waitForURL(/\/admin\/workflows\/liaison-report$/);
    await admin.locator('.cm-editor').waitFor({ state: 'visible' });
    await admin.locator('.cm-content').click();
    await admin.keyboard.press('Control+A');
    await admin.keyboard.press('Delete');
    await admin.keyboard.insertText(WORKFLOW);
    await expect.poll(() => admin.locator('#studio-status').textContent(), { timeout: 15_000 }).toContain('检查通过');
    await check(admin, 'studio');
    await admin.getByLabel(/^发布说明/).fill('首次发布：民情联络员反映社情民意');
    await admin.getByRole('button', { name: '发布第 1 版' }).click();
    await admin.locator('.flash, .lz-error-summary').first().waitFor({ state: 'visible' });
    expect(await admin.locator('main').textContent()).toContain('已发布第 1 版');

    // 6. The liaison: a new password first, then a case.
    const liaison = await firstLogin(vp, 'gaowen', temps.gaowen, 'Chezhan-lianluo-2026');
    await liaison.goto(`${server.base}/start`);
    await liaison.getByRole('link', { name: '社情民意反映', exact: true }).click();
    await liaison.getByLabel(/^标题/).fill('车站街道老旧小区加装电梯的呼声');
    await liaison.getByRole('button', { name: '提交', exact: true }).click();
    await liaison.waitForURL(/\/instances\//);
    await check(liaison, 'case-started');

    // 7. The deputy the liaison works for has it (the directory's relation), and sends it on.
    const deputy = await firstLogin(vp, 'wangjg', temps.wangjg, 'Zhangdian-daibiao-2026');
    await deputy.goto(`${server.base}/inbox`);
    await deputy.getByRole('link', { name: /车站街道老旧小区加装电梯/ }).first().click();
    await deputy.waitForURL(/\/tasks\//);
    await deputy.getByRole('button', { name: '转交办公室' }).click();
    await deputy.waitForURL((url) => !url.pathname.startsWith('/tasks/'));

    // 8. The office: the deadline reaches into 2027, which the shipped calendar lacks: provisional.
    const office = await firstLogin(vp, 'liuxin', temps.liuxin, 'Shirenda-bangongshi-2026');
    await office.goto(`${server.base}/inbox`);
    expect(await office.locator('main').textContent()).toContain('暂按工作日估算');
    await check(office, 'office-inbox');
    await office.getByRole('link', { name: /车站街道老旧小区加装电梯/ }).first().click();
    await office.waitForURL(/\/tasks\//);
    await office.getByRole('button', { name: '办结' }).click();
    await office.waitForURL((url) => !url.pathname.startsWith('/tasks/'));

    await liaison.goto(liaison.url());
    await liaison.reload();
    expect(await liaison.locator('main').textContent()).toContain('办结');
    await check(liaison, 'case-done');

    // 9. The directory and studio pages at phone width.
    const phone = await logIn(VIEWPORTS[1]!, 'chief', ADMIN_PASSWORD);
    await phone.waitForURL(/\/inbox/);
    for (const [url, label] of [['/admin/directory', 'phone-people'], ['/admin/directory/import', 'phone-import'], ['/admin/directory/roles', 'phone-roles'], ['/admin/directory/history', 'phone-history'], ['/admin/workflows/liaison-report', 'phone-studio']] as const) {
      await phone.goto(`${server.base}${url}`);
      await check(phone, label);
    }

    const serious = checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
    expect(serious).toEqual([]);
  }, 240_000);
});

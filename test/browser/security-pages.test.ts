// security-pages.test.ts: the pages issue 12 added, walked in headless Chromium at desktop and phone
// width as their users meet them: the login warning and lock, API tokens with scope and expiry, a
// conflict that gives the typed reply back (the co-handler answering late, past its month), a replayed start form, the 办理测评 anonymity note, a
// control character in a title, /admin/timers for a district admin, and a too-costly expression in
// the studio. Each page is screenshotted (test-artifacts/browser/security/) and checked with axe.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { buildStudio } from '../../cli/build-studio.ts';
import { REPO_ROOT } from '../../engine/index.ts';
import type { Actor } from '../../engine/runtime/types.ts';
import { openDb, type Db } from '../../engine/store/db.ts';
import { timersOf } from '../../engine/store/process/index.ts';
import { ARTIFACTS, VIEWPORTS, checkPage, newContext, type PageCheck, type Viewport } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { DEMO_PASSWORD } from '../helpers/http.ts';

const DIR = path.join(ARTIFACTS, 'browser', 'security');
const actors: Record<string, Actor> = {};
const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');

const w = useServerAndBrowser();

beforeAll(async () => {
  await buildStudio(); // the editor's bundle, as `npm test` builds it in pretest
  for (const u of ['deputy1', 'review1', 'jyj1', 'fgw1']) actors[u] = await w.actor(u);
}, 120_000);

/** Screenshots and axe findings of one walk; `serious()` lists what fails the test. */
class Shots {
  readonly checks: PageCheck[] = [];
  constructor(readonly vp: Viewport) {}
  async take(page: Page, label: string): Promise<void> {
    this.checks.push(await checkPage(page, `${this.vp.name}-${label}`, DIR));
    // On a phone, what the user sees before scrolling is what matters: a notice must be in it.
    if (this.vp.isMobile) await page.screenshot({ path: path.join(DIR, `${this.vp.name}-${label}-top.png`) });
  }
  serious(): string[] {
    return this.checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
  }
}

function logIn(vp: Viewport, username: string): Promise<Page> {
  return w.logIn(vp, username);
}

/** Clicks `button` and returns the answer to the POST it sends (a full page or an htmx swap). */
async function postBy(page: Page, button: string): Promise<Response> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && !r.url().includes('/check')),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return res;
}

async function withDb<T>(run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir: w.server.dataDir, ...(w.server.databaseUrl && { databaseUrl: w.server.databaseUrl }) });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

/** Whether the element's top edge is within the viewport (what the user sees without scrolling). A
 * focused element scrolled to the very top can sit a fraction of a pixel above it (-0.23 on a phone). */
function inView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((n) => {
    const r = n.getBoundingClientRect();
    return r.top > -1 && r.top < window.innerHeight;
  });
}

function openTask(instanceId: string, state: string, grp?: string): Promise<string> {
  return withDb(async (db) => {
    const row = await db('tasks').where({ instance_id: instanceId, state, status: 'open', kind: 'task', ...(grp && { grp }) }).first('id');
    return row.id as string;
  });
}

/** A suggestion of deputy1's, assigned to 市发改委 (lead) and, when asked, 市教育局 (co-handling). */
async function assigned(title: string, coUnits: string[]): Promise<string> {
  const { instanceId } = await w.server.engine.start(actors.deputy1!, 'suggestion', {
    event: 'submit', version: 0, input: { title, category: '城乡建设与管理', content: '建议加大老旧小区改造的财政补贴力度。' },
  });
  const review = await openTask(instanceId, 'review');
  const { version } = await w.server.engine.task(actors.review1!, review);
  await w.server.engine.complete(actors.review1!, review, {
    event: 'accept', opinion: '同意交办。', version, input: { lead_unit: 'city-fgw', co_units: coUnits, is_complex: '否', is_key: '否' },
  });
  return instanceId;
}

const REPLY = '经研究，已将老旧小区加装电梯纳入年度民生实事，财政每部补贴二十万元，并简化审批流程。'.repeat(100).slice(0, 3990) + '以上答复请审阅。';

for (const vp of VIEWPORTS) {
  describe(`issue 12 pages at ${vp.name} width (${vp.width} px)`, () => {
    it('login: a wrong password, the warning before the lock, and the lock (429)', async () => {
      const shots = new Shots(vp);
      const user = vp.name === 'desktop' ? 'deputy5' : 'deputy7';
      const page = await (await newContext(w.browser, vp)).newPage();
      await page.goto(`${w.base}/login`);
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        await page.getByLabel('用户名').fill(user);
        await page.getByLabel('密码').fill(`wrong-${i}`);
        statuses.push((await postBy(page, '登录')).status());
        const summary = page.locator('.lz-error-summary');
        await summary.waitFor({ state: 'visible' });
        if (i === 1) {
          expect(await summary.textContent()).toContain('用户名或密码不正确');
          expect(await summary.textContent()).not.toContain('再输错');
          await shots.take(page, 'login-1-wrong');
        }
        if (i === 4) {
          expect(await summary.textContent()).toContain('再输错 1 次，账号将锁定 15 分钟');
          await shots.take(page, 'login-2-warning');
        }
        if (i === 5) {
          expect(await summary.textContent()).toContain('该账号已暂时锁定');
          await shots.take(page, 'login-3-locked');
        }
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      // The right password while locked still lands on the lock, with the summary linking to the field.
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      expect((await postBy(page, '登录')).status()).toBe(429);
      expect(await page.locator('.lz-error-summary a[href="#username"]').textContent()).toContain('北京时间');
      expect(await page.getByLabel('用户名').inputValue()).toBe(user);
      expect(shots.serious()).toEqual([]);
    }, 60_000);

    it('settings: create a read-only token for 90 days; the list shows its scope and expiry', async () => {
      const shots = new Shots(vp);
      const page = await logIn(vp, 'staff1');
      await page.goto(`${w.base}/settings`);
      await page.locator('#tokens-title').scrollIntoViewIfNeeded();
      await shots.take(page, 'tokens-1-empty');
      await page.getByRole('group', { name: /权限/ }).getByLabel('只读', { exact: true }).check();
      await page.getByRole('group', { name: /有效期/ }).getByLabel('90 天', { exact: true }).check();
      await page.getByRole('button', { name: '创建新令牌' }).click();
      await page.locator('#new-token').waitFor({ state: 'visible' });
      expect((await page.locator('#new-token').textContent())!.length).toBeGreaterThan(20);
      expect(await page.locator('.flash').textContent()).toContain('请到下方“接口令牌”中立即复制保存');
      const row = page.locator('section[aria-labelledby="tokens-title"] tbody tr').first();
      expect(await row.textContent()).toContain('只读');
      expect(await row.textContent()).toMatch(/2026/);
      await shots.take(page, 'tokens-2-created');
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('conflict: the co-handler answers while fgw1 types; the form comes back with the notice and the reply', async () => {
      const shots = new Shots(vp);
      const instanceId = await assigned(`冲突页面查看（${vp.name}）`, ['city-jyj']);
      const lead = await openTask(instanceId, 'handle', 'lead');
      const co = await openTask(instanceId, 'handle', 'cohandle');
      // A month and more on: past the co-handler's deadline the lead may reply without it (wait_for), so it answers late.
      w.server.clock.now = new Date(w.server.clock.now.getTime() + 40 * 86_400_000);
      const page = await logIn(vp, 'fgw1');
      await page.goto(`${w.base}/tasks/${lead}`);
      await page.getByLabel(/^答复内容/).fill(REPLY);
      await page.getByRole('group', { name: /办理结果/ }).getByLabel(/^B类/).check();
      const coView = await w.server.engine.task(actors.jyj1!, co);
      await w.server.engine.complete(actors.jyj1!, co, { event: coView.buttons[0]!.event, version: coView.version, input: { co_opinion: '同意主办单位意见，配合做好相关工作。' } });
      expect((await postBy(page, '提交')).status()).toBe(409);
      const notice = page.getByText('此件在您办理期间已有变化', { exact: false }).first();
      await notice.waitFor({ state: 'visible' });
      expect(await page.getByLabel(/^答复内容/).inputValue()).toBe(REPLY);
      expect(await page.locator('#conflict-notice').textContent()).toContain('（市教育局）已在“承办答复”环节提交');
      // The submit button is at the foot of a long form: the notice is brought into view (and focus), not left above.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('conflict-notice');
      expect(await inView(page, '#conflict-notice')).toBe(true);
      await shots.take(page, 'conflict');
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('a start form posted again after the back button: the notice, and one case', async () => {
      const shots = new Shots(vp);
      const title = `重复提交查看（${vp.name}）`;
      const page = await logIn(vp, 'deputy1');
      await page.goto(`${w.base}/start/suggestion`);
      await page.getByLabel(/^标题/).fill(title);
      await page.getByLabel(/^建议内容/).fill('建议在社区增设便民服务点。');
      await page.getByRole('button', { name: '提交', exact: true }).click();
      await page.waitForURL(/\/instances\//);
      const first = page.url();
      await page.goBack();
      await page.waitForURL(/\/start\/suggestion/);
      await page.getByLabel(/^标题/).fill(title);
      await page.getByLabel(/^建议内容/).fill('建议在社区增设便民服务点。');
      await page.getByRole('button', { name: '提交', exact: true }).click();
      await page.getByText('这份表单已经提交过', { exact: false }).first().waitFor({ state: 'visible' });
      await shots.take(page, 'replay');
      expect(page.url()).toBe(first);
      expect(await withDb(async (db) => Number((await db('instances').where({ title }).count({ n: '*' }))[0]!.n))).toBe(1);
      // Back once more and change the title: nothing is started, the typed text comes back with the notice in view.
      await page.goBack();
      await page.waitForURL(/\/start\/suggestion/);
      const other = `${title}（改）`;
      await page.getByLabel(/^标题/).fill(other);
      expect((await postBy(page, '提交')).status()).toBe(422);
      await page.locator('#conflict-notice').getByText('这份表单已经提交过一次').waitFor({ state: 'visible' });
      expect(await page.getByLabel(/^标题/).inputValue()).toBe(other);
      await expect.poll(() => inView(page, '#conflict-notice')).toBe(true);
      await shots.take(page, 'replay-changed');
      expect(await withDb(async (db) => Number((await db('instances').where({ title: other }).count({ n: '*' }))[0]!.n))).toBe(0);
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('办理测评 as the lead unit sees the case: the anonymity note says what is hidden', async () => {
      const shots = new Shots(vp);
      const instanceId = await assigned(`测评匿名查看（${vp.name}）`, []);
      const lead = await openTask(instanceId, 'handle', 'lead');
      const view = await w.server.engine.task(actors.fgw1!, lead);
      await w.server.engine.complete(actors.fgw1!, lead, { event: view.buttons[0]!.event, version: view.version, input: { reply: '已纳入年度计划。', grade: 'B' } });
      const page = await logIn(vp, 'fgw1');
      await page.goto(`${w.base}/instances/${instanceId}`);
      const note = page.locator('#anonymity-note');
      await note.waitFor({ state: 'visible' });
      expect(await note.textContent()).toContain('办理测评');
      // Said where 匿名 first shows (正在办理, below 发起人), not at the foot of the page.
      expect(await note.evaluate((n) => n.compareDocumentPosition(document.getElementById('open-title')!) & Node.DOCUMENT_POSITION_FOLLOWING)).toBeTruthy();
      await shots.take(page, 'anonymity-instance');
      const number = (await page.locator('.summary-row', { hasText: '编号' }).locator('dd').textContent())!.trim();
      expect(number).toMatch(/^建议 第\d{7}号$/); // workflows/suggestion.yaml's number:
      await page.goto(`${w.base}/instances/${instanceId}/print`);
      // The printed 编号 is the case number the instance page shows, not the internal id.
      expect((await page.locator('.summary-row', { hasText: '编号' }).locator('dd').textContent())!.trim()).toBe(number);
      await shots.take(page, 'anonymity-print');
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('a control character in the title: the field error and the summary linking to it', async () => {
      const shots = new Shots(vp);
      const page = await logIn(vp, 'deputy1');
      await page.goto(`${w.base}/start/suggestion`);
      await page.getByLabel(/^标题/).fill('关于\u0007加装电梯的建议');
      await page.getByLabel(/^建议内容/).fill('内容');
      expect((await postBy(page, '提交')).status()).toBe(422);
      const summary = page.locator('.lz-error-summary');
      await summary.waitFor({ state: 'visible' });
      expect(await summary.textContent()).toContain('控制字符');
      const link = summary.locator('a').first();
      const target = (await link.getAttribute('href'))!;
      expect(await page.locator(target).count()).toBe(1);
      expect(await page.locator('#fw-title .lz-error').textContent()).toContain('控制字符');
      await shots.take(page, 'control-char');
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);

    it('/admin/timers as zhangdian-admin, with one failed timer of the district', async () => {
      const shots = new Shots(vp);
      const instanceId = await assigned(`定时任务查看（${vp.name}）`, []);
      await withDb(async (db) => {
        const t = (await timersOf(db, instanceId)).find((x) => x.kind === 'deadline')!;
        await db('timers').where('id', t.id).update({ status: 'failed', attempts: 3, last_error: 'SQLITE_BUSY: database is locked' });
      });
      const page = await logIn(vp, 'zhangdian-admin');
      await page.goto(`${w.base}/admin/timers`);
      expect(await page.locator('#timers-scope').textContent()).toContain('张店区');
      expect(await page.locator('#failed-timers').textContent()).toContain(`定时任务查看（${vp.name}）`);
      // 环节, 类型 and 到期时间 each on one line (at 1280 px 审查交办 and 办理期限 broke after three characters).
      const lines = await page.locator('#failed-timers tbody td.cell-nowrap').evaluateAll((tds) => tds.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }));
      expect(lines.length).toBeGreaterThanOrEqual(3); // the phone pass also lists the desktop pass's timer
      expect(lines.filter((n) => n !== 1)).toEqual([]);
      await shots.take(page, 'timers');
      expect(shots.serious()).toEqual([]);
      await page.context().close();
    }, 60_000);
  });
}

describe('studio check of a too-costly expression', () => {
  it('the finding shows in the editor error list at its line', async () => {
    const vp = VIEWPORTS[0]!;
    const shots = new Shots(vp);
    const page = await logIn(vp, 'admin');
    await page.goto(`${w.base}/admin/workflows/suggestion`);
    await page.locator('.cm-editor').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#studio-status').textContent(), { timeout: 15_000 }).toContain('检查通过');
    // The admin pastes a version whose 重新办理 guard nests eight `all` (the probe) over the whole text.
    let guard = 'true';
    for (const v of 'abcdefgh') guard = `[0,1,2,3,4,5,6,7,8,9].all(${v}, ${guard})`;
    const text = CITY.replace(`"data.eval_overall == '不满意' && visits.handle < 2"`, `"${guard}"`);
    expect(text).not.toBe(CITY);
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text);
    const findings = page.locator('#studio-findings');
    await expect.poll(() => findings.textContent(), { timeout: 20_000 }).toContain('LVZ_EXPR_TOO_COSTLY');
    expect(await findings.locator('a[data-line]').first().textContent()).toMatch(/^第 \d+ 行第 \d+ 列$/);
    await shots.take(page, 'studio-costly');
    for (const phone of [VIEWPORTS[1]!]) {
      await page.setViewportSize({ width: phone.width, height: phone.height });
      await page.locator('#studio-findings').scrollIntoViewIfNeeded();
      await shots.take(page, 'studio-costly-narrow');
    }
    expect(shots.serious()).toEqual([]);
    await page.context().close();
  }, 90_000);
});

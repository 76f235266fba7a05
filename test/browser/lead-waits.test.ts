// lead-waits.test.ts: the lead unit's reply page (issue 14 item 11) in headless Chromium at a desktop
// and a phone viewport: while one of two co-handlers is still to answer, the page shows the opinion
// already in (unit, person, time, text) above the form and 等待协办单位意见（1/2 已提交） with only
// 保存草稿; once both are in, the 答复意见 box and 提交 button. Screenshots go to
// test-artifacts/browser-lead-waits/ (LVZHI_SHOTS_DIR overrides); axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const w = useServerAndBrowser();

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-lead-waits');
const actor = (u: string) => w.actor(u);

async function complete(user: string, id: string, event: string, input: Record<string, unknown>, opinion?: string) {
  const a = await actor(user);
  const view = await w.server.engine.instance(a, id);
  await w.server.engine.complete(a, view.myTasks[0]!.taskId, { event, input, version: view.version, ...(opinion && { opinion }) });
}

/** 市发改委 leads, 市教育局 has given its opinion, 市卫健委 has not. Returns the case and the lead's task. */
async function leadWaiting(title: string): Promise<{ id: string; taskId: string }> {
  const { instanceId } = await w.server.engine.start(await actor('deputy1'), 'suggestion', {
    event: 'submit', version: 0, input: { title, category: '城乡建设与管理', content: '我市老旧小区多为六层以下住宅，老年居民上下楼困难。建议加大财政补贴力度，简化审批流程。' },
  });
  await complete('review1', instanceId, 'accept', { lead_unit: 'city-fgw', co_units: ['city-jyj', 'city-wjw'], is_complex: '否', is_key: '否' }, '同意交办。');
  await complete('jyj1', instanceId, 'submit', { co_opinion: '同意主办单位意见。我局将配合做好学校周边老旧小区的摸底工作。' });
  return { id: instanceId, taskId: (await w.server.engine.instance(await actor('fgw1'), instanceId)).myTasks[0]!.taskId };
}

describe('the lead unit\'s reply page in the browser (issue 14 item 11)', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: the co-handlers' opinions first, waiting, then the reply`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const { id, taskId } = await leadWaiting(`关于加快老旧小区加装电梯的建议（${vp.name}）`);
      const page = await w.logIn(vp, 'fgw1');
      await page.goto(`${w.base}/tasks/${taskId}`);
      await page.getByText('等待协办单位意见（1/2 已提交）').waitFor({ state: 'visible', timeout: 10_000 });
      const answer = page.locator('.group-answers').getByText('我局将配合做好学校周边老旧小区的摸底工作');
      await answer.waitFor({ state: 'visible' });
      const answerTop = (await answer.boundingBox())!.y;
      expect(answerTop).toBeLessThan((await page.locator('#record-form').boundingBox())!.y);
      expect(await page.getByRole('button', { name: '提交', exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '保存草稿' }).count()).toBe(1);
      checks.push(await checkPage(page, 'lead-waiting', dir));

      await complete('wjw1', id, 'submit', { co_opinion: '建议同步纳入医养结合试点，我委配合。' });
      await page.goto(`${w.base}/tasks/${taskId}`);
      await page.locator('.group-answers').getByText('建议同步纳入医养结合试点').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await page.getByText('等待协办单位意见').count()).toBe(0);
      await page.getByLabel(/^答复意见/).waitFor({ state: 'visible' });
      await page.getByRole('button', { name: '提交', exact: true }).waitFor({ state: 'visible' });
      checks.push(await checkPage(page, 'lead-reply', dir));
      await page.context().close();

      const failures = checks.filter((c) => c.violations.length > 0);
      expect(failures, JSON.stringify(failures, null, 2)).toEqual([]);
    }, 120_000);
  }
});

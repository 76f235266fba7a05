// group-progress.test.ts: a group step's 办理进度 (docs/group-steps.md) in headless Chromium at a desktop
// and a phone viewport: a deputy answers from their task page, the presidium sees the totals and the
// units, opens one unit's members, and closes the step early with a reason. Screenshots go to
// test-artifacts/browser-group-progress/ (LVZHI_SHOTS_DIR overrides); axe finds nothing serious.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';
import { groupProject } from '../engine/constructs/group/project.ts';

const w = useServerAndBrowser({ projectDir: groupProject() });

const SHOTS = process.env.LVZHI_SHOTS_DIR ?? path.join(ARTIFACTS, 'browser-group-progress');
const actor = (u: string) => w.actor(u);

describe('办理进度 of a group step in the browser', () => {
  for (const vp of VIEWPORTS) {
    it(`at ${vp.width} px: a member answers, the presidium reads the progress by unit and closes the step early`, async () => {
      const checks: PageCheck[] = [];
      const dir = path.join(SHOTS, vp.name);
      const { instanceId } = await w.server.engine.start(await actor('presidium1'), 'consult', {
        event: 'submit', version: 0, input: { title: `关于条例草案征求代表意见（${vp.name}）`, content: '请各位代表对条例草案提出意见。' },
      });
      for (const d of ['deputy2', 'deputy4']) {
        const a = await actor(d);
        const t = (await w.server.engine.instance(a, instanceId)).myTasks[0]!.taskId;
        await w.server.engine.complete(a, t, { event: 'agree', input: {}, version: 0 });
      }

      const member = await w.logIn(vp, 'deputy1');
      await member.goto(`${w.base}/instances/${instanceId}`);
      await member.getByRole('link', { name: /办理：征求意见/ }).click();
      await member.getByRole('button', { name: '有意见' }).waitFor({ state: 'visible' });
      checks.push(await checkPage(member, 'member-task', dir));
      await member.getByLabel(/审批意见/).fill('第三条的适用范围建议再明确。');
      await member.getByRole('button', { name: '有意见' }).click();
      await member.waitForURL(new RegExp(`/instances/${instanceId}$`));

      const chair = await w.logIn(vp, 'presidium1');
      await chair.goto(`${w.base}/instances/${instanceId}`);
      const progress = chair.locator('#progress');
      await progress.waitFor({ state: 'visible' });
      expect(await progress.locator('dt:has-text("应答") + dd').innerText()).toBe('14');
      expect(await progress.locator('dt:has-text("已答") + dd').innerText()).toBe('3');
      expect(await progress.locator('dt:has-text("有意见") + dd').innerText()).toBe('1');
      checks.push(await checkPage(chair, 'progress', dir));
      await progress.getByRole('link', { name: '张店区代表团' }).click();
      await chair.getByRole('heading', { name: '张店区代表团的人员' }).waitFor({ state: 'visible' });
      expect(await chair.locator('#progress-members').innerText()).toContain('王建国');
      checks.push(await checkPage(chair, 'progress-unit', dir));
      await progress.screenshot({ path: path.join(dir, 'progress-panel.png') });

      await chair.getByText('提前结束', { exact: true }).first().click();
      await chair.locator('#i-close-reason').fill('会期提前，按已收到的意见汇总。');
      await chair.getByRole('button', { name: '提前结束' }).click();
      await chair.getByText('已提前结束，事项进入下一步骤。').waitFor({ state: 'visible' });
      expect(await chair.locator('body').innerText()).toContain('已答复 3 / 14');
      checks.push(await checkPage(chair, 'closed', dir));

      const width = await chair.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(vp.width);
      expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
    }, 120_000);
  }
});

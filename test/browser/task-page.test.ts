// task-page.test.ts: the start form, a returned task and a handled task in headless Chromium at
// 1280 and 390 px (issue 14 items 6-8): screenshots in test-artifacts/browser/<viewport>/task-page-*,
// axe on each page, and what a reader sees where.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const w = useServerAndBrowser();

const actor = (user: string) => w.actor(user);

async function todoOf(user: string, instanceId: string): Promise<string> {
  const page = await w.server.engine.inbox(await actor(user), 'todo', { page: 1, pageSize: 50 });
  const t = page.items.find((x) => x.instanceId === instanceId);
  if (!t) throw new Error(`${user} has no task on ${instanceId}`);
  return t.taskId;
}

describe.each(VIEWPORTS)('the task page at $name', (vp) => {
  it('start form with its own fields; a returned draft says who, when, why; a handled task is read-only', async () => {
    const dir = path.join(ARTIFACTS, 'browser', vp.name);
    const checks: PageCheck[] = [];
    const deputy = await w.logIn(vp, 'deputy1');
    await deputy.goto(`${w.base}/start/suggestion`);
    await expect.poll(() => deputy.locator('.lz-readonly').count()).toBe(0);
    expect(await deputy.locator('#record-form .lz-field').count()).toBe(4);
    checks.push(await checkPage(deputy, 'task-page-1-start', dir));
    await deputy.getByLabel('标题').fill(`关于完善社区停车管理的建议（${vp.name}）`);
    await deputy.getByLabel('类别').selectOption('城乡建设与管理');
    await deputy.getByLabel('建议内容').fill('建议在老旧小区周边设置夜间限时停车位。');
    await deputy.getByRole('button', { name: '提交' }).click();
    await deputy.waitForURL(/\/instances\//);
    const instanceId = decodeURIComponent(deputy.url().split('/').pop()!);

    // The review office sends it back, through its page's 退回 panel.
    const review = await w.logIn(vp, 'review1');
    const reviewTask = await todoOf('review1', instanceId);
    await review.goto(`${w.base}/tasks/${reviewTask}`);
    await review.locator('#action-return summary').click();
    await review.locator('#a-return-reason').fill('请补充涉及的小区名称和停车位数量');
    await review.locator('#action-return button[type=submit]').click();
    await review.waitForURL(/\/inbox/);

    await deputy.goto(`${w.base}/tasks/${await todoOf('deputy1', instanceId)}`);
    const notice = deputy.locator('#returned');
    await expect.poll(() => notice.textContent()).toContain('从“审查交办”退回');
    expect(await notice.textContent()).toContain('退回理由：请补充涉及的小区名称和停车位数量');
    // First thing under the heading's summary: above the form.
    const [noticeBox, formBox] = await Promise.all([notice.boundingBox(), deputy.locator('#record-form').boundingBox()]);
    expect(noticeBox!.y).toBeLessThan(formBox!.y);
    expect(noticeBox!.width).toBeLessThanOrEqual(vp.width);
    checks.push(await checkPage(deputy, 'task-page-2-returned', dir));

    // Back on the page of the task they sent back: read-only, with how it was handled.
    await review.goto(`${w.base}/tasks/${reviewTask}`);
    await expect.poll(() => review.locator('#handled').textContent()).toContain('您已于');
    expect(await review.locator('#handled').textContent()).toContain('办理结果：退回 → 起草建议');
    expect(await review.locator('#record-form').count()).toBe(0);
    expect(await review.locator('main').textContent()).not.toContain('剩余');
    expect(await review.locator('textarea, button:has-text("保存草稿")').count()).toBe(0);
    checks.push(await checkPage(review, 'task-page-3-handled', dir));

    await deputy.context().close();
    await review.context().close();
    expect(checks.flatMap((c) => c.violations.map((v) => `${c.name}: ${v.id} ${v.help} ${v.nodes.join(', ')}`))).toEqual([]);
  }, 180_000);
});

// bill.test.ts: the 代表议案 flow: ten co-signers each through his own task, too few sends it
// back to the draft, and a presidium rejection spawns a linked suggestion.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

const deputies = (n: number): string[] => Array.from({ length: n }, (_, i) => `deputy${i + 2}`);

async function startBill(cosigners: string[]): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'bill', {
    event: 'submit', version: 0, input: { title: '关于制定养老服务条例的议案', content: '案据和方案……', cosigners },
  });
  return instanceId;
}

async function cosignAll(instanceId: string, users: string[]): Promise<void> {
  for (const u of users) {
    const taskId = await taskOf(h, u, instanceId);
    await h.engine.complete(await h.as(u), taskId, { event: 'agree', input: {}, version: await versionOf(h, u, instanceId) });
  }
}

describe('bill flow', () => {
  it('goes to the presidium with ten co-signers; a rejection becomes a linked suggestion', async () => {
    const id = await startBill(deputies(10));
    const deputy1 = await h.as('deputy1');
    expect((await h.engine.instance(deputy1, id)).openTasks).toHaveLength(10);
    // A co-signer cannot act on another co-signer's task.
    const t2 = await taskOf(h, 'deputy2', id);
    expect(await codeOf(h.engine.complete(await h.as('deputy3'), t2, { event: 'agree', input: {}, version: await versionOf(h, 'deputy3', id) }))).toBe('LVZ_RUN_TASK_NOT_YOURS');
    await cosignAll(id, deputies(10));
    expect((await h.engine.instance(deputy1, id)).summary.state).toBe('presidium');

    const p = await h.as('presidium1');
    const pt = await taskOf(h, 'presidium1', id);
    expect(await codeOf(h.engine.complete(p, pt, { event: 'reject', input: {}, version: await versionOf(h, 'presidium1', id) }))).toBe('LVZ_RUN_REASON_REQUIRED');
    await h.engine.complete(p, pt, { event: 'reject', input: {}, reason: '不属于本级人大职权范围', version: await versionOf(h, 'presidium1', id) });
    const view = await h.engine.instance(deputy1, id);
    expect(view.summary.state).toBe('not_accepted');
    expect(view.summary.status).toBe('completed');
    expect(view.linked).toHaveLength(1);
    const child = await h.engine.instance(deputy1, view.linked[0]!.instanceId);
    expect(child.summary.workflowId).toBe('suggestion');
    expect(child.summary.title).toBe('关于制定养老服务条例的议案');
    expect(child.linked[0]!.instanceId).toBe(id);
    expect(view.history.find((e) => e.reason)?.reason).toBe('不属于本级人大职权范围');
  });

  it('goes back to the draft with fewer than ten co-signers', async () => {
    const id = await startBill(deputies(9));
    await cosignAll(id, deputies(9));
    const view = await h.engine.instance(await h.as('deputy1'), id);
    expect(view.summary.state).toBe('draft');
    expect(view.history.some((e) => e.summary.includes('附议代表不足十人'))).toBe(true);
    expect(view.myTasks).toHaveLength(1);
  });
});

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

  it('goes back to the draft when fewer than ten agree', async () => {
    const id = await startBill(deputies(10));
    await cosignAll(id, deputies(9));
    const t = await taskOf(h, 'deputy11', id);
    await h.engine.complete(await h.as('deputy11'), t, { event: 'decline', input: {}, version: await versionOf(h, 'deputy11', id) });
    const view = await h.engine.instance(await h.as('deputy1'), id);
    expect(view.summary.state).toBe('draft');
    expect(view.history.some((e) => e.summary.includes('附议代表不足十人'))).toBe(true);
    expect(view.myTasks).toHaveLength(1);
    // The draft says at its top why it came back.
    const back = await h.engine.task(await h.as('deputy1'), view.myTasks[0]!.taskId);
    expect(back.cameBack?.note).toMatch(/^附议代表不足十人：.*请补充或更换附议代表后重新提交$/);
  });
});

/** The LvzError a promise fails with (or undefined). */
async function failure(p: Promise<unknown>): Promise<{ code?: string; message?: string; params?: Record<string, unknown> } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as { code?: string; message?: string; params?: Record<string, unknown> };
  }
}

const fieldErrorsOf = (e: Awaited<ReturnType<typeof failure>>): { name: string; message: string }[] =>
  ((e?.params?.errors ?? []) as { name: string; message: string }[]).map(({ name, message }) => ({ name, message }));

async function toPresidium(): Promise<{ id: string; task: string }> {
  const id = await startBill(deputies(10));
  await cosignAll(id, deputies(10));
  return { id, task: await taskOf(h, 'presidium1', id) };
}

describe('bill rules (issue 14)', () => {
  it('refuses a start with fewer than ten co-signers besides the proposer, before anything is sent', async () => {
    const deputy1 = await h.as('deputy1');
    const before = (await h.engine.inbox(deputy1, 'started', { page: 1, pageSize: 100 })).total;
    const start = (cosigners: string[]) => failure(h.engine.start(deputy1, 'bill', {
      event: 'submit', version: 0, input: { title: '关于制定物业管理条例的议案', content: '案据', cosigners },
    }));
    // Three co-signers, one of them the proposer himself: refused, on the co-signer field.
    let e = await start(['deputy1', 'deputy2', 'deputy3']);
    expect(e?.code).toBe('LVZ_FORM_INVALID');
    expect(fieldErrorsOf(e)).toEqual([{ name: 'cosigners', message: expect.stringContaining('不能包括您本人') }]);
    // Ten names with the proposer among them are nine co-signers: still refused.
    e = await start(['deputy1', ...deputies(9)]);
    expect(fieldErrorsOf(e)).toEqual([{ name: 'cosigners', message: expect.stringContaining('不能包括您本人') }]);
    // Nine: too few.
    e = await start(deputies(9));
    expect(fieldErrorsOf(e)).toEqual([{ name: 'cosigners', message: expect.stringContaining('十名以上') }]);
    // The same deputy twice counts once: the picker refuses it.
    e = await start([...deputies(9), 'deputy2']);
    expect(fieldErrorsOf(e)[0]?.name).toBe('cosigners');
    // Nothing was started, and what was typed comes back in the re-render model.
    expect((await h.engine.inbox(deputy1, 'started', { page: 1, pageSize: 100 })).total).toBe(before);
    const form = e?.params?.form as { fields: { name: string; value?: unknown }[] };
    expect(form.fields.find((f) => f.name === 'title')?.value).toBe('关于制定物业管理条例的议案');
  });

  it('records the presidium decision by the button pressed, never by a radio that could contradict it', async () => {
    const { id, task } = await toPresidium();
    const p = await h.as('presidium1');
    // A forged 不予列入 sent with 立案审议 is not read: the step does not edit the decision.
    await h.engine.complete(p, task, {
      event: 'accept', input: { presidium_decision: '不予列入（作为建议处理）', committee: 'city-jkww' }, version: await versionOf(h, 'presidium1', id),
    });
    const view = await h.engine.instance(await h.as('deputy1'), id);
    expect(view.summary.state).toBe('committee_review');
    expect(view.form.fields.find((f) => f.name === 'presidium_decision')?.display).toBe('交专门委员会审议');
  });

  it('does not accept an empty committee review', async () => {
    const { id, task } = await toPresidium();
    await h.engine.complete(await h.as('presidium1'), task, { event: 'accept', input: { committee: 'city-jkww' }, version: await versionOf(h, 'presidium1', id) });
    const c = await h.as('jkww1');
    const ct = await taskOf(h, 'jkww1', id);
    const e = await failure(h.engine.complete(c, ct, { event: 'submit', input: {}, version: await versionOf(h, 'jkww1', id) }));
    expect(e?.code).toBe('LVZ_FORM_INVALID');
    expect(fieldErrorsOf(e)).toEqual([
      { name: 'review_report', message: '请输入审议结果报告' },
      { name: 'review_result', message: '请选择审议结论' },
    ]);
    expect((await h.engine.instance(c, id)).summary.state).toBe('committee_review');
  });

  it('turns an assignment with no committee chosen into an error on that field, keeping what was typed', async () => {
    const { id, task } = await toPresidium();
    const p = await h.as('presidium1');
    const e = await failure(h.engine.complete(p, task, {
      event: 'accept', input: { presidium_note: '建议先交教科文卫委审议' }, opinion: '同意', version: await versionOf(h, 'presidium1', id),
    }));
    expect(e?.code).toBe('LVZ_FORM_INVALID');
    expect(fieldErrorsOf(e)).toEqual([{ name: 'committee', message: '请选择审议委员会' }]);
    expect(JSON.stringify(e)).not.toContain('data.committee');
    const form = e?.params?.form as { fields: { name: string; value?: unknown; error?: string }[] };
    expect(form.fields.find((f) => f.name === 'presidium_note')?.value).toBe('建议先交教科文卫委审议');
    expect(form.fields.find((f) => f.name === 'committee')?.error).toBe('请选择审议委员会');
    // Nothing moved.
    expect((await h.engine.instance(p, id)).summary.state).toBe('presidium');
  });
});

// task-view.test.ts: the task view's facts (issue 14 items 6-8): a step's form carries the fields it
// edits and, read-only, those it lists to read or that hold a value; a task made by 退回 carries
// who sent it back, when and why (on the view and the 待办 row); a done task carries how it was handled.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
let instanceId = '';
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

const editable = (fields: { name: string; readonly: boolean }[]) => fields.filter((f) => !f.readonly).map((f) => f.name);
const readable = (fields: { name: string; readonly: boolean }[]) => fields.filter((f) => f.readonly).map((f) => f.name);

async function returnTo(user: string, to: string, reason: string): Promise<string> {
  const taskId = await taskOf(h, user, instanceId);
  await h.engine.taskAction(await h.as(user), taskId, { action: 'return', to, reason, version: await versionOf(h, user, instanceId) });
  return taskId;
}

describe('the fields a step shows', () => {
  it("the suggestion's start form: the draft's four fields, none of the 13 later ones", async () => {
    const { form } = await h.engine.startForm(await h.as('deputy1'), 'suggestion');
    expect(editable(form.fields)).toEqual(['title', 'category', 'content', 'attachments']);
    expect(readable(form.fields)).toEqual([]);
  });

  it('a step with read: shows what it lists, even empty; a step without shows the readable fields that hold a value', async () => {
    const deputy = await h.as('deputy1');
    ({ instanceId } = await h.engine.start(deputy, 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于规范共享单车停放的建议', category: '城乡建设与管理', content: '建议划定停放区域。' },
    }));
    const review = await h.engine.task(await h.as('review1'), await taskOf(h, 'review1', instanceId));
    expect(readable(review.form.fields)).toEqual(['title', 'category', 'content', 'attachments']);
    expect(review.form.fields.find((f) => f.name === 'attachments')?.display).toBe('未填写');
    expect(review.isOpen).toBe(true);
    expect(review.handled).toBeUndefined();
    expect(review.returned).toBeUndefined();
  });
});

describe('a task made by 退回', () => {
  it('carries who sent it back, from where, when and why, on the task view and the 待办 row', async () => {
    const reviewTask = await returnTo('review1', 'draft', '请补充具体路段');
    const reviewer = await h.as('review1');
    const deputy = await h.as('deputy1');
    const draftTask = await taskOf(h, 'deputy1', instanceId);
    const view = await h.engine.task(deputy, draftTask);
    expect(view.returned).toEqual({ byName: reviewer.name, byOrg: expect.any(String), at: '2026-03-02T01:00:00.000Z', reason: '请补充具体路段', fromStep: '审查交办' });
    expect(view.cameBack).toBeUndefined();
    expect(readable(view.form.fields)).toEqual([]);
    const row = (await h.engine.inbox(deputy, 'todo', { page: 1, pageSize: 20 })).items.find((t) => t.taskId === draftTask);
    expect(row?.returned).toEqual(view.returned);

    // The reviewer's own task is done: read-only, how it was handled, no opinion box.
    const done = await h.engine.task(reviewer, reviewTask);
    expect(done.isOpen).toBe(false);
    expect(done.buttons).toEqual([]);
    expect(done.opinion).toBe('none');
    expect(editable(done.form.fields)).toEqual([]);
    // What it lists to read; what it would have assigned is empty (it sent the draft back), so not shown.
    expect(readable(done.form.fields)).toEqual(['title', 'category', 'content', 'attachments']);
    expect(done.handled).toEqual({ byName: reviewer.name, isMine: true, at: '2026-03-02T01:00:00.000Z', result: '退回 → 起草建议（理由：请补充具体路段）' });
    expect(done.returned).toBeUndefined();
  });

  it('a resubmitted draft is no longer marked; a later 退回 shows the assigned unit (it holds a value) and not the empty reply', async () => {
    h.clock.now = new Date('2026-03-03T02:30:00Z');
    const deputy = await h.as('deputy1');
    await h.engine.complete(deputy, await taskOf(h, 'deputy1', instanceId), { event: 'submit', input: { title: '关于规范共享单车停放的建议', category: '城乡建设与管理', content: '建议在地铁口划定停放区域。' }, version: await versionOf(h, 'deputy1', instanceId) });
    expect((await h.engine.inbox(deputy, 'todo', { page: 1, pageSize: 20 })).items.filter((t) => t.instanceId === instanceId)).toEqual([]);
    const reviewer = await h.as('review1');
    const accepting = await taskOf(h, 'review1', instanceId);
    await h.engine.complete(reviewer, accepting, {
      event: 'accept', opinion: '同意交办', version: await versionOf(h, 'review1', instanceId),
      input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
    });
    const handled = (await h.engine.task(reviewer, accepting)).handled;
    expect(handled).toEqual({ byName: reviewer.name, isMine: true, at: '2026-03-03T02:30:00.000Z', result: '交办 → 承办答复', opinion: '同意交办' });

    h.clock.now = new Date('2026-03-04T03:00:00Z');
    await returnTo('fgw1', 'draft', '不属于本单位职责');
    const view = await h.engine.task(deputy, await taskOf(h, 'deputy1', instanceId));
    expect(view.returned).toMatchObject({ byName: (await h.as('fgw1')).name, at: '2026-03-04T03:00:00.000Z', reason: '不属于本单位职责', fromStep: '承办答复' });
    expect(readable(view.form.fields)).toEqual(expect.arrayContaining(['lead_unit', 'co_units']));
    expect(readable(view.form.fields)).not.toContain('reply');
    expect(readable(view.form.fields)).not.toContain('eval_overall');
    expect(view.form.fields.some((f) => f.readonly && f.display === '未填写')).toBe(false);
  });
});

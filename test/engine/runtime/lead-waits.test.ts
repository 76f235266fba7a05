// lead-waits.test.ts: issue 14 item 11 through the engine. The lead unit waits for its co-handlers
// (wait_for: cohandle) and reads their opinions first; past their deadline it may reply; 催办 is
// never one's own task; a step names its opinion box; a co-sign task has no 保存草稿.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

async function submit(user: string, instanceId: string, event: string, input: Record<string, unknown>, extra: { opinion?: string } = {}) {
  const taskId = await taskOf(h, user, instanceId);
  return h.engine.complete(await h.as(user), taskId, { event, input, version: await versionOf(h, user, instanceId), ...extra });
}

/** A suggestion at 承办答复 with 市发改委 leading and 市教育局, 市卫健委 co-handling. */
async function atHandle(title: string): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', {
    event: 'submit', version: 0, input: { title, category: '社会保障', content: '建议增设社区养老服务站。' },
  });
  await submit('review1', instanceId, 'accept', { lead_unit: 'city-fgw', co_units: ['city-jyj', 'city-wjw'], is_complex: '否', is_key: '否' }, { opinion: '同意交办' });
  return instanceId;
}

const REPLY = { reply: '已列入年度计划。', grade: 'B' };

describe('the lead unit waits for its co-handlers (wait_for)', () => {
  it('offers no button and refuses the reply until every co-handler has submitted; shows their opinions', async () => {
    const id = await atHandle('关于增设社区养老服务站的建议');
    const fgw = await h.as('fgw1');
    const lead = await taskOf(h, 'fgw1', id);
    let view = await h.engine.task(fgw, lead);
    expect(view.waiting).toMatchObject({ title: '协办单位意见', done: 0, total: 2 });
    expect(view.waiting?.until).toBeTruthy();
    expect(view.buttons).toEqual([]);
    expect(view.isDraftable).toBe(true);
    expect(view.opinionLabel).toBe('答复意见');

    // The engine refuses, whatever the page offers; nothing is written.
    const before = await versionOf(h, 'fgw1', id);
    expect(await codeOf(h.engine.complete(fgw, lead, { event: 'submit', input: REPLY, version: before }))).toBe('LVZ_RUN_WAITING');
    expect(await versionOf(h, 'fgw1', id)).toBe(before);
    expect((await h.engine.instance(fgw, id)).summary.state).toBe('handle');
    // The reply can be kept as a draft meanwhile.
    await h.engine.saveDraft(fgw, lead, { reply: '草拟的答复' }, '拟同意');
    expect((await h.engine.task(fgw, lead)).draftOpinion).toBe('拟同意');

    await submit('jyj1', id, 'submit', { co_opinion: '同意主办单位意见，配合做好场地保障。' });
    view = await h.engine.task(fgw, lead);
    expect(view.waiting).toMatchObject({ done: 1, total: 2 });
    expect(view.buttons).toEqual([]);
    expect(await codeOf(h.engine.complete(fgw, lead, { event: 'submit', input: REPLY, version: await versionOf(h, 'fgw1', id) }))).toBe('LVZ_RUN_WAITING');
    // What is in already shows: unit, person, when, text.
    const answers = view.groups.find((g) => g.group === 'cohandle')!.answers;
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ name: '市教育局', byName: '陈静' });
    expect(answers[0]!.at).toBeTruthy();
    expect(answers[0]!.fields.map((f) => f.value)).toContain('同意主办单位意见，配合做好场地保障。');

    await submit('wjw1', id, 'submit', { co_opinion: '建议同步纳入医养结合试点。' });
    view = await h.engine.task(fgw, lead);
    expect(view.waiting).toBeUndefined();
    expect(view.buttons.map((b) => b.event)).toEqual(['submit']);
    expect(view.groups.find((g) => g.group === 'cohandle')!.answers.map((a) => a.name).sort()).toEqual(['市卫生健康委员会', '市教育局'].sort());
    await submit('fgw1', id, 'submit', REPLY, { opinion: '同意答复' });
    expect((await h.engine.instance(fgw, id)).summary.state).toBe('evaluate');
  });

  it('past the co-handlers\' deadline the lead may reply; the step moves on once the late one answers', async () => {
    const id = await atHandle('关于完善公交线网的建议');
    const fgw = await h.as('fgw1');
    const lead = await taskOf(h, 'fgw1', id);
    const until = (await h.engine.task(fgw, lead)).waiting!.until!;
    await submit('jyj1', id, 'submit', { co_opinion: '同意。' });
    h.clock.now = new Date(new Date(until).getTime() + 60_000);
    const view = await h.engine.task(fgw, lead);
    expect(view.waiting).toBeUndefined();
    expect(view.buttons.map((b) => b.event)).toEqual(['submit']);
    await submit('fgw1', id, 'submit', REPLY);
    // 市卫健委 has not answered: the step waits for every group, as before; its task is overdue.
    expect((await h.engine.instance(fgw, id)).summary.state).toBe('handle');
    await submit('wjw1', id, 'submit', { co_opinion: '逾期补充：同意。' });
    expect((await h.engine.instance(fgw, id)).summary.state).toBe('evaluate');
  });
});

describe('催办 is for someone else\'s task', () => {
  it('is not offered on the holder\'s own task page and the engine refuses it there', async () => {
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于催办的建议', category: '其他', content: '内容。' },
    });
    const review = await h.as('review1');
    const task = await taskOf(h, 'review1', instanceId);
    const view = await h.engine.task(review, task);
    expect(view.actions).not.toContain('remind');
    expect(view.actions).toContain('return'); // the step's other actions stay
    expect(await codeOf(h.engine.taskAction(review, task, { action: 'remind' }))).toBe('LVZ_RUN_REMIND_OWN');
    // Someone who may see the case but does not hold the task may remind its holder.
    const deputy = await h.as('deputy1');
    expect((await h.engine.instance(deputy, instanceId)).can.remind).toBe(true);
    expect(await codeOf(h.engine.remindInstance(deputy, instanceId, '请尽快交办'))).toBe('ok');
    expect((await h.engine.instance(review, instanceId)).can.remind).toBe(false);
    expect(await codeOf(h.engine.remindInstance(review, instanceId))).toBe('LVZ_RUN_REMIND_OWN');
  });

  it('the lead unit may remind its co-handlers from the case, not itself', async () => {
    const id = await atHandle('关于主办催协办的建议');
    const fgw = await h.as('fgw1');
    expect((await h.engine.instance(fgw, id)).can.remind).toBe(true);
    const lead = await taskOf(h, 'fgw1', id);
    expect(await codeOf(h.engine.taskAction(fgw, lead, { action: 'remind' }))).toBe('LVZ_RUN_REMIND_OWN');
  });
});

describe('opinion boxes and drafts', () => {
  it('a step names its opinion box, in the page model and in the engine\'s message', async () => {
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于意见框的建议', category: '其他', content: '内容。' },
    });
    const review = await h.as('review1');
    const task = await taskOf(h, 'review1', instanceId);
    expect((await h.engine.task(review, task)).opinionLabel).toBe('交办意见');
    const e = await h.engine.complete(review, task, {
      event: 'accept', version: await versionOf(h, 'review1', instanceId), input: { lead_unit: 'city-fgw', co_units: [], is_complex: '否', is_key: '否' },
    }).catch((x: unknown) => x as { code: string; message: string });
    expect(e).toMatchObject({ code: 'LVZ_RUN_OPINION_REQUIRED' });
    expect((e as { message: string }).message).toContain('交办意见');
    // The deputy's draft step has no opinion box and no name for one.
    expect((await h.engine.task(await h.as('deputy1'), (await h.engine.start(await h.as('deputy1'), 'suggestion', {
      event: 'submit', version: 0, draft: true, input: { title: '草稿', content: '内容' },
    })).taskId!)).opinionLabel).toBeUndefined();
  });

  it('a co-sign task (附议) edits no field: no 保存草稿, and the engine refuses one', async () => {
    const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'bill', {
      event: 'submit', version: 0, input: { title: '关于制定物业管理条例的议案', content: '案据：……', cosigners },
    });
    const d2 = await h.as('deputy2');
    const task = await taskOf(h, 'deputy2', instanceId);
    const view = await h.engine.task(d2, task);
    expect(view.buttons.map((b) => b.label)).toEqual(['同意附议', '不同意']);
    expect(view.isDraftable).toBe(false);
    expect(await codeOf(h.engine.saveDraft(d2, task, {}))).toBe('LVZ_RUN_EVENT_NOT_ALLOWED');
  });
});

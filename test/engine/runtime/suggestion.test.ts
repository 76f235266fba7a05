// suggestion.test.ts: the whole 代表建议 flow through the engine, as five different users.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

async function submit(user: string, instanceId: string, event: string, input: Record<string, unknown>, extra: { opinion?: string } = {}) {
  const taskId = await taskOf(h, user, instanceId);
  return h.engine.complete(await h.as(user), taskId, { event, input, version: await versionOf(h, user, instanceId), ...extra });
}

describe('suggestion flow', () => {
  it('runs from submit to closed, with a re-handling after 不满意', async () => {
    const deputy = await h.as('deputy1');
    const { instanceId } = await h.engine.start(deputy, 'suggestion', {
      event: 'submit', version: 0,
      input: { title: '关于增设社区养老服务站的建议', category: '社会保障', content: '建议在老旧小区增设养老服务站。' },
    });
    let view = await h.engine.instance(deputy, instanceId);
    expect(view.summary.state).toBe('review');
    expect(view.summary.status).toBe('active');

    // Review office: opinion required, then assign lead + co unit.
    const reviewTask = await taskOf(h, 'review1', instanceId);
    expect(await codeOf(h.engine.complete(await h.as('review1'), reviewTask, {
      event: 'accept', version: await versionOf(h, 'review1', instanceId), input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
    }))).toBe('LVZ_RUN_OPINION_REQUIRED');
    await submit('review1', instanceId, 'accept', { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' }, { opinion: '同意交办' });
    view = await h.engine.instance(deputy, instanceId);
    expect(view.summary.state).toBe('handle');
    expect(view.openTasks).toHaveLength(2);

    // Each unit sees only its own task.
    const fgwTodo = await h.engine.inbox(await h.as('fgw1'), 'todo', { page: 1, pageSize: 20 });
    const jyjTodo = await h.engine.inbox(await h.as('jyj1'), 'todo', { page: 1, pageSize: 20 });
    expect(fgwTodo.items.map((t) => t.stepTitle)).toEqual(['主办单位答复']);
    expect(jyjTodo.items.map((t) => t.stepTitle)).toEqual(['协办单位意见']);
    expect(await codeOf(h.engine.task(await h.as('jyj1'), fgwTodo.items[0]!.taskId))).toBe('LVZ_RUN_TASK_NOT_YOURS');
    expect(await codeOf(h.engine.task(await h.as('cgj1'), fgwTodo.items[0]!.taskId))).toBe('LVZ_RUN_NOT_FOUND');
    expect(await codeOf(h.engine.instance(await h.as('cgj1'), instanceId))).toBe('LVZ_RUN_NOT_FOUND');

    await submit('jyj1', instanceId, 'submit', { co_opinion: '同意主办单位意见，配合做好场地保障。' });
    expect((await h.engine.instance(deputy, instanceId)).summary.state).toBe('handle');
    await submit('fgw1', instanceId, 'submit', { reply: '已列入年度计划。', grade: 'B' });
    view = await h.engine.instance(deputy, instanceId);
    expect(view.summary.state).toBe('evaluate');

    // 不满意 → 重新办理 → second evaluation 满意 → closed.
    await submit('deputy1', instanceId, 'submit', { eval_attitude: '较好', eval_method: '较好', eval_effect: '差', eval_overall: '不满意', eval_comment: '进度太慢' });
    view = await h.engine.instance(deputy, instanceId);
    expect(view.summary.state).toBe('handle');
    expect(view.history.some((e) => e.summary.includes('重新办理'))).toBe(true);
    await submit('jyj1', instanceId, 'submit', { co_opinion: '继续配合。' });
    await submit('fgw1', instanceId, 'submit', { reply: '已建成两处服务站。', grade: 'A' });
    await submit('deputy1', instanceId, 'submit', { eval_attitude: '好', eval_method: '好', eval_effect: '好', eval_overall: '满意' });
    view = await h.engine.instance(deputy, instanceId);
    expect(view.summary.state).toBe('closed');
    expect(view.summary.status).toBe('completed');
    expect(view.diagram.steps.find((s) => s.isCurrent)?.name).toBe('closed');

    // Back-to-back: the unit sees the evaluation as 匿名, the deputy sees his own name.
    const unitView = await h.engine.instance(await h.as('fgw1'), instanceId);
    const evals = unitView.history.filter((e) => e.stepTitle === '办理测评');
    expect(evals.length).toBe(2);
    expect(evals.every((e) => e.actorName === '匿名')).toBe(true);
    expect(view.history.filter((e) => e.stepTitle === '办理测评').every((e) => e.actorName !== '匿名')).toBe(true);
    // The co-handler's opinion is in the history the lead reads.
    expect(unitView.history.some((e) => e.changes?.some((c) => c.value.includes('同意主办单位意见')))).toBe(true);

    const done = await h.engine.inbox(await h.as('fgw1'), 'done', { page: 1, pageSize: 20 });
    expect(done.total).toBe(2);
    const started = await h.engine.inbox(deputy, 'started', { page: 1, pageSize: 20 });
    expect(started.items.map((i) => i.instanceId)).toContain(instanceId);
  });
});

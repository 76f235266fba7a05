// timers.test.ts: durable timers survive a restart and fire once; deadlines mark tasks overdue
// and escalate; working-day deadlines come from the calendar.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, taskOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

describe('timers', () => {
  it('fire after a restart, exactly once, even with two callers', async () => {
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '计时测试', content: '内容' },
    });
    const review = await h.as('review1');
    const task = await h.engine.task(review, await taskOf(h, 'review1', instanceId));
    // Review: 7 working days from Monday 2026-03-02 → Wednesday 2026-03-11 (Shanghai); reminder 2 working days before.
    expect(task.dueAt?.slice(0, 10)).toBe('2026-03-11');
    expect(task.workingDaysLeft).toBe(7);
    expect(await h.engine.fireDueTimers()).toBe(0);

    await h.reopen();
    h.clock.now = new Date('2026-03-20T01:00:00Z');
    const fired = await Promise.all([h.engine.fireDueTimers(), h.engine.fireDueTimers()]);
    expect(fired[0]! + fired[1]!).toBe(2); // one reminder, one deadline
    expect(await h.engine.fireDueTimers()).toBe(0);

    const view = await h.engine.instance(review, instanceId);
    expect(view.history.filter((e) => e.type === 'timer.remind')).toHaveLength(1);
    expect(view.history.filter((e) => e.type === 'timer.deadline')).toHaveLength(1);
    expect(view.history.find((e) => e.type === 'timer.remind')?.actorName).toBe('系统');
    expect(view.openTasks[0]?.isOverdue).toBe(true);
    const todo = await h.engine.inbox(review, 'todo', { page: 1, pageSize: 50 });
    const row = todo.items.find((t) => t.instanceId === instanceId)!;
    expect(row.isOverdue).toBe(true);
    expect(row.workingDaysLeft).toBeLessThan(0);
  });

  it('a deadline with escalate sends its event (bill co-signing times out)', async () => {
    h.clock.now = new Date('2026-04-01T01:00:00Z');
    const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'bill', {
      event: 'submit', version: 0, input: { title: '超时议案', content: '内容', cosigners },
    });
    h.clock.now = new Date('2026-05-20T01:00:00Z');
    await h.engine.fireDueTimers();
    const view = await h.engine.instance(await h.as('deputy1'), instanceId);
    expect(view.summary.state).toBe('draft');
    expect(view.history.some((e) => e.summary.includes('附议代表不足十人'))).toBe(true);
  });
});

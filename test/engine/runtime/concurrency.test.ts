// concurrency.test.ts: twenty completions of one task at once, on one engine and on two engines
// sharing one database (a SQLite file, or PostgreSQL with a pool of several connections each):
// exactly one wins, the rest get a clear conflict, one event is logged.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../engine/index.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
let second: Engine;
beforeAll(async () => {
  h = await openHarness();
  second = await createEngine({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }), now: () => h.clock.now });
});
afterAll(async () => { await second.close(); await h.close(); });

async function reviewTask(): Promise<{ instanceId: string; taskId: string; version: number }> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', {
    event: 'submit', version: 0, input: { title: '并发测试', content: '内容' },
  });
  return { instanceId, taskId: await taskOf(h, 'review1', instanceId), version: await versionOf(h, 'review1', instanceId) };
}

const accept = { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' };

async function race(engines: Engine[]): Promise<void> {
  const { instanceId, taskId, version } = await reviewTask();
  const review = await h.as('review1');
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    codeOf(engines[i % engines.length]!.complete(review, taskId, { event: 'accept', input: accept, opinion: `第${i}次`, version }))));
  expect(results.filter((r) => r === 'ok')).toHaveLength(1);
  expect(results.filter((r) => r !== 'ok').every((r) => r === 'LVZ_RUN_CONFLICT' || r === 'LVZ_RUN_TASK_CLOSED')).toBe(true);
  const view = await h.engine.instance(review, instanceId);
  expect(view.history.filter((e) => e.type === 'task.completed' && e.stepTitle === '审查交办')).toHaveLength(1);
  expect(view.summary.state).toBe('handle');
  expect(view.openTasks).toHaveLength(1);
}

describe('concurrent completions of one task', () => {
  it('one engine: exactly one wins', async () => { await race([h.engine]); });
  it('two engines on one database: exactly one wins', async () => { await race([h.engine, second]); });

  it('ten reminders at once on two engines are all logged, each with its own count', async () => {
    const { instanceId } = await reviewTask();
    const deputy = await h.as('deputy1');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf([h.engine, second][i % 2]!.remindInstance(deputy, instanceId, `催办${i}`))));
    expect(results.every((r) => r === 'ok')).toBe(true);
    const view = await h.engine.instance(deputy, instanceId);
    expect(view.history.filter((e) => e.type === 'task.reminded')).toHaveLength(10);
    expect(new Set(view.history.map((e) => e.seq)).size).toBe(view.history.length);
  });

  it('a stale version is a conflict and writes nothing', async () => {
    const { instanceId, taskId, version } = await reviewTask();
    const review = await h.as('review1');
    const before = await h.engine.instance(review, instanceId);
    expect(await codeOf(h.engine.complete(review, taskId, { event: 'accept', input: accept, opinion: '同意', version: version - 1 }))).toBe('LVZ_RUN_CONFLICT');
    const after = await h.engine.instance(review, instanceId);
    expect(after.version).toBe(before.version);
    expect(after.history).toHaveLength(before.history.length);
  });

  it('invalid form data writes nothing and carries the errors and the re-render model', async () => {
    const { instanceId, taskId, version } = await reviewTask();
    const review = await h.as('review1');
    let err: { code?: string; params?: { errors?: { name: string }[]; form?: { fields: { name: string; value: unknown }[] } } } = {};
    try {
      await h.engine.complete(review, taskId, { event: 'accept', input: { lead_unit: 'no-such-unit', is_complex: '也许' }, opinion: '同意', version });
    } catch (e) { err = e as typeof err; }
    expect(err.code).toBe('LVZ_FORM_INVALID');
    expect(err.params?.errors?.length).toBeGreaterThan(0);
    expect(err.params?.form?.fields.find((f) => f.name === 'is_complex')).toBeDefined();
    const view = await h.engine.instance(review, instanceId);
    expect(view.version).toBe(version);
    expect(view.summary.state).toBe('review');
    expect((await h.engine.task(review, taskId)).version).toBe(version);
  });
});

// spawn.test.ts: sub-processes that report back (issue 15 part 6, docs/spawn.md): one child per
// item of a list, the parent waiting for all or any of them, results copied back, children that are
// withdrawn or ended by an administrator, a parent moved away, an empty list, and a report that
// survives the process ending between the child's end and the parent's report.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startScheduler } from '../../../../engine/index.ts';
import { openDb } from '../../../../engine/store/db.ts';
import { childrenOfStep, timersOf } from '../../../../engine/store/process/index.ts';
import { halfApplied } from '../../../helpers/invariants.ts';
import { openHarness, taskOf, versionOf, type Harness } from '../../runtime/harness.ts';

const dirs: string[] = [];
let h: Harness;

/** The fixture workflows and forms beside the shipped forms and calendar. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-spawn-'));
  dirs.push(dir);
  const fixture = path.join(REPO_ROOT, 'test/fixtures/runtime/spawn');
  fs.cpSync(path.join(REPO_ROOT, 'forms'), path.join(dir, 'forms'), { recursive: true });
  fs.cpSync(path.join(fixture, 'forms'), path.join(dir, 'forms'), { recursive: true });
  fs.cpSync(path.join(fixture, 'workflows'), path.join(dir, 'workflows'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'calendars'), path.join(dir, 'calendars'), { recursive: true });
  return dir;
}

beforeAll(async () => { h = await openHarness({ projectDir: project() }); });
afterAll(async () => {
  await h.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Entry { index: number; instance: string; number: string; title: string; state: string; status: string; reply: unknown }

async function startRound(wait: 'all' | 'any', units: string[], title = `征求意见 ${wait}`): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('review1'), `round-${wait}`, { event: 'submit', version: 0, input: { title, units } });
  return instanceId;
}

async function view(id: string) {
  return h.engine.instance(await h.as('admin'), id);
}

/** The parent's record as stored (the `replies` list is no form field, so the page's form model does not carry it). */
async function recordOf(id: string): Promise<{ state: string; status: string; data: Record<string, unknown> }> {
  const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
  try {
    const r = await db('instances').where({ id }).first('state', 'status', 'data');
    return { state: r.state, status: r.status, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data };
  } finally {
    await db.destroy();
  }
}

async function withDb<T>(run: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

const repliesOf = async (id: string): Promise<Entry[]> => (await recordOf(id)).data.replies as Entry[];

/** The child of `parent` for `unit` (by its position in the list). */
async function childOf(parent: string, index: number): Promise<string> {
  return (await repliesOf(parent))[index]!.instance;
}

async function answer(user: string, child: string, reply: string): Promise<void> {
  const taskId = await taskOf(h, user, child);
  await h.engine.complete(await h.as(user), taskId, { event: 'submit', input: { reply }, version: await versionOf(h, user, child) });
}

describe('spawn: one child per item, waiting for them', () => {
  it('wait all: starts one child per unit, copies each reply back, and goes on when the last has reported', async () => {
    const id = await startRound('all', ['city-fgw', 'city-jyj', 'city-gaj']);
    let v = await view(id);
    expect(v.summary.state).toBe('ask');
    let replies = await repliesOf(id);
    expect(replies.map((r) => [r.index, r.status, r.reply])).toEqual([[0, 'active', null], [1, 'active', null], [2, 'active', null]]);
    expect(replies[1]!.title).toBe('征求意见 all（city-jyj）');
    // Each child went to its unit.
    await answer('fgw1', replies[0]!.instance, '发改委：同意');
    expect(await h.engine.fireDueTimers()).toBe(1);
    replies = await repliesOf(id);
    expect(replies.map((r) => r.status)).toEqual(['completed', 'active', 'active']);
    expect(replies[0]!.reply).toBe('发改委：同意');
    expect((await view(id)).summary.state).toBe('ask');
    await answer('gaj1', replies[2]!.instance, '公安局：无意见');
    await answer('jyj1', replies[1]!.instance, '教育局：建议修改');
    expect(await h.engine.fireDueTimers()).toBe(2);
    v = await view(id);
    expect(v.summary.state).toBe('review');
    replies = await repliesOf(id);
    expect(replies.map((r) => r.reply)).toEqual(['发改委：同意', '教育局：建议修改', '公安局：无意见']);
    // The first of the last two reports found both children ended and moved on with both counted;
    // the second had nothing left to add and says nothing.
    const reports = v.history.filter((e) => e.type === 'spawn.reported');
    expect(reports).toHaveLength(2);
    expect(v.history.some((e) => e.type === 'spawn.ignored')).toBe(false);
    expect(reports[1]!.summary).toMatch(/^子流程结果回报 → 汇总意见（子流程 .+ 已办结）$/);
    // The parent's page lists the step's children with their numbers, titles and current steps.
    expect(v.spawned).toEqual([{
      stepTitle: '征求单位意见', wait: 'all', isCurrent: false,
      children: replies.map((r) => ({ instanceId: r.instance, number: r.number, title: r.title, stepTitle: '已答复', status: 'completed' })),
    }]);
    const child = await view(replies[0]!.instance);
    expect(child.linked).toEqual([{ instanceId: id, title: '征求意见 all', relation: '来源' }]);
  });

  it('wait any: goes on at the first completed child; a later child\'s report is recorded as not taken', async () => {
    const id = await startRound('any', ['city-fgw', 'city-jyj']);
    const [a, b] = (await repliesOf(id)).map((r) => r.instance);
    await answer('jyj1', b!, '教育局：同意');
    await h.engine.fireDueTimers();
    expect((await view(id)).summary.state).toBe('review');
    expect((await repliesOf(id)).map((r) => r.status)).toEqual(['active', 'completed']);
    // The other child runs on; its report later changes nothing in the parent but its history.
    expect((await view(a!)).summary.status).toBe('active');
    const version = (await view(id)).version;
    await answer('fgw1', a!, '发改委：同意');
    expect(await h.engine.fireDueTimers()).toBe(1);
    const v = await view(id);
    expect(v.version).toBe(version);
    expect((await repliesOf(id)).map((r) => r.status)).toEqual(['active', 'completed']);
    expect(v.history.at(-1)).toMatchObject({ type: 'spawn.ignored', summary: expect.stringMatching(/^子流程结果未写回（子流程 .+ 已办结；本件已不在“征求单位意见”这一步等待，结果未写回）$/) });
  });

  it('counts children that were withdrawn (撤销) or ended by an administrator (终止) as ended, without results', async () => {
    const id = await startRound('all', ['city-fgw', 'city-jyj']);
    const [a, b] = (await repliesOf(id)).map((r) => r.instance);
    await h.engine.cancel(await h.as('review1'), a!, { reason: '该单位不再征求', version: await versionOf(h, 'review1', a!) });
    await h.engine.terminate(await h.as('admin'), b!, { reason: '单位撤并', version: (await view(b!)).version });
    expect(await h.engine.fireDueTimers()).toBe(2);
    // No child completed: the parent's guard sends it to 无单位答复.
    expect((await view(id)).summary.state).toBe('nobody');
    expect((await repliesOf(id)).map((r) => [r.status, r.reply])).toEqual([['cancelled', null], ['terminated', null]]);
  });

  it('a parent moved away (调整办理步骤) stops waiting: its children run on, their reports are recorded, not taken', async () => {
    const id = await startRound('all', ['city-fgw', 'city-jyj']);
    const [a] = (await repliesOf(id)).map((r) => r.instance);
    await h.engine.move(await h.as('admin'), id, { to: 'draft', reason: '单位名单有误，重新选择', version: (await view(id)).version });
    expect((await view(a!)).summary.status).toBe('active');
    await answer('fgw1', a!, '发改委：同意');
    expect(await h.engine.fireDueTimers()).toBe(1);
    const v = await view(id);
    expect(v.summary.state).toBe('draft');
    expect(v.history.at(-1)?.type).toBe('spawn.ignored');
    expect((await repliesOf(id))[0]!.status).toBe('active');
    // Sent again, the step's second visit starts its own children; the first visit's are not counted.
    const draft = await taskOf(h, 'review1', id);
    await h.engine.complete(await h.as('review1'), draft, { event: 'submit', input: { title: '征求意见 all', units: ['city-gaj'] }, version: await versionOf(h, 'review1', id) });
    const second = await repliesOf(id);
    expect(second).toHaveLength(1);
    expect(second[0]!.instance).not.toBe(a);
    await answer('gaj1', second[0]!.instance, '公安局：同意');
    await h.engine.fireDueTimers();
    expect((await view(id)).summary.state).toBe('review');
    expect(await withDb((db) => childrenOfStep(db, id, 'ask', 1))).toHaveLength(2);
  });

  it('children completing at once never conflict with each other or with their parent', async () => {
    const units = ['fgw', 'jyj', 'gaj', 'mzj', 'czj', 'rsj', 'zrzyj', 'sthjj'];
    const id = await startRound('all', units.map((u) => `city-${u}`), '同时答复');
    const children = (await repliesOf(id)).map((r) => r.instance);
    const parentVersion = (await view(id)).version;
    await Promise.all(units.map((u, i) => answer(`${u}1`, children[i]!, `${u}：同意`)));
    // The children's ends touched only their own rows and a timer each: the parent is as it was.
    expect((await view(id)).version).toBe(parentVersion);
    expect(await h.engine.fireDueTimers()).toBe(units.length);
    expect((await view(id)).summary.state).toBe('review');
    expect((await repliesOf(id)).map((r) => r.reply)).toEqual(units.map((u) => `${u}：同意`));
  });

  it('with a scheduler running, the last child\'s end wakes it: the parent goes on without waiting for the interval', async () => {
    const id = await startRound('all', ['city-fgw', 'city-jyj'], '即时回报');
    const [a, b] = (await repliesOf(id)).map((r) => r.instance);
    // An hour between ticks: only the wake can move the parent within the test.
    const stop = startScheduler(h.engine, { intervalMs: 3_600_000 });
    try {
      await answer('fgw1', a!, '发改委：同意');
      await answer('jyj1', b!, '教育局：同意');
      let state = '';
      for (let i = 0; i < 200 && state !== 'review'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = (await recordOf(id)).state;
      }
      expect(state).toBe('review');
      expect((await repliesOf(id)).map((r) => r.reply)).toEqual(['发改委：同意', '教育局：同意']);
    } finally {
      await stop();
    }
  });

  it('an empty list starts no child and the wait is over at once', async () => {
    const id = await startRound('all', []);
    expect((await view(id)).summary.state).toBe('nobody');
    expect(await repliesOf(id)).toEqual([]);
    expect((await view(id)).spawned).toEqual([]);
  });

  it('a report written when the child ended is taken after the process went away before firing it', async () => {
    const id = await startRound('all', ['city-fgw']);
    const child = await childOf(id, 0);
    await answer('fgw1', child, '发改委：同意');
    // The child's end and its report were one transaction: the report is a row, whatever happens to this process.
    const pending = await withDb((db) => timersOf(db, id));
    expect(pending.filter((t) => t.kind === 'report' && t.status === 'pending')).toHaveLength(1);
    await h.reopen();
    expect(await h.engine.fireDueTimers()).toBe(1);
    expect((await view(id)).summary.state).toBe('review');
    expect(await h.engine.fireDueTimers()).toBe(0);
    expect(await withDb((db) => halfApplied(db))).toEqual([]);
  });
});

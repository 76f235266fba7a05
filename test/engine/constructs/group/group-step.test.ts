// group-step.test.ts: a `group:` step (docs/group-steps.md) on a real database: who is asked is
// fixed at entry, a member's answer touches their task and the counts only (no version bump, no
// conflict between members), exactly one completion moves the instance on, 提前结束 and the
// deadline close it, and the tables stay whole (test/helpers/invariants.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDb } from '../../../../engine/store/db.ts';
import type { Actor } from '../../../../engine/model/actor.ts';
import { halfApplied } from '../../../helpers/invariants.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from '../../runtime/harness.ts';
import { groupProject } from './project.ts';

let h: Harness;
let db: Knex;
const DEPUTIES = Array.from({ length: 14 }, (_, i) => `deputy${i + 1}`);

beforeAll(async () => {
  h = await openHarness({ projectDir: groupProject() });
  db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
});
afterAll(async () => {
  await db?.destroy();
  await h?.close();
});

async function startAs(workflowId: string, title = '关于征求意见的函'): Promise<string> {
  const r = await h.engine.start(await h.as('presidium1'), workflowId, { event: 'submit', version: 0, input: { title, content: '请提出意见' } });
  return r.instanceId;
}

async function answer(user: string, instanceId: string, event: string, version = 0, opinion?: string): Promise<string> {
  const actor: Actor = await h.as(user);
  return codeOf(h.engine.complete(actor, await taskOf(h, user, instanceId), { event, input: {}, version, ...(opinion && { opinion }) }));
}

/** How many rows match, as a number on both databases. */
async function countOf(table: string, where: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).where(where).count({ n: '*' });
  return Number(r!.n);
}

const counts = async (instanceId: string): Promise<Record<string, unknown>> =>
  (await db('group_counts').where({ instance_id: instanceId }).first()) as Record<string, unknown>;

describe('group: entry', () => {
  it('asks every active deputy once, with one counts row, and the unit each counts under', async () => {
    const id = await startAs('consult');
    const tasks = await db('tasks').where({ instance_id: id, state: 'ask' }).select('assignee_id', 'unit', 'status', 'kind', 'grp');
    expect(tasks.map((t) => t.assignee_id).sort()).toEqual([...DEPUTIES].sort());
    expect(new Set(tasks.map((t) => t.unit))).toEqual(new Set(['zhangdian-delegation', 'linzi-delegation']));
    expect(tasks.every((t) => t.status === 'open' && t.kind === 'task' && t.grp === 'ask')).toBe(true);
    expect(await counts(id)).toMatchObject({ total: 14, open: 14, done: 0, closed_at: null });
  });

  it('asks each government unit through its handling_unit role', async () => {
    const id = await startAs('units');
    const tasks = await db('tasks').where({ instance_id: id, state: 'ask' }).select('org_id', 'role', 'assignee_id', 'unit');
    expect(tasks.length).toBeGreaterThan(5);
    expect(tasks.every((t) => t.role === 'handling_unit' && t.assignee_id === null && t.unit === t.org_id)).toBe(true);
    expect(await answer('fgw1', id, 'agree')).toBe('ok');
  });
});

describe('group: a member\'s completion', () => {
  it('moves no version: a page rendered before others answered still submits, and the last answer moves on', async () => {
    const id = await startAs('consult');
    const v = await versionOf(h, 'presidium1', id);
    for (const [i, d] of DEPUTIES.entries()) {
      expect(await answer(d, id, i < 4 ? 'object' : 'agree', v, i === 0 ? '建议再斟酌' : undefined)).toBe('ok');
      if (i < DEPUTIES.length - 1) expect(await versionOf(h, 'presidium1', id)).toBe(v);
    }
    const view = await h.engine.instance(await h.as('presidium1'), id);
    expect(view.summary.state).toBe('decide'); // 4 of 14 object: not over a third
    expect(await counts(id)).toMatchObject({ total: 14, open: 0, done: 14, n1: 10, n2: 4, closed_how: 'rule' });
    const first = await db('tasks').where({ instance_id: id, assignee_id: 'deputy1', state: 'ask' }).first();
    expect(JSON.parse(first.answer)).toEqual({ opinion: '建议再斟酌' });
    const events = await db('events').where({ instance_id: id }).select('type');
    expect(events.filter((e) => e.type === 'group.answered')).toHaveLength(14);
    expect(events.filter((e) => e.type === 'group.closed')).toHaveLength(1);
    expect(await halfApplied(db)).toEqual([]);
  });

  it('guards read the final counts: over a third objecting goes to 个别沟通', async () => {
    const id = await startAs('consult');
    for (const [i, d] of DEPUTIES.entries()) expect(await answer(d, id, i < 5 ? 'object' : 'agree')).toBe('ok');
    expect((await h.engine.instance(await h.as('presidium1'), id)).summary.state).toBe('talk');
  });

  it('票签: the third agreement closes the step, cancels the rest, and a later answer is refused', async () => {
    const id = await startAs('quorum');
    expect(await answer('deputy1', id, 'decline')).toBe('ok');
    for (const d of ['deputy2', 'deputy3', 'deputy4']) expect(await answer(d, id, 'agree')).toBe('ok');
    expect(await counts(id)).toMatchObject({ done: 4, n1: 3, n2: 1, closed_how: 'rule' });
    expect(await countOf('tasks', { instance_id: id, state: 'ask', status: 'open' })).toBe(0);
    const late = await db('tasks').where({ instance_id: id, state: 'ask', assignee_id: 'deputy5' }).first();
    expect(await codeOf(h.engine.complete(await h.as('deputy5'), late.id, { event: 'agree', input: {}, version: 0 }))).toBe('LVZ_RUN_TASK_CLOSED');
    expect(await halfApplied(db)).toEqual([]);
  });

  it('an outcome the step does not offer is refused and nothing is written', async () => {
    const id = await startAs('quorum');
    expect(await answer('deputy1', id, 'maybe')).toBe('LVZ_RUN_EVENT_NOT_ALLOWED');
    expect(await counts(id)).toMatchObject({ done: 0, open: 14 });
  });
});

describe('group: concurrent answers', () => {
  it('14 deputies answering at once are all counted, none conflicts, and exactly one moves the instance on', async () => {
    const id = await startAs('consult');
    const ids = await Promise.all(DEPUTIES.map((d) => taskOf(h, d, id)));
    const actors = await Promise.all(DEPUTIES.map((d) => h.as(d)));
    const codes = await Promise.all(ids.map((t, i) => codeOf(h.engine.complete(actors[i]!, t, { event: 'agree', input: {}, version: 0 }))));
    expect(codes).toEqual(DEPUTIES.map(() => 'ok'));
    expect(await counts(id)).toMatchObject({ done: 14, open: 0, n1: 14, closed_how: 'rule' });
    expect(await countOf('events', { instance_id: id, type: 'group.closed' })).toBe(1);
    expect((await h.engine.instance(await h.as('presidium1'), id)).summary.state).toBe('decide');
    expect(await halfApplied(db)).toEqual([]);
  });

  it('或签 with everyone at once: one answer closes the step, the others are told it closed', async () => {
    const id = await startAs('anyone');
    const ids = await Promise.all(DEPUTIES.map((d) => taskOf(h, d, id)));
    const actors = await Promise.all(DEPUTIES.map((d) => h.as(d)));
    const codes = await Promise.all(ids.map((t, i) => codeOf(h.engine.complete(actors[i]!, t, { event: 'submit', input: {}, version: 0 }))));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c !== 'ok').every((c) => c === 'LVZ_RUN_TASK_CLOSED')).toBe(true);
    expect(await counts(id)).toMatchObject({ done: 1, closed_how: 'rule' });
    expect(await countOf('events', { instance_id: id, type: 'group.closed' })).toBe(1);
    expect(await halfApplied(db)).toEqual([]);
  });
});

describe('group: closing', () => {
  it('提前结束 is for close_by holders, needs a reason, compares the page version, and moves on with the counts so far', async () => {
    const id = await startAs('consult');
    expect(await answer('deputy1', id, 'agree')).toBe('ok');
    const v = await versionOf(h, 'presidium1', id);
    expect(await codeOf(h.engine.closeGroup(await h.as('deputy2'), id, { reason: '够了', version: v }))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.closeGroup(await h.as('presidium1'), id, { reason: ' ', version: v }))).toBe('LVZ_RUN_REASON_REQUIRED');
    expect(await codeOf(h.engine.closeGroup(await h.as('presidium1'), id, { reason: '会议提前', version: v - 1 }))).toBe('LVZ_RUN_CONFLICT');
    expect(await counts(id)).toMatchObject({ closed_at: null, done: 1 });
    expect(await codeOf(h.engine.closeGroup(await h.as('presidium1'), id, { reason: '会议提前', version: v }))).toBe('ok');
    expect(await counts(id)).toMatchObject({ closed_how: 'early', done: 1, open: 13 });
    expect(await countOf('tasks', { instance_id: id, state: 'ask', status: 'cancelled' })).toBe(13);
    const closed = await db('events').where({ instance_id: id, type: 'group.closed' }).first();
    expect(JSON.parse(closed.payload)).toMatchObject({ how: 'early', reason: '会议提前', tally: { total: 14, done: 1, agree: 1, object: 0 } });
    expect((await h.engine.instance(await h.as('presidium1'), id)).summary.state).toBe('decide');
    expect(await codeOf(h.engine.closeGroup(await h.as('presidium1'), id, { reason: '再来', version: v + 1 }))).toBe('LVZ_RUN_EVENT_NOT_ALLOWED');
    expect(await halfApplied(db)).toEqual([]);
  });

  it('the deadline with close: true closes the step by the system', async () => {
    const id = await startAs('consult');
    expect(await answer('deputy3', id, 'object')).toBe('ok');
    await h.engine.fireDueTimers(new Date(h.clock.now.getTime() + 10 * 86_400_000));
    expect(await counts(id)).toMatchObject({ closed_how: 'deadline', done: 1 });
    expect((await h.engine.instance(await h.as('presidium1'), id)).summary.state).toBe('talk'); // 1 of 1 objected
    expect(await halfApplied(db)).toEqual([]);
  });
});

// instance-scope.test.ts: 全部事项 shows a viewer exactly the instances they started, hold, held
// or completed a task of (their own or, as 代理, their principal's), were copied on, or see as a
// whole workflow; read either way (gathered from their own tasks, or newest first checking each
// instance) the pages and totals are the same.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import {
  insertInstance, insertTasks, listInstances, shapeOf, updateTask, type Holder, type InstanceRow, type InstanceScope, type TaskRow,
} from '../../../engine/store/process/index.ts';

let t: TestDb;
// u1 (a clerk of org-a) stands in for u9 (org-b, a head) today.
const holders: Holder[] = [{ userId: 'u1', orgId: 'org-a', roles: ['clerk'] }, { userId: 'u9', orgId: 'org-b', roles: ['head'] }];
const at = (n: number) => new Date(Date.UTC(2026, 2, 2) + n * 60_000).toISOString();

function instance(n: number, over: Partial<InstanceRow> = {}): InstanceRow {
  return {
    id: `i${String(n).padStart(2, '0')}`, number: `2026-${n}`, workflowId: 'suggestion', workflowVersion: 1, title: `件${n}`, state: 'review',
    status: 'active', initiatorId: 'someone', initiatorOrg: 'org-x', data: {}, snapshot: { value: 'review', tally: {}, visits: {} },
    version: 1, parentId: null, createdAt: at(n), updatedAt: at(n % 5 === 0 ? 100 : n), endedAt: null, ...over,
  };
}

function task(n: number, k: number, over: Partial<TaskRow>): TaskRow {
  return {
    id: `t${n}-${k}`, instanceId: instance(n).id, state: 'review', visit: 1, grp: 'g', item: null, seq: k, title: '审查', role: null, orgId: null,
    assigneeId: null, kind: 'task' as TaskRow['kind'], ownerTaskId: null, status: 'open', outcome: null, createdAt: at(n), dueAt: null,
    completedAt: null, completedBy: null, onBehalfOf: null, draft: null, readAt: null, overdue: false, ...over,
  };
}

/** Instance number -> how the viewer is (or is not) involved. */
const CASES: Record<number, { instance?: Partial<InstanceRow>; tasks?: Partial<TaskRow>[]; visible: boolean }> = {
  1: { instance: { initiatorId: 'u1' }, visible: true },
  2: { tasks: [{ assigneeId: 'u1' }], visible: true },
  3: { tasks: [{ assigneeId: 'u1', status: 'cancelled' }], visible: true },
  4: { tasks: [{ assigneeId: 'u7', status: 'done', completedBy: 'u1', onBehalfOf: 'u7' }], visible: true },
  5: { tasks: [{ role: 'clerk' }], visible: true },
  6: { tasks: [{ role: 'clerk', orgId: 'org-a' }], visible: true },
  7: { tasks: [{ role: 'clerk', orgId: 'org-b' }], visible: false },
  8: { tasks: [{ role: 'other' }], visible: false },
  9: { tasks: [{ assigneeId: 'u1', kind: 'cc' as TaskRow['kind'] }], visible: true },
  10: { tasks: [{ assigneeId: 'u9', status: 'done', completedBy: 'u9' }], visible: true },
  11: { tasks: [{ role: 'head', orgId: 'org-b' }], visible: true },
  12: { tasks: [{ role: 'head', orgId: 'org-a' }], visible: false },
  13: { tasks: [{ role: 'clerk', assigneeId: 'u2' }], visible: false },
  14: { instance: { initiatorId: 'u9', workflowId: 'bill' }, visible: true },
  15: { instance: { workflowId: 'bill' }, tasks: [{ assigneeId: 'u2' }], visible: false },
  16: { tasks: [{ assigneeId: 'u2' }, { assigneeId: 'u1', status: 'done', completedBy: 'u1' }, { role: 'clerk' }], visible: true },
  17: { instance: { workflowId: 'motion' }, tasks: [{ assigneeId: 'u1' }], visible: true },
  18: { instance: { workflowId: 'motion' }, tasks: [{ assigneeId: 'u2' }], visible: false },
  19: { instance: { workflowId: 'report' }, tasks: [{ assigneeId: 'u2' }], visible: false }, // until the last test
};
const N = 40; // instances 17…39: nobody's business of the viewer

beforeAll(async () => {
  t = await openTestDb();
  const tasks: TaskRow[] = [];
  for (let n = 1; n < N; n++) {
    const c = CASES[n];
    await insertInstance(t.db, instance(n, c?.instance));
    (c?.tasks ?? [{ assigneeId: 'u2' }]).forEach((over, k) => tasks.push(task(n, k, over)));
  }
  await insertTasks(t.db, tasks);
});
afterAll(async () => { await t.cleanup(); });

/** Every page of the list, as instance ids, and the totals each page reported. */
async function readAll(scope: InstanceScope, gatherLimit: number, pageSize = 3): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  for (let page = 1; page <= 20; page++) {
    const r = await listInstances(t.db, scope, { page, pageSize }, 1000, undefined, gatherLimit);
    ids.push(...r.rows.map((i) => i.id));
    totals.push(r.total);
    if (r.rows.length < pageSize) break;
  }
  return { ids, totals };
}

/** The expected order: updated_at newest first, then id. */
function expected(visible: (n: number) => boolean): string[] {
  return Array.from({ length: N - 1 }, (_, k) => instance(k + 1, CASES[k + 1]?.instance))
    .filter((_, k) => visible(k + 1))
    .sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? -1 : 1) : a.updatedAt < b.updatedAt ? 1 : -1))
    .map((i) => i.id);
}

describe('the instance list of a viewer who sees by involvement', () => {
  const scope: InstanceScope = { all: false, workflows: [], holders };
  const want = expected((n) => CASES[n]?.visible ?? false);

  it('gathers their few instances from their own tasks', async () => {
    const shape = await shapeOf(t.db, scope);
    expect(shape.ids?.slice().sort()).toEqual(want.filter((id) => id !== 'i01' && id !== 'i14').sort());
    const r = await readAll(scope, 2000);
    expect(r.ids).toEqual(want);
    expect(new Set(r.totals)).toEqual(new Set([want.length]));
  });

  it('reads the same pages newest first when they have more than the limit', async () => {
    expect(await shapeOf(t.db, scope, 2)).toEqual({ newestFirst: true, involvedIn: ['motion', 'suggestion'] });
    expect(await readAll(scope, 2)).toEqual(await readAll(scope, 2000));
    expect(await readAll(scope, 0, 5)).toEqual(await readAll(scope, 2000, 5));
  });

  it('adds whole workflows for their viewer roles, read newest first', async () => {
    const withBills: InstanceScope = { all: false, workflows: ['bill'], holders };
    expect(await shapeOf(t.db, withBills)).toEqual({ newestFirst: true, involvedIn: ['motion', 'suggestion'] });
    const r = await readAll(withBills, 2000);
    expect(r.ids).toEqual(expected((n) => (CASES[n]?.visible ?? false) || CASES[n]?.instance?.workflowId === 'bill'));
    expect(r.ids).toContain('i15');
    // Counted up to a cap the whole workflow reaches alone: the cap, as a full count would say.
    expect((await listInstances(t.db, withBills, { page: 1, pageSize: 3 }, 2)).total).toBe(2);
    expect((await listInstances(t.db, withBills, { page: 1, pageSize: 3 }, 1000)).total).toBe(r.ids.length);
  });

  it('filters by workflow and title within what they may see', async () => {
    const r = await listInstances(t.db, scope, { page: 1, pageSize: 50, workflowId: 'bill' }, 1000);
    expect(r.rows.map((i) => i.id)).toEqual(['i14']);
    const q = await listInstances(t.db, scope, { page: 1, pageSize: 50, q: '件1' }, 1000);
    expect(q.rows.map((i) => i.id).sort()).toEqual(want.filter((id) => `件${Number(id.slice(1))}`.includes('件1')).sort());
  });

  it('filtered to a workflow they neither see whole nor ever worked in, shows only what they started there', async () => {
    const withSuggestions: InstanceScope = { all: false, workflows: ['suggestion'], holders };
    expect(await shapeOf(t.db, withSuggestions)).toEqual({ newestFirst: true, involvedIn: ['motion'] });
    const sent: string[] = [];
    const listen = (q: { sql: string }) => sent.push(q.sql);
    t.db.on('query', listen);
    try {
      const bills = await listInstances(t.db, withSuggestions, { page: 1, pageSize: 50, workflowId: 'bill' }, 1000);
      expect(bills).toEqual({ rows: [expect.objectContaining({ id: 'i14' })], total: 1 });
      // Read by who started them: no instance is asked about the viewer's tasks.
      expect(sent.filter((sql) => sql.includes('from `instances`') || sql.includes('from "instances"')).some((sql) => sql.includes('exists'))).toBe(false);
      // A workflow they worked in is still checked instance by instance.
      sent.length = 0;
      const motions = await listInstances(t.db, withSuggestions, { page: 1, pageSize: 50, workflowId: 'motion' }, 1000);
      expect(motions.rows.map((i) => i.id)).toEqual(['i17']);
      expect(sent.some((sql) => sql.includes('exists'))).toBe(true);
    } finally {
      t.db.removeListener('query', listen);
    }
  });

  it('passes over whole workflows the holders never had a task in, and learns of new ones as tasks change', async () => {
    const withBills: InstanceScope = { all: false, workflows: ['bill'], holders };
    expect((await readAll(withBills, 0)).ids).not.toContain('i19');
    // Someone else's task in a 'report' is completed by u1 (standing in): the trigger notes the workflow.
    expect(await updateTask(t.db, 't19-0', { status: 'done', completedBy: 'u1', completedAt: at(200) }, 'open')).toBe(true);
    expect(await shapeOf(t.db, withBills)).toEqual({ newestFirst: true, involvedIn: ['motion', 'report', 'suggestion'] });
    expect((await readAll(withBills, 0)).ids).toContain('i19');
    expect((await readAll(scope, 2000)).ids).toContain('i19');
    // A role offered a task in a new workflow, in the holder's org: noted on insert.
    await insertInstance(t.db, instance(41, { workflowId: 'duty' }));
    await insertTasks(t.db, [task(41, 0, { role: 'head', orgId: 'org-b' })]);
    expect((await shapeOf(t.db, withBills)).involvedIn).toContain('duty');
    expect((await readAll(withBills, 0)).ids).toContain('i41');
  });
});

// inbox-counts.test.ts: the lists count no further than a cap (999+), and the 待办 page, read as
// the top of each index range (assignee, role without org, role in the holder's org), still
// pages the same rows in the same order as one sorted list would.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import {
  countInstances, inboxCount, inboxCounts, inboxPage, insertInstance, insertTasks, listInstances, type Holder, type InstanceRow, type TaskRow,
} from '../../../engine/store/process/index.ts';
import { countText, pager } from '../../../server/view-models.ts';
import { COUNT_CAP, INBOX_COUNT_CAP } from '../../../engine/runtime/types.ts';

let t: TestDb;
const holders: Holder[] = [{ userId: 'u1', orgId: 'org-a', roles: ['clerk'] }];
const at = (n: number) => new Date(Date.UTC(2026, 2, 2) + n * 60_000).toISOString();

function instance(id: string, n: number): InstanceRow {
  return {
    id, number: `2026-${n}`, workflowId: 'suggestion', workflowVersion: 1, title: `件${n}`, state: 'review', status: 'active',
    initiatorId: 'u1', initiatorOrg: 'org-a', data: {}, snapshot: { value: 'review', tally: {}, visits: {} },
    version: 1, parentId: null, createdAt: at(n), updatedAt: at(n), endedAt: null,
  };
}

function task(id: string, instanceId: string, n: number, over: Partial<TaskRow>): TaskRow {
  return {
    id, instanceId, state: 'review', visit: 1, grp: 'g', item: null, seq: 0, title: '审查', role: null, orgId: null, assigneeId: null,
    kind: 'task' as TaskRow['kind'], ownerTaskId: null, status: 'open', outcome: null, createdAt: at(n % 7 === 0 ? 0 : n), dueAt: null,
    completedAt: null, completedBy: null, onBehalfOf: null, draft: null, readAt: null, overdue: false, ...over,
  };
}

// 1,050 open tasks u1 may act on (350 each: assigned, role in no org, role in org-a; some share a
// created_at so the id decides), 1,010 done by u1, 1,002 copies, and tasks u1 may not act on.
const OPEN = 1050;

beforeAll(async () => {
  t = await openTestDb();
  for (let k = 0; k < 30; k++) await insertInstance(t.db, instance(`i${k}`, k));
  const rows: TaskRow[] = [];
  for (let n = 0; n < OPEN; n++) {
    const who = n % 3 === 0 ? { assigneeId: 'u1' } : n % 3 === 1 ? { role: 'clerk' } : { role: 'clerk', orgId: 'org-a' };
    rows.push(task(`o${n}`, `i${n % 30}`, n, who));
  }
  for (let n = 0; n < 1010; n++) rows.push(task(`d${n}`, `i${n % 30}`, n, { assigneeId: 'u1', status: 'done', completedBy: 'u1', completedAt: at(n) }));
  for (let n = 0; n < 1002; n++) rows.push(task(`c${n}`, `i${n % 30}`, n, { assigneeId: 'u1', kind: 'cc' as TaskRow['kind'] }));
  for (let n = 0; n < 40; n++) {
    rows.push(task(`x${n}`, `i${n % 30}`, n, { role: 'clerk', orgId: 'org-b' }), task(`y${n}`, `i${n % 30}`, n, { assigneeId: 'u2' }),
      task(`z${n}`, `i${n % 30}`, n, { role: 'other' }));
  }
  await insertTasks(t.db, rows);
}, 60_000);
afterAll(async () => { await t.cleanup(); });

describe('capped counts', () => {
  it('counts each inbox list up to the cap, exactly below it', async () => {
    expect(await inboxCount(t.db, holders, 'todo', 1000)).toBe(1000);
    expect(await inboxCount(t.db, holders, 'todo', 5000)).toBe(OPEN);
    expect(await inboxCount(t.db, holders, 'done', 1000)).toBe(1000);
    expect(await inboxCount(t.db, holders, 'done', 5000)).toBe(1010);
    expect(await inboxCount(t.db, holders, 'cc', 1000)).toBe(1000);
    expect(await inboxCount(t.db, holders, 'cc', 5000)).toBe(1002);
    expect(await inboxCount(t.db, [{ userId: 'u3', orgId: 'org-c', roles: [] }], 'todo', 1000)).toBe(0);
  });

  it('counts the four lists in one statement as the separate counts do, a stand-in\'s lists included', async () => {
    const shapes: Holder[][] = [
      holders,
      [{ userId: 'u3', orgId: 'org-c', roles: [] }],
      // u2 stands in for u1 (代理): the same role in another org adds its own branch, u1's tasks count for u2.
      [{ userId: 'u2', orgId: 'org-b', roles: ['clerk'] }, ...holders],
    ];
    for (const hs of shapes) {
      for (const cap of [100, 5000]) {
        const sent: string[] = [];
        const listen = (q: { sql: string }) => sent.push(q.sql);
        t.db.on('query', listen);
        const one = await inboxCounts(t.db, hs, hs[0]!.userId, cap).finally(() => t.db.removeListener('query', listen));
        expect(sent).toHaveLength(1);
        expect(one).toEqual({
          todo: await inboxCount(t.db, hs, 'todo', cap), done: await inboxCount(t.db, hs, 'done', cap), cc: await inboxCount(t.db, hs, 'cc', cap),
          started: await countInstances(t.db, { all: true, workflows: [], holders: hs }, { initiatorIds: [hs[0]!.userId] }, cap),
        });
      }
    }
    expect(await inboxCounts(t.db, holders, 'u1', 5000)).toEqual({ todo: OPEN, done: 1010, cc: 1002, started: 30 });
  });

  it('pages 待办 newest first across the three index ranges, the page total capped', async () => {
    const all = await inboxPage(t.db, holders, { list: 'todo', page: 1, pageSize: 100 }, 5000);
    expect(all.total).toBe(OPEN);
    const expected: string[] = [];
    for (let page = 1; page <= 11; page++) expected.push(...(await inboxPage(t.db, holders, { list: 'todo', page, pageSize: 100 }, 5000)).rows.map((r) => r.task.id));
    expect(new Set(expected).size).toBe(OPEN);
    const sorted = [...expected].map((id) => ({ id, at: at(Number(id.slice(1)) % 7 === 0 ? 0 : Number(id.slice(1))) }))
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? 1 : -1)).map((x) => x.id);
    expect(expected).toEqual(sorted);
    const p3 = await inboxPage(t.db, holders, { list: 'todo', page: 3, pageSize: 20 }, 1000);
    expect(p3.total).toBe(1000);
    expect(p3.rows.map((r) => r.task.id)).toEqual(sorted.slice(40, 60));
    const beyond = await inboxPage(t.db, holders, { list: 'todo', page: 52, pageSize: 20 }, 1000);
    expect(beyond.rows.map((r) => r.task.id)).toEqual(sorted.slice(1020, 1040));
    // A total the caller already counted (the navigation's) is taken as it is: one count fewer per page.
    const told = await inboxPage(t.db, holders, { list: 'todo', page: 3, pageSize: 20 }, 1000, 1000);
    expect(told).toEqual(p3);
    const searched = await inboxPage(t.db, holders, { list: 'todo', page: 1, pageSize: 20, q: '件7' }, 1000);
    expect(searched.rows.length).toBeGreaterThan(0);
    expect(searched.rows.every((r) => r.instanceTitle === '件7')).toBe(true);
  });

  it('counts 待办 and 已办 from the indexes alone, never reading a task row (migration 008)', async () => {
    const sent: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
    t.db.on('query', listen);
    try {
      for (const list of ['todo', 'done', 'cc'] as const) await inboxCount(t.db, holders, list, 100);
    } finally {
      t.db.removeListener('query', listen);
    }
    expect(sent).toHaveLength(3);
    if (t.kind === 'sqlite') {
      for (const q of sent) {
        const plan = (await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never[])) as { detail: string }[];
        const searches = plan.map((p) => p.detail).filter((d) => d.startsWith('SEARCH') || d.startsWith('SCAN t'));
        expect(searches.length, q.sql).toBeGreaterThan(0);
        for (const d of searches) expect(d, q.sql).toMatch(/USING COVERING INDEX tasks_(open_assignee|open_role|completed_by|cc)_idx/);
      }
    } else {
      // PostgreSQL's planner reads a table this small whole; the indexes carry the columns.
      const defs = (await t.db.raw(`select indexname, indexdef from pg_indexes where schemaname = current_schema() and indexname in ('tasks_open_assignee_idx', 'tasks_open_role_idx', 'tasks_completed_by_idx') order by indexname`)).rows as { indexdef: string }[];
      expect(defs.map((d) => /\((.*?)\)/.exec(d.indexdef)?.[1])).toEqual(['completed_by, completed_at, status, kind', 'assignee_id, created_at, kind', 'role, org_id, created_at, kind, assignee_id']);
    }
  });

  it('caps the instance list total', async () => {
    expect((await listInstances(t.db, { all: true, workflows: [], holders }, { page: 1, pageSize: 5 }, 10)).total).toBe(10);
    expect((await listInstances(t.db, { all: true, workflows: [], holders }, { page: 1, pageSize: 5 }, 1000)).total).toBe(30);
    expect(await countInstances(t.db, { all: true, workflows: [], holders }, { initiatorIds: ['u1'] }, 10)).toBe(10);
    expect(await countInstances(t.db, { all: true, workflows: [], holders }, { initiatorIds: ['u1'] }, 1000)).toBe(30);
    expect(await countInstances(t.db, { all: true, workflows: [], holders }, { initiatorIds: ['u2'] }, 1000)).toBe(0);
  });

  it('shows a capped total as 999+ and keeps paging by offset', () => {
    const p = pager('/inbox', { list: 'done' }, { page: 50, pageSize: 20, total: 1000, isCapped: true, items: new Array(20) });
    expect(p).toMatchObject({ totalText: '999+', pagesText: '50+', isCapped: true });
    expect(p.nextHref).toBe('/inbox?list=done&page=51');
    const end = pager('/inbox', { list: 'done' }, { page: 51, pageSize: 20, total: 1000, isCapped: true, items: new Array(3) });
    expect(end).toMatchObject({ totalText: '999+', pagesText: '51+', nextHref: undefined, prevHref: '/inbox?list=done&page=50' });
    expect(pager('/x', {}, { page: 1, pageSize: 20, total: 45, isCapped: false })).toMatchObject({ totalText: '45', pagesText: '3' });
  });

  it('shows the navigation badges as 99+ and the instance list as 999+', () => {
    expect([countText(99, INBOX_COUNT_CAP), countText(100, INBOX_COUNT_CAP)]).toEqual(['99', '99+']);
    expect([countText(999, COUNT_CAP), countText(1000, COUNT_CAP)]).toEqual(['999', '999+']);
  });
});

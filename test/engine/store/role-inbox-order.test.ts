// role-inbox-order.test.ts: 待办 reads a role's newest tasks for any org straight off an index in
// created_at order on both databases; on PostgreSQL through tasks_open_role_any_org_idx (migration
// 024), where the wider tasks_open_role_idx made it read and sort every open task of the role
// (docs/benchmarks.md, "What we tried", 23).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { inboxPage, insertInstance, insertTasks, type TaskRow } from '../../../engine/store/process/index.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t.cleanup(); });

const ROLE_TASKS = 3000;
const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

function task(i: number, over: Partial<TaskRow> = {}): TaskRow {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, instanceId: 'i1', state: 'review', visit: 1, grp: 'main', item: null, seq: i,
    title: '审查交办', role: 'review_office', orgId: null, assigneeId: null, kind: 'task', ownerTaskId: null, status: 'open', outcome: null,
    createdAt: at(i), dueAt: null, completedAt: null, completedBy: null, onBehalfOf: null, draft: null, readAt: null, overdue: false, ...over,
  };
}

describe('a role\'s 待办 in order', () => {
  it('reads the newest 20 of 3,000 open role tasks from an index, without sorting the role\'s range', async () => {
    await insertInstance(t.db, {
      id: 'i1', number: '2026-0001', workflowId: 'suggestion', workflowVersion: 1, title: '建议', state: 'review', status: 'active',
      initiatorId: 'deputy1', initiatorOrg: 'city', data: {}, snapshot: { value: 'review', tally: {}, visits: { review: 1 } }, version: 1, parentId: null,
      createdAt: at(0), updatedAt: at(0), endedAt: null,
    });
    for (let i = 0; i < ROLE_TASKS; i += 500) await insertTasks(t.db, Array.from({ length: 500 }, (_, j) => task(i + j)));
    // Others in the same index, not the viewer's: another org's, another role's, done ones.
    await insertTasks(t.db, Array.from({ length: 200 }, (_, j) => task(ROLE_TASKS + j, j % 2 ? { orgId: 'district' } : { role: 'committee' })));
    if (t.kind === 'postgres') await t.db.raw('analyze tasks');

    const statements: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings: unknown[] }) => statements.push(q);
    t.db.on('query', listen);
    const holder = { userId: 'review1', orgId: 'city', roles: ['review_office'] };
    const page = await inboxPage(t.db, [holder], { list: 'todo', page: 1, pageSize: 20 }, 100);
    t.db.off('query', listen);
    expect(page.total).toBe(100);
    expect(page.rows.map((r) => r.task.seq)).toEqual(Array.from({ length: 20 }, (_, k) => ROLE_TASKS - 1 - k));

    const read = statements.find((s) => /union/i.test(s.sql))!;
    expect(read).toBeDefined();
    if (t.kind === 'sqlite') {
      const plan = ((await t.db.raw(`explain query plan ${read.sql}`, read.bindings as never[])) as { detail: string }[]).map((p) => p.detail).join('\n');
      expect(plan).toMatch(/SEARCH t USING INDEX tasks_open_role_idx \(role=\? AND org_id=\?\)/);
    } else {
      // The query event gives PostgreSQL's $1 … placeholders; knex's raw takes ?.
      const plan = ((await t.db.raw(`explain ${read.sql.replace(/\$\d+/g, '?')}`, read.bindings as never[])).rows as Record<string, string>[]).map((r) => r['QUERY PLAN']!).join('\n');
      expect(plan).toMatch(/Index Scan Backward using tasks_open_role_any_org_idx on tasks/);
      expect(plan).not.toMatch(/Bitmap Heap Scan on tasks/);
      expect(plan).not.toMatch(/Gather/);
    }
  });
});

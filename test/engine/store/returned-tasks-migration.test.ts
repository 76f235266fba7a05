// returned-tasks-migration.test.ts: migration 019 marks the open tasks a 退回 made before it existed
// (the latest move into their step is a `task.returned`), and no others, on both databases.

import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { openDb, sqlitePath } from '../../../engine/store/db.ts';
import { migrations } from '../../../engine/store/migrations/index.ts';
import { TEST_DB_KINDS, testDatabase } from '../../helpers/db.ts';

const T0 = '2026-03-02T01:00:00.000Z';
const T1 = '2026-03-02T02:00:00.000Z';
const T2 = '2026-03-02T03:00:00.000Z';

describe.each(TEST_DB_KINDS)('migration 019_returned_tasks on %s', (kind) => {
  it('marks an open task made by a send-back, not one made by a submit or one already done', async () => {
    const place = await testDatabase(kind, 'lvzhi-mig19-');
    const old = knexFactory(place.databaseUrl
      ? { client: 'pg', connection: place.databaseUrl }
      : { client: 'sqlite3', connection: { filename: sqlitePath(place.dataDir) }, useNullAsDefault: true });
    try {
      const before = Object.keys(migrations).sort().filter((n) => n < '019');
      await old.migrate.latest({ migrationSource: { getMigrations: async () => before, getMigrationName: (n: string) => n, getMigration: async (n: string) => migrations[n]! } });
      await old('orgs').insert({ id: 'o', name: '机关', kind: 'office', sort: 0 });
      await old('users').insert({ id: 'u', name: '用户', org_id: 'o', roles: '[]', password_hash: 'x', is_demo: false, created_at: T0 });
      const instance = (id: string, number: string, state: string) => ({
        id, number, workflow_id: 'suggestion', workflow_version: 1, title: id, state, status: 'active', initiator_id: 'u', initiator_org: 'o',
        data: '{}', snapshot: '{}', version: 3, parent_id: null, created_at: T0, updated_at: T2, ended_at: null,
      });
      await old('instances').insert([instance('back', '建议 第2026001号', 'draft'), instance('fwd', '建议 第2026002号', 'review')]);
      const task = (id: string, instanceId: string, state: string, visit: number, status: string, createdAt: string) => ({
        id, instance_id: instanceId, state, visit, grp: 'main', seq: 0, title: '', kind: 'task', status, created_at: createdAt, assignee_id: 'u',
      });
      await old('tasks').insert([
        task('draft-1', 'back', 'draft', 1, 'done', T0),
        task('review-1', 'back', 'review', 1, 'done', T1),
        task('draft-2', 'back', 'draft', 2, 'open', T2),
        task('draft-f', 'fwd', 'draft', 1, 'done', T0),
        task('review-f', 'fwd', 'review', 1, 'open', T1),
      ]);
      const event = (instanceId: string, seq: number, at: string, type: string, from: string | null, to: string) => ({
        instance_id: instanceId, seq, at, type, from_state: from, to_state: to, payload: '{}',
      });
      await old('events').insert([
        event('back', 1, T0, 'instance.started', null, 'draft'),
        event('back', 2, T1, 'task.completed', 'draft', 'review'),
        event('back', 3, T2, 'task.returned', 'review', 'draft'),
        event('fwd', 1, T0, 'instance.started', null, 'draft'),
        event('fwd', 2, T1, 'task.completed', 'draft', 'review'),
      ]);
    } finally {
      await old.destroy();
    }
    const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
    try {
      const rows: { id: string; returned: unknown }[] = await db('tasks').select('id', 'returned').orderBy('id');
      expect(Object.fromEntries(rows.map((r) => [r.id, Boolean(r.returned)]))).toEqual({
        'draft-1': false, 'review-1': false, 'draft-2': true, 'draft-f': false, 'review-f': false,
      });
    } finally {
      await db.destroy();
      await place.cleanup();
    }
  });
});

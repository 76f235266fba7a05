// 008_covering_inbox_indexes.ts: every page counts 待办 and 已办 for its badges (capped at 100),
// and each count read the task rows themselves: the partial indexes of 待办 lack `kind` (the
// 抄送 copies are open tasks too) and `tasks_completed_by_idx` lacks `status` and `kind`, so each
// count looked up to a hundred rows in the table, one B-tree descent each. With those columns at
// the end of the indexes the counts are read from the indexes alone (SQLite: COVERING INDEX),
// in the same order the lists read them, so the lists' plans are unchanged. 待办 is counted per
// index range and summed (process/tasks.ts `openCount`): an `or` of the ranges made SQLite read
// each row to check the other terms.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function recreate(db: Knex, name: string, definition: string): Promise<void> {
  await db.raw(`drop index if exists ${name}`);
  await db.raw(`create index ${name} on ${definition}`);
}

async function up(db: Knex): Promise<void> {
  await recreate(db, 'tasks_open_assignee_idx', `tasks (assignee_id, created_at, kind) where status = 'open'`);
  // `assignee_id` is null in every entry, but SQLite checks a query's `assignee_id is null` on
  // the row unless the index carries the column.
  await recreate(db, 'tasks_open_role_idx', `tasks (role, org_id, created_at, kind, assignee_id) where status = 'open' and assignee_id is null`);
  await recreate(db, 'tasks_completed_by_idx', 'tasks (completed_by, completed_at, status, kind)');
}

async function down(db: Knex): Promise<void> {
  await recreate(db, 'tasks_open_assignee_idx', `tasks (assignee_id, created_at) where status = 'open'`);
  await recreate(db, 'tasks_open_role_idx', `tasks (role, org_id, created_at) where status = 'open' and assignee_id is null`);
  await recreate(db, 'tasks_completed_by_idx', 'tasks (completed_by, completed_at)');
}

export const coveringInboxIndexes: Migration = { up, down };

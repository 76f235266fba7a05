// 024_role_inbox_order.ts: PostgreSQL reads a role's 待办 in order from an index of its own.
//
// 待办 reads each branch's first rows newest first straight off its index range (process/tasks.ts
// inboxPage). A role's tasks for any org are the range `role = ? and org_id is null` of
// tasks_open_role_idx (role, org_id, created_at, …). SQLite walks that range in created_at order;
// PostgreSQL does not take `org_id is null` as fixing the column for the order, so it read every
// open task of the role (4,001 for the review office at 100,000 instances, ten times as many at a
// million), sorted them and started a parallel worker to do it: 4.6 ms for the review office's
// page, growing with the data (docs/benchmarks.md, "What we tried", 23). A partial index of
// exactly that range gives the order: 0.66 ms. SQLite needs none, so it gets none (one more index
// to keep on every task written).

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

const isPostgres = (db: Knex): boolean => db.client.config.client === 'pg';

async function up(db: Knex): Promise<void> {
  if (!isPostgres(db)) return;
  await db.raw(`create index if not exists tasks_open_role_any_org_idx on tasks (role, created_at, kind) where status = 'open' and assignee_id is null and org_id is null`);
}

async function down(db: Knex): Promise<void> {
  if (!isPostgres(db)) return;
  await db.raw('drop index if exists tasks_open_role_any_org_idx');
}

export const roleInboxOrder: Migration = { up, down };

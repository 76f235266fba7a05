// 004_inbox_indexes.ts: let the inbox use the indexes made for it (measured at a million instances).
//
// `tasks_status_idx (status, instance_id)` answered nothing the other indexes could not
// (`tasks_instance_idx` serves every per-instance lookup), but without statistics the planners
// took it for the inbox: 待办 then read every open task and 已办 every done task (5.5 s for a
// viewer with 900,000), instead of the partial indexes of 002 or `tasks_completed_by_idx`.
// 抄送我的 had no index at all (a scan of every task): `tasks_cc_idx` serves its list and count.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.raw('drop index if exists tasks_status_idx');
  await db.raw(`create index tasks_cc_idx on tasks (assignee_id, created_at) where kind = 'cc'`);
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists tasks_cc_idx');
  await db.raw('create index tasks_status_idx on tasks (status, instance_id)');
}

export const inboxIndexes: Migration = { up, down };

// 006_holder_indexes.ts: the instance list (`全部事项`) of someone who sees instances by
// involvement only (a deputy: what they started, hold or held) now starts from their own tasks
// (process/instances.ts `involvedInstances`) instead of reading every instance newest first and
// asking each whether they are involved: at a million instances a deputy with 300 tasks waited
// 1.3 s for the first page. Their tasks are found by assignee and, for tasks offered to a role
// (审查交办), by role and org: the open ones and the 抄送 copies through the inbox's partial
// indexes, the others through these two; `tasks_completed_by_idx` serves `completed_by`.
// Read newest first, the list decides from `instances_updated_idx` alone, which now carries the
// workflow and the initiator, whether a row is one of the viewer's whole workflows or their own,
// and reads the row only then: 9,000 bills changed just before, which the review office does not
// see, cost 6-10 ms a page to pass over row by row, 1 ms in the index.
// A list filtered to one workflow reads that workflow's instances newest first
// (`instances_wf_updated_idx`) instead of sorting all of them: `instances_wf_status_idx` has the
// status between the two.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  // Partial, beside the open and 抄送 ones (migrations 002, 004) that the inbox reads: an index
  // on every task of an assignee was also usable for the inbox's counts, and SQLite then chose
  // it, reading a holder's finished tasks to count the open ones.
  await db.raw(`create index tasks_assignee_idx on tasks (assignee_id, instance_id) where status <> 'open' and kind <> 'cc'`);
  await db.raw(`create index tasks_role_idx on tasks (role, org_id, instance_id) where assignee_id is null and status <> 'open'`);
  await db.raw('create index instances_wf_updated_idx on instances (workflow_id, updated_at)');
  await db.raw('drop index if exists instances_updated_idx');
  await db.raw('create index instances_updated_idx on instances (updated_at, workflow_id, initiator_id)');
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists instances_updated_idx');
  await db.raw('create index instances_updated_idx on instances (updated_at)');
  await db.raw('drop index if exists instances_wf_updated_idx');
  await db.raw('drop index if exists tasks_role_idx');
  await db.raw('drop index if exists tasks_assignee_idx');
}

export const holderIndexes: Migration = { up, down };

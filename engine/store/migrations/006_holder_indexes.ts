// 006_holder_indexes.ts: the instance list (`全部事项`) of someone who sees instances by
// involvement only (a deputy: what they started, hold or held) now starts from their own tasks
// (process/instances.ts `involvedInstances`) instead of reading every instance newest first and
// asking each whether they are involved: at a million instances a deputy with 300 tasks waited
// 1.3 s for the first page. Their tasks are found by assignee (any status) and, for tasks offered
// to a role (审查交办), by role and org; `tasks_completed_by_idx` already serves `completed_by`.
// A list filtered to one workflow reads that workflow's instances newest first
// (`instances_wf_updated_idx`) instead of sorting all of them: `instances_wf_status_idx` has the
// status between the two.

import type { Knex } from 'knex';
import type { Migration } from './index.ts';

async function up(db: Knex): Promise<void> {
  await db.raw('create index tasks_assignee_idx on tasks (assignee_id, instance_id)');
  await db.raw('create index tasks_role_idx on tasks (role, org_id, instance_id) where assignee_id is null');
  await db.raw('create index instances_wf_updated_idx on instances (workflow_id, updated_at)');
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists instances_wf_updated_idx');
  await db.raw('drop index if exists tasks_role_idx');
  await db.raw('drop index if exists tasks_assignee_idx');
}

export const holderIndexes: Migration = { up, down };

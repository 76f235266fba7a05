// 005_involvement_index.ts: the list of instances a viewer may see (`全部事项`) checks, for
// every instance outside their whole-workflow scope, whether they hold, held or completed one of
// its tasks (process/instances.ts `involvement`). That check read each task row of the instance;
// with the columns it asks about in `tasks_instance_idx` it reads the index alone. Measured at a
// million instances (docs/benchmarks.md): a list page for the review office 130 -> 45 ms.
// Every per-instance lookup keeps its prefix (instance_id, state, visit).

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.raw('drop index if exists tasks_instance_idx');
  await db.raw('create index tasks_instance_idx on tasks (instance_id, state, visit, assignee_id, completed_by, role, org_id)');
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists tasks_instance_idx');
  await db.raw('create index tasks_instance_idx on tasks (instance_id, state, visit)');
}

export const involvementIndex: Migration = { up, down };

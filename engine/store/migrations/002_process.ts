// 002_process.ts: running processes: definitions, instances, tasks, the event history, timers and files.
//
// Times are ISO 8601 UTC strings, JSON lives in text columns, so one schema runs on SQLite and
// PostgreSQL. `events` is append-only: nothing in engine/store updates or deletes it.
// Room for issue 5: timers carry lease_owner/lease_until so several processes can lease them
// (`FOR UPDATE SKIP LOCKED` on PostgreSQL); the partial indexes below keep the inbox and the
// timer scan fast at a million rows.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('definitions', (t) => {
    t.increments('pk').primary();
    t.string('kind', 16).notNullable(); // workflow | form | calendar
    t.string('id', 100).notNullable();
    t.integer('version').notNullable();
    t.text('text').notNullable();
    t.string('hash', 64).notNullable(); // hex sha256 of text
    t.string('created_at', 32).notNullable();
    // Issue 4 (publish): author and message of a version; null for shipped files.
    t.string('author_id', 64).nullable();
    t.text('message').nullable();
    t.unique(['kind', 'id', 'version'], { indexName: 'definitions_kind_id_version_uq' });
  });
  await db.schema.createTable('sequences', (t) => {
    t.string('name', 100).primary(); // e.g. suggestion:2026
    t.integer('value').notNullable();
  });
  await db.schema.createTable('instances', (t) => {
    t.string('id', 64).primary();
    t.string('number', 32).notNullable(); // human number per workflow and year, 2026-0001
    t.string('workflow_id', 100).notNullable();
    t.integer('workflow_version').notNullable();
    t.string('title', 500).notNullable().defaultTo('');
    t.string('state', 200).notNullable();
    t.string('status', 16).notNullable(); // draft | active | completed | cancelled | terminated
    t.string('initiator_id', 64).notNullable();
    t.string('initiator_org', 64).notNullable();
    t.text('data').notNullable().defaultTo('{}');
    t.text('snapshot').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.string('parent_id', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('ended_at', 32).nullable();
    t.index(['workflow_id', 'status', 'updated_at'], 'instances_wf_status_idx');
    t.index(['initiator_id', 'updated_at'], 'instances_initiator_idx');
    t.index(['updated_at'], 'instances_updated_idx');
    t.index(['parent_id'], 'instances_parent_idx');
  });
  await db.schema.createTable('tasks', (t) => {
    t.string('id', 64).primary();
    t.string('instance_id', 64).notNullable().references('id').inTable('instances');
    t.string('state', 200).notNullable();
    t.integer('visit').notNullable(); // visits.<state> when it was entered: tasks of an earlier visit are history
    t.string('grp', 100).notNullable();
    t.text('item').nullable(); // JSON of the for_each element
    t.integer('seq').notNullable().defaultTo(0);
    t.string('title', 500).notNullable().defaultTo('');
    t.string('role', 64).nullable();
    t.string('org_id', 64).nullable();
    t.string('assignee_id', 64).nullable();
    t.string('kind', 16).notNullable(); // task | cc | delegated | signer
    t.string('owner_task_id', 64).nullable();
    t.string('status', 16).notNullable(); // open | done | cancelled | waiting
    t.string('outcome', 100).nullable();
    t.string('created_at', 32).notNullable();
    t.string('due_at', 32).nullable();
    t.string('completed_at', 32).nullable();
    t.string('completed_by', 64).nullable();
    t.string('on_behalf_of', 64).nullable();
    t.text('draft').nullable(); // JSON of saved input, and a helper's answer (委派)
    t.string('read_at', 32).nullable();
    t.boolean('overdue').notNullable().defaultTo(false);
    t.index(['instance_id', 'state', 'visit'], 'tasks_instance_idx');
    t.index(['completed_by', 'completed_at'], 'tasks_completed_by_idx');
  });
  await db.schema.createTable('events', (t) => {
    t.increments('id').primary();
    t.string('instance_id', 64).notNullable().references('id').inTable('instances');
    t.integer('seq').notNullable();
    t.string('at', 32).notNullable();
    t.string('actor_id', 64).nullable(); // null: 系统
    t.string('on_behalf_of', 64).nullable();
    t.string('type', 64).notNullable();
    t.string('task_id', 64).nullable();
    t.string('from_state', 200).nullable();
    t.string('to_state', 200).nullable();
    t.text('payload').notNullable().defaultTo('{}');
    t.unique(['instance_id', 'seq'], { indexName: 'events_instance_seq_uq' });
  });
  await db.schema.createTable('timers', (t) => {
    t.string('id', 64).primary();
    t.string('instance_id', 64).notNullable().references('id').inTable('instances');
    t.string('task_id', 64).nullable();
    t.string('state', 200).notNullable();
    t.integer('visit').notNullable();
    t.string('kind', 16).notNullable(); // deadline | remind | escalate
    t.string('fire_at', 32).notNullable();
    t.string('status', 16).notNullable(); // pending | fired | cancelled
    t.text('payload').notNullable().defaultTo('{}');
    t.string('lease_owner', 64).nullable();
    t.string('lease_until', 32).nullable();
    t.string('fired_at', 32).nullable();
    t.index(['instance_id', 'status'], 'timers_instance_idx');
  });
  await db.schema.createTable('files', (t) => {
    t.string('id', 64).primary();
    t.string('instance_id', 64).nullable();
    t.string('field', 100).notNullable();
    t.string('name', 255).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size').notNullable();
    t.string('path', 1000).notNullable();
    t.string('uploaded_by', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['instance_id'], 'files_instance_idx');
  });
  // Partial indexes: the inbox only ever asks for open work, the scheduler only for pending timers.
  await db.raw(`create index tasks_open_assignee_idx on tasks (assignee_id, created_at) where status = 'open'`);
  await db.raw(`create index tasks_open_role_idx on tasks (role, org_id, created_at) where status = 'open' and assignee_id is null`);
  await db.raw(`create index tasks_status_idx on tasks (status, instance_id)`);
  await db.raw(`create index timers_due_idx on timers (fire_at) where status = 'pending'`);
}

async function down(db: Knex): Promise<void> {
  for (const table of ['files', 'timers', 'events', 'tasks', 'instances', 'sequences', 'definitions']) {
    await db.schema.dropTableIfExists(table);
  }
}

export const processes: Migration = { up, down };

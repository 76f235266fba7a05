// 015_new_processes.ts: processes created in the studio (issue 13, part 8). `definition_stubs` holds a
// new workflow's or form's text until its first version is published (only the studio shows it; the
// row is deleted in the publishing transaction). `disabled_workflows` lists the workflows that may
// not be started (停用); `definition_audit` records who created, disabled or enabled what, and when.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('definition_stubs', (t) => {
    t.string('kind', 16).notNullable();
    t.string('id', 100).notNullable();
    t.text('text').notNullable();
    t.string('title', 200).notNullable();
    t.string('source_id', 100).nullable(); // the definition it was copied from; null: blank
    t.string('author_id', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.primary(['kind', 'id']);
  });
  await db.schema.createTable('disabled_workflows', (t) => {
    t.string('id', 100).primary();
    t.string('actor_id', 64).notNullable();
    t.string('at', 32).notNullable();
  });
  await db.schema.createTable('definition_audit', (t) => {
    t.increments('seq').primary();
    t.string('kind', 16).notNullable();
    t.string('id', 100).notNullable();
    t.string('action', 16).notNullable(); // create | disable | enable
    t.string('actor_id', 64).notNullable();
    t.string('at', 32).notNullable();
    t.string('note', 500).nullable();
    t.index(['kind', 'id'], 'definition_audit_def_idx');
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('definition_audit');
  await db.schema.dropTableIfExists('disabled_workflows');
  await db.schema.dropTableIfExists('definition_stubs');
}

export const newProcesses: Migration = { up, down };

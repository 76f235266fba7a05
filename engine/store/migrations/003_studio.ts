// 003_studio.ts: the admin studio: who owns each definition version, the district's own text
// beside the effective one, and per-admin drafts. 002 already holds author_id and message.
//
// `text` stays what runs (for a district: the effective definition, without `extends:`), so an
// instance keeps running on it whatever the city publishes later; `source_text` is what the
// district's admin wrote and edits (null when it equals `text`).

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('definitions', (t) => {
    t.string('owner', 64).nullable(); // org id whose admins may edit it; null: the city
    t.text('source_text').nullable();
    t.string('parent_id', 100).nullable(); // the workflow a district's version was merged from
    t.integer('parent_version').nullable();
  });
  await db.schema.createTable('definition_drafts', (t) => {
    t.string('kind', 16).notNullable();
    t.string('id', 100).notNullable();
    t.string('author_id', 64).notNullable();
    t.text('text').notNullable();
    t.integer('base_version').notNullable(); // the version the draft was started from
    t.string('updated_at', 32).notNullable();
    t.primary(['kind', 'id', 'author_id']);
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('definition_drafts');
  await db.schema.alterTable('definitions', (t) => {
    t.dropColumn('parent_version');
    t.dropColumn('parent_id');
    t.dropColumn('source_text');
    t.dropColumn('owner');
  });
}

export const studio: Migration = { up, down };

// 017_directory_data.ts: the directory as data (issue 13). People gain a phone, a deputy level,
// a constituency, a disabled flag and a forced password change; orgs can be disabled; roles can be
// declared at run time beside directory/roles.yaml; named member groups (常委会组成人员, 民情联络员 …)
// hold members, each optionally working for a deputy; every change is kept in `directory_changes`
// (never deleted), and each import in `directory_imports`.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orgs', (t) => {
    t.boolean('disabled').notNullable().defaultTo(false);
    t.string('updated_at', 32).nullable();
  });
  await db.schema.alterTable('users', (t) => {
    t.string('phone', 32).nullable();
    t.string('deputy_level', 16).nullable(); // national | provincial | city | county | township
    t.string('constituency', 200).nullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.string('updated_at', 32).nullable();
  });
  await db.schema.createTable('roles', (t) => {
    t.string('id', 64).primary();
    t.string('label', 100).notNullable();
    t.string('description', 500).notNullable().defaultTo('');
    t.string('created_at', 32).notNullable();
    t.string('created_by', 64).nullable();
  });
  await db.schema.createTable('member_groups', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    t.string('description', 500).notNullable().defaultTo('');
    t.string('owner_org', 64).nullable(); // null: the city's; a district id: that district's
    t.boolean('disabled').notNullable().defaultTo(false);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).nullable();
  });
  await db.schema.createTable('group_members', (t) => {
    t.string('group_id', 64).notNullable().references('id').inTable('member_groups');
    t.string('user_id', 64).notNullable().references('id').inTable('users');
    t.string('works_for', 64).nullable(); // the deputy this member works for (民情联络员)
    t.integer('sort').notNullable().defaultTo(0);
    t.primary(['group_id', 'user_id']);
    t.index(['user_id'], 'group_members_user_idx');
    t.index(['works_for'], 'group_members_works_for_idx');
  });
  await db.schema.createTable('directory_changes', (t) => {
    t.string('id', 64).primary();
    t.string('at', 32).notNullable();
    t.string('actor_id', 64).nullable();
    t.string('actor_name', 200).notNullable().defaultTo('');
    t.string('source', 16).notNullable(); // admin | import | cli | demo
    t.string('batch_id', 64).nullable();
    t.string('entity', 16).notNullable(); // user | org | group | role
    t.string('entity_id', 64).notNullable();
    t.string('action', 32).notNullable();
    t.text('summary').notNullable().defaultTo('');
    t.text('before').nullable();
    t.text('after').nullable();
    t.index(['entity', 'entity_id', 'at'], 'directory_changes_entity_idx');
    t.index(['at'], 'directory_changes_at_idx');
    t.index(['batch_id'], 'directory_changes_batch_idx');
  });
  await db.schema.createTable('directory_imports', (t) => {
    t.string('id', 64).primary();
    t.string('at', 32).notNullable();
    t.string('actor_id', 64).nullable();
    t.string('file_name', 255).notNullable();
    t.string('sha256', 64).notNullable();
    t.string('status', 16).notNullable(); // checked | applying | applied | failed
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.index(['at'], 'directory_imports_at_idx');
  });
}

async function down(db: Knex): Promise<void> {
  for (const table of ['directory_imports', 'directory_changes', 'group_members', 'member_groups', 'roles']) {
    await db.schema.dropTableIfExists(table);
  }
  await db.schema.alterTable('users', (t) => {
    t.dropColumns('phone', 'deputy_level', 'constituency', 'disabled', 'must_change_password', 'updated_at');
  });
  await db.schema.alterTable('orgs', (t) => { t.dropColumns('disabled', 'updated_at'); });
}

export const directoryData: Migration = { up, down };

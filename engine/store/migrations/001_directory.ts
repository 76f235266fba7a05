// 001_directory.ts: people and organisations, sessions, API tokens, saved phrases and out-of-office delegations.
//
// Times are ISO 8601 strings in UTC (they compare correctly as text on both SQLite and
// PostgreSQL); out-of-office dates are local business dates `YYYY-MM-DD` (Asia/Shanghai).
// JSON lives in text columns so the same schema runs on both databases.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('orgs', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    t.string('kind', 32).notNullable();
    t.string('parent_id', 64).nullable().references('id').inTable('orgs');
    t.integer('sort').notNullable().defaultTo(0);
    t.index(['parent_id', 'sort'], 'orgs_parent_idx');
    t.index(['kind'], 'orgs_kind_idx');
  });
  await db.schema.createTable('users', (t) => {
    t.string('id', 64).primary(); // the username
    t.string('name', 200).notNullable();
    t.string('org_id', 64).notNullable().references('id').inTable('orgs');
    t.text('roles').notNullable().defaultTo('[]'); // JSON array of Role
    t.string('password_hash', 255).notNullable();
    t.boolean('is_demo').notNullable().defaultTo(false);
    t.string('created_at', 32).notNullable();
    t.index(['org_id'], 'users_org_idx');
  });
  await db.schema.createTable('sessions', (t) => {
    t.string('id', 64).primary(); // random 32-byte base64url token
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('csrf_secret', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.string('last_seen_at', 32).notNullable();
    t.index(['user_id'], 'sessions_user_idx');
    t.index(['expires_at'], 'sessions_expires_idx');
  });
  await db.schema.createTable('api_tokens', (t) => {
    t.string('id', 64).primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique('api_tokens_hash_uq'); // hex sha256
    t.string('created_at', 32).notNullable();
    t.string('last_used_at', 32).nullable();
    t.index(['user_id'], 'api_tokens_user_idx');
  });
  await db.schema.createTable('phrases', (t) => {
    t.string('id', 64).primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('text', 500).notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['user_id', 'created_at'], 'phrases_user_idx');
  });
  await db.schema.createTable('out_of_office', (t) => {
    t.string('id', 64).primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('delegate_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['user_id', 'from_date'], 'ooo_user_idx');
    t.index(['delegate_id', 'from_date'], 'ooo_delegate_idx');
  });
}

async function down(db: Knex): Promise<void> {
  for (const table of ['out_of_office', 'phrases', 'api_tokens', 'sessions', 'users', 'orgs']) {
    await db.schema.dropTableIfExists(table);
  }
}

export const directory: Migration = { up, down };

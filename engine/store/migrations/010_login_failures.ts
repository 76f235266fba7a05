// 010_login_failures.ts: failed logins per user name, so that five wrong passwords in a row lock
// the name for a while (等保 asks for login-failure handling: 限制非法登录次数). Kept by name,
// not on `users`, so a name that does not exist locks the same way and the lock does not tell
// who has an account. In the database, so every server process sees the same count.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('login_failures', (t) => {
    t.string('username', 64).primary();
    t.integer('count').notNullable();
    t.string('last_at', 32).notNullable();
    t.string('locked_until', 32).nullable();
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('login_failures');
}

export const loginFailures: Migration = { up, down };

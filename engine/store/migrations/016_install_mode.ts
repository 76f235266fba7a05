// 016_install_mode.ts: `install_marks`, one row per key: `mode` says whether this database is a
// production or a rehearsal install (set once: `lvzhi admin create`, or the first rehearsal start),
// `rehearsal_clock` keeps the rehearsal clock's anchor so it never runs backwards over restarts.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('install_marks', (t) => {
    t.string('key', 40).primary();
    t.text('value').notNullable();
    t.string('set_at', 30).notNullable();
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('install_marks');
}

export const installMode: Migration = { up, down };

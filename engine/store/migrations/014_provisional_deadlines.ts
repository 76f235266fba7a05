// 014_provisional_deadlines.ts: a working-day deadline that reaches into a year the holiday
// calendar lacks is counted on weekdays and marked provisional instead of failing the action.
// To recompute it when an admin adds that year, a timer keeps what it was worked out from: the
// moment its step was entered (`started_at`) and the deadline's duration as written (`duration`,
// JSON of DurationSpec); a reminder keeps its own offset in its payload as before. The task rows
// that show the deadline carry the flag too (`due_provisional`), so the inbox marks them without
// reading timers.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('timers', (t) => {
    t.string('started_at', 32).nullable();
    t.text('duration').nullable();
    t.boolean('provisional').notNullable().defaultTo(false);
  });
  await db.schema.alterTable('tasks', (t) => {
    t.boolean('due_provisional').notNullable().defaultTo(false);
  });
  // The recompute after a calendar year is added reads only these rows.
  await db.raw(`create index timers_provisional_idx on timers (instance_id) where provisional = true and status in ('pending', 'failed')`);
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists timers_provisional_idx');
  await db.schema.alterTable('tasks', (t) => {
    t.dropColumn('due_provisional');
  });
  await db.schema.alterTable('timers', (t) => {
    t.dropColumn('provisional');
    t.dropColumn('duration');
    t.dropColumn('started_at');
  });
}

export const provisionalDeadlines: Migration = { up, down };

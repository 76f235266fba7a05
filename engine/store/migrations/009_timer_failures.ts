// 009_timer_failures.ts: a timer that fails to fire is tried again a few times, later each time,
// and then set aside as `failed` for an administrator (/admin/timers), instead of being tried on
// every tick for ever. Before, SQLite read the oldest hundred due timers each round: a hundred
// that always failed (a deadline whose next step needs a year the holiday calendar lacks) kept
// every newer timer from firing.
// `attempts` counts the failures since the timer was (re)scheduled, `last_error` says the latest;
// the wait before the next try is the lease (`lease_until`) the timer already had for PostgreSQL.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('timers', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
  });
  await db.raw(`create index timers_failed_idx on timers (fire_at) where status = 'failed'`);
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists timers_failed_idx');
  await db('timers').where('status', 'failed').update({ status: 'pending' });
  await db.schema.alterTable('timers', (t) => {
    t.dropColumn('last_error');
    t.dropColumn('attempts');
  });
}

export const timerFailures: Migration = { up, down };

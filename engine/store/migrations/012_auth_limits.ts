// 012_auth_limits.ts: API tokens get an expiry and a scope (`read`: GET only; `write`: everything).
// Tokens made before this migration keep working as they did (scope `write`) and expire 90 days
// after the upgrade, by the database's own clock, so no client breaks on the day of the upgrade.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('api_tokens', (t) => {
    t.string('expires_at', 32).nullable();
    t.string('scope', 8).notNullable().defaultTo('write');
  });
  const in90Days = db.client.config.client === 'pg'
    ? db.raw(`to_char((now() at time zone 'utc') + interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
    : db.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days')`);
  await db('api_tokens').whereNull('expires_at').update({ expires_at: in90Days });
}

async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('api_tokens', (t) => {
    t.dropColumn('expires_at');
    t.dropColumn('scope');
  });
}

export const authLimits: Migration = { up, down };

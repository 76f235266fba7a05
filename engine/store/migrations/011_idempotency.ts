// 011_idempotency.ts: submission keys (a form's one-time key, the API's Idempotency-Key header),
// one row per user and key, written in the same transaction as the start, completion or office
// action it guards, so a resubmission after a crash finds the stored result instead of making a
// second case. `fingerprint` is a hash of what was asked (same key, other body: refused);
// `result` is the answer given the first time (JSON), replayed to every repeat until `expires_at`.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('idempotency_keys', (t) => {
    t.string('user_id', 64).notNullable();
    t.string('key', 255).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.text('result').nullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable().index('idempotency_keys_expires_idx');
    t.primary(['user_id', 'key']);
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('idempotency_keys');
}

export const idempotency: Migration = { up, down };

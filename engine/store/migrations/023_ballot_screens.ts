// 023_ballot_screens.ts: the 投屏 link of a sitting (docs/ballots.md, "A screen link without login"):
// one row per sitting whose chair turned the link on, holding a random nonce. The link's token is an
// HMAC of the server secret over the sitting and the nonce, so the token itself is stored nowhere;
// a new nonce (更换链接) ends every link made before it, and deleting the row turns the link off.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('ballot_screens', (t) => {
    t.string('set_id', 36).primary();
    t.string('nonce', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('created_by', 64).notNullable();
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('ballot_screens');
}

export const ballotScreens: Migration = { up, down };

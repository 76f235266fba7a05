// 021_ballots.ts: ballots (表决) and their casts (issue 15, docs/ballots.md "Secrecy").
//
// ballots: one row per ballot, its definition frozen at opening, the salt of its envelope key while
// open, the seal once closed. ballot_electorate: who may vote, who signed in, who has voted; no time,
// no order, no choice. ballot_envelopes: a secret ballot's casts while open, each encrypted;
// emptied at close. ballot_casts: the chain, written at close for a secret ballot (in receipt-digest
// order, so the row order says nothing of arrival), at each cast for a named one.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('ballots', (t) => {
    t.string('id', 36).primary();
    // The sitting: every ballot one entry of one `ballot:` step made (one per item).
    t.string('set_id', 36).notNullable();
    t.string('instance_id', 36).notNullable().references('id').inTable('instances');
    t.string('state', 64).notNullable();
    t.integer('visit').notNullable();
    t.string('key', 64).notNullable();
    t.integer('item_index');
    t.text('item_title');
    t.string('kind', 16).notNullable();
    t.boolean('secret').notNullable();
    t.string('status', 8).notNullable();
    // The ballot as defined at entry (core fields, chair, results, closes), then frozen at opening.
    t.text('definition').notNullable();
    t.integer('members').notNullable();
    t.integer('present').notNullable().defaultTo(0);
    t.integer('cast_count').notNullable().defaultTo(0);
    // A secret ballot's half of its envelope key while open; deleted at close.
    t.string('salt', 64);
    // A named ballot's chain head while open.
    t.string('head', 64);
    t.integer('seal_count');
    t.string('seal_head', 64);
    t.text('seal_counts');
    t.string('created_at', 32).notNullable();
    t.string('opened_at', 32);
    t.string('closes_at', 32);
    t.string('closed_at', 32);
    t.string('closed_by', 16);
    t.text('close_reason');
    t.index(['instance_id']);
    t.index(['set_id']);
    t.index(['status']);
  });
  await db.schema.createTable('ballot_electorate', (t) => {
    t.string('ballot_id', 36).notNullable().references('id').inTable('ballots');
    t.string('user_id', 64).notNullable();
    t.boolean('present').notNullable().defaultTo(false);
    t.boolean('has_voted').notNullable().defaultTo(false);
    t.primary(['ballot_id', 'user_id']);
    t.index(['user_id']);
  });
  await db.schema.createTable('ballot_envelopes', (t) => {
    t.string('id', 32).primary();
    t.string('ballot_id', 36).notNullable().references('id').inTable('ballots');
    t.text('sealed').notNullable();
    t.index(['ballot_id']);
  });
  await db.schema.createTable('ballot_casts', (t) => {
    t.string('ballot_id', 36).notNullable().references('id').inTable('ballots');
    t.integer('position').notNullable();
    t.text('choice').notNullable();
    t.string('receipt', 64).notNullable();
    t.string('voter', 64);
    t.string('prev', 64).notNullable();
    t.string('digest', 64).notNullable();
    t.primary(['ballot_id', 'position']);
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('ballot_casts');
  await db.schema.dropTable('ballot_envelopes');
  await db.schema.dropTable('ballot_electorate');
  await db.schema.dropTable('ballots');
}

export const ballots: Migration = { up, down };

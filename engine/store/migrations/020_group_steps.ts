// 020_group_steps.ts: group steps at scale (issue 15 part 1, docs/group-steps.md). A member's
// answer lives on their own task (`answer`, the validated fields and opinion), the unit they count
// under is fixed at entry (`unit`), and each group of a visit keeps running counts in one
// `group_counts` row, so a member's completion touches that task and that row only.
// Existing `tasks: [{ for_each }]` groups keep their list in data.<group> and read their tasks as
// before (docs/group-steps.md "Existing for_each groups"), so nothing is backfilled here.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

/** Outcome counts n1 … n8, in the group's `outcomes:` order (a check caps a group at 8 outcomes). */
export const OUTCOME_COLUMNS = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'] as const;

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => {
    t.text('answer').nullable();
    t.string('unit', 64).nullable();
  });
  await db.schema.createTable('group_counts', (t) => {
    t.string('instance_id', 64).notNullable().references('id').inTable('instances');
    t.string('state', 200).notNullable();
    t.integer('visit').notNullable();
    t.string('grp', 100).notNullable();
    t.integer('total').notNullable();
    t.integer('open').notNullable();
    t.integer('done').notNullable().defaultTo(0);
    for (const c of OUTCOME_COLUMNS) t.integer(c).notNullable().defaultTo(0);
    t.string('closed_at', 32).nullable();
    t.string('closed_how', 16).nullable(); // rule | early | deadline | left
    t.primary(['instance_id', 'state', 'visit', 'grp'], 'group_counts_pk');
  });
  await db.schema.alterTable('tasks', (t) => {
    t.index(['instance_id', 'state', 'visit', 'grp', 'unit', 'status'], 'tasks_group_idx');
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => { t.dropIndex([], 'tasks_group_idx'); });
  await db.schema.dropTable('group_counts');
  await db.schema.alterTable('tasks', (t) => {
    t.dropColumn('answer');
    t.dropColumn('unit');
  });
}

export const groupSteps: Migration = { up, down };

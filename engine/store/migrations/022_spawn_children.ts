// 022_spawn_children.ts: a child instance remembers which step of its parent started it (issue 15
// part 6, docs/spawn.md): the parent's state, that state's visit, and the child's index in the
// `each:` list (null for the one-child form). A child that ends writes a `report` timer on its
// parent in the same transaction, so the report-back survives a crash; the parent finds a step's
// children by (parent_id, parent_state, parent_visit).

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('instances', (t) => {
    t.string('parent_state', 200).nullable();
    t.integer('parent_visit').nullable();
    t.integer('parent_item').nullable();
    t.index(['parent_id', 'parent_state', 'parent_visit'], 'instances_parent_step_idx');
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('instances', (t) => {
    t.dropIndex(['parent_id', 'parent_state', 'parent_visit'], 'instances_parent_step_idx');
    t.dropColumn('parent_item');
    t.dropColumn('parent_visit');
    t.dropColumn('parent_state');
  });
}

export const spawnChildren: Migration = { up, down };

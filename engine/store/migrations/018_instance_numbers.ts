// 018_instance_numbers.ts: an instance's number is unique within its workflow (issue 14). The
// sequence (`sequences`, one row per workflow and year) already hands out each value once; this
// index makes a second instance with the same number impossible whatever writes it. Numbers already
// given are kept as they are: they came from that sequence, so they are distinct per workflow.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('instances', (t) => {
    t.unique(['workflow_id', 'number'], { indexName: 'instances_workflow_number_uq' });
  });
}

async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('instances', (t) => {
    t.dropUnique(['workflow_id', 'number'], 'instances_workflow_number_uq');
  });
}

export const instanceNumbers: Migration = { up, down };

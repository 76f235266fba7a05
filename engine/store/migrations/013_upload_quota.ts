// 013_upload_quota.ts: the per-user upload quota sums a user's uploads of the day (and those not
// yet attached) on every upload; this index keeps that a range read of one user's rows. The
// orphan sweep reads `instance_id is null` through files_instance_idx.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.raw('create index files_uploader_idx on files (uploaded_by, created_at)');
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists files_uploader_idx');
}

export const uploadQuota: Migration = { up, down };

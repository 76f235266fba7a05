// orphan-files.ts: the periodic sweep of uploads no committed start or completion attached.
//
// Each file is removed by a delete that re-checks, in the same statement, that it is still
// unattached and old, so a file attached meanwhile stays; on PostgreSQL several processes sweep
// at once and the loser's delete simply removes 0 rows. The bytes go only after the row: a crash
// in between leaves an unreferenced file under DATA_DIR/files, never a row without its bytes.

import fs from 'node:fs/promises';
import { deleteOrphanFile, orphanFiles } from '../store/process/index.ts';
import type { RuntimeContext } from './runtime-context.ts';

const BATCH = 100;
const ROUNDS = 20;

/** Removes orphans older than the limit; returns how many this process removed. */
export async function sweepOrphanUploads(rc: RuntimeContext, now: Date): Promise<number> {
  const before = new Date(now.getTime() - rc.uploads.orphanHours * 3_600_000).toISOString();
  let removed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const due = await orphanFiles(rc.db, before, BATCH);
    for (const f of due) {
      if (!(await deleteOrphanFile(rc.db, f.id, before))) continue;
      await fs.rm(f.path, { force: true });
      removed++;
    }
    if (due.length < BATCH) break;
  }
  return removed;
}

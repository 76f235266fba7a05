// index.ts: createEngine(): load and compile every definition, open the database, record the
// definitions, seed demo data when asked, and hand back the Engine the server calls.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, openReads, openSearches, startupTurn, type Db } from './store/db.ts';
import { guardStoreErrors } from './store/faults.ts';
import { seedDemo } from './runtime/directory/import/demo.ts';
import { rehearsalClock, systemClock, type Clock, type RehearsalAnchor, type RehearsalSettings } from './runtime/clock.ts';
import { anchorRehearsal } from './runtime/rehearsal.ts';
import { directoryCache, type RuntimeContext } from './runtime/runtime-context.ts';
import { scheduleDeferredReminders } from './runtime/deferred.ts';
import { refreshCalendar } from './runtime/calendar-years.ts';
import { refreshRoles } from './runtime/directory/roles.ts';
import { loadDefinitions, recordDefinitions } from './runtime/definitions.ts';
import { buildEngine } from './runtime/engine.ts';
import type { Engine } from './runtime/types.ts';
import type { LoginLimits } from './auth/throttle.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './runtime/upload-limits.ts';

export type { Engine } from './runtime/types.ts';
export { startScheduler } from './runtime/scheduler.ts';
export { readKey as readSubmissionKey } from './runtime/idempotency.ts';
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './runtime/upload-limits.ts';
export { ADMIN_ROLE } from './dsl/roles.ts';

export interface EngineOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Where calendars/, forms/ and workflows/ are read from; default: the repository root. */
  projectDir?: string;
  now?: Clock;
  demo?: boolean;
  /** Login rate limits and hash concurrency for this process; defaults in engine/auth/throttle.ts. */
  loginLimits?: Partial<LoginLimits>;
  /** Upload quotas and the orphan timeout; unset ones keep DEFAULT_UPLOAD_LIMITS. */
  uploads?: Partial<UploadLimits>;
  /** Run on the rehearsal clock (refused on a production database: LVZ_RUN_PRODUCTION_DB). */
  rehearsal?: RehearsalSettings;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function createEngine(options: EngineOptions): Promise<Engine> {
  // Compile first: a broken definition stops the start before the database is touched.
  const loaded = loadDefinitions(options.projectDir ?? REPO_ROOT, REPO_ROOT);
  const db = await openDb({ dataDir: options.dataDir, ...(options.databaseUrl && { databaseUrl: options.databaseUrl }) });
  return engineOn(db, options, loaded);
}

/**
 * The engine on a database already opened and migrated (openDb); it owns `db` from here on and
 * destroys it on close. Every call reports database faults as LVZ_STORE_* (store/faults.ts).
 */
export async function engineOn(db: Db, options: Omit<EngineOptions, 'databaseUrl'>, loaded = loadDefinitions(options.projectDir ?? REPO_ROOT, REPO_ROOT)): Promise<Engine> {
  let now = options.now ?? systemClock;
  let rehearsal: RehearsalAnchor | undefined;
  try {
    await startupTurn(db, async (q) => {
      // First: a production database must not see a single row written at rehearsal time.
      if (options.rehearsal) {
        rehearsal = await anchorRehearsal(q, options.rehearsal);
        now = rehearsalClock(rehearsal);
      }
      await recordDefinitions(q, loaded, now());
    });
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const reads = openReads(db);
  const searches = openSearches(db, reads);
  const close = async (): Promise<void> => {
    if (searches !== reads) await searches.destroy();
    if (reads !== db) await reads.destroy();
    await db.destroy();
  };
  const rc: RuntimeContext = {
    db, reads, searches, now, calendar: loaded.calendar, calendarBase: loaded.calendarYears, registry: loaded.registry, dataDir: path.resolve(options.dataDir),
    uploads: { ...DEFAULT_UPLOAD_LIMITS, ...options.uploads },
    ...directoryCache(reads, now),
  };
  try {
    // Reminders an older version left waiting for the calendar are dated (estimated if need be);
    // then the years entered in the studio are loaded and provisional deadlines recomputed, which
    // also settles those a year newly added to calendars/cn.yaml covers.
    await scheduleDeferredReminders(rc);
    await refreshCalendar(rc);
    await refreshRoles(rc.reads, rc.registry);
    // The demo directory is a file loaded through the import (runtime/directory/import/demo.ts).
    if (options.demo) await seedDemo(rc);
  } catch (e) {
    await close();
    throw e;
  }
  return guardStoreErrors(buildEngine(rc, close, options.loginLimits, { demo: !!options.demo, rehearsal }));
}

// rehearsal.ts: start a rehearsal install's clock (docs/deploy.md, Rehearsal installs). Refused on
// a production database; the first rehearsal start marks the database as a rehearsal one. The
// anchor is kept in the database, so every process (and every restart) reads the same time, and a
// restart never sets the clock back: it runs on from where it is, or jumps to a later START.

import type { Knex } from 'knex';
import { listUsers } from '../store/directory.ts';
import { getMark, installMode, markOnce, setMark } from '../store/install-marks.ts';
import { realNow, rehearsalTimeAt, type RehearsalAnchor, type RehearsalSettings } from './clock.ts';
import { productionDatabase } from './first-admin.ts';

const ANCHOR = 'rehearsal_clock';

function readAnchor(raw: string | undefined): RehearsalAnchor | undefined {
  if (!raw) return undefined;
  const a = JSON.parse(raw) as Partial<RehearsalAnchor>;
  return typeof a.real === 'number' && typeof a.at === 'number' && typeof a.speed === 'number' ? (a as RehearsalAnchor) : undefined;
}

/** Checks the database may rehearse, marks it, and returns the anchor of its clock from now on. */
export async function anchorRehearsal(db: Knex, settings: RehearsalSettings): Promise<RehearsalAnchor> {
  const real = realNow();
  const mode = await installMode(db);
  if (mode === 'production') throw productionDatabase();
  // Unmarked but with real (non-demo) accounts: a production install from before the mark existed.
  if (mode === undefined && (await listUsers(db)).some((u) => !u.isDemo)) throw productionDatabase();
  await markOnce(db, 'mode', 'rehearsal', new Date(real));
  const before = readAnchor(await getMark(db, ANCHOR));
  const running = before ? rehearsalTimeAt(before, real) : -Infinity;
  const anchor: RehearsalAnchor = { real, at: Math.max(running, settings.start), speed: settings.speed };
  await setMark(db, ANCHOR, JSON.stringify(anchor), new Date(real));
  return anchor;
}

/** True when the database was marked as a rehearsal install (a warning when served at real time). */
export async function isRehearsalDatabase(db: Knex): Promise<boolean> {
  return (await installMode(db)) === 'rehearsal';
}

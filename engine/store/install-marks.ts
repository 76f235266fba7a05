// install-marks.ts: all SQL for `install_marks` (migration 016): small facts about this database
// as an install (production or rehearsal, the rehearsal clock's anchor).

import type { Db } from './db.ts';

export type InstallMode = 'production' | 'rehearsal';

export async function getMark(db: Db, key: string): Promise<string | undefined> {
  const r = (await db('install_marks').where({ key }).first()) as { value: string } | undefined;
  return r?.value;
}

/** Sets the mark unless one is there; returns the value now stored (the first one wins). */
export async function markOnce(db: Db, key: string, value: string, now: Date): Promise<string> {
  await db('install_marks').insert({ key, value, set_at: now.toISOString() }).onConflict('key').ignore();
  return (await getMark(db, key))!;
}

export async function setMark(db: Db, key: string, value: string, now: Date): Promise<void> {
  await db('install_marks').insert({ key, value, set_at: now.toISOString() }).onConflict('key').merge(['value', 'set_at']);
}

export async function installMode(db: Db): Promise<InstallMode | undefined> {
  const m = await getMark(db, 'mode');
  return m === 'production' || m === 'rehearsal' ? m : undefined;
}

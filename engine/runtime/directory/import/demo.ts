// demo.ts: the demo directory (demo-files.ts) loaded through the import on the first demo start.
// The accounts share the published demo password (store/seed/demo.ts) and are marked as demo
// accounts for the login page.

import type { Knex } from 'knex';
import { DEMO_PASSWORD } from '../../../store/seed/demo.ts';
import { hashPassword } from '../../../auth/password.ts';
import { directoryCache, type RuntimeContext } from '../../runtime-context.ts';
import { seedDemoDirectory } from './index.ts';
import { demoFiles, shippedRoles } from './demo-files.ts';

// One hash for all demo accounts: they share a published password anyway, and hashing forty
// times with scrypt would make every test that seeds a fresh database a few seconds slower.
let demoHash: Promise<string> | undefined;

export function demoPasswordHash(): Promise<string> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  return demoHash;
}

/** Creates the demo directory unless the database already has people; returns whether it did. */
export async function seedDemo(rc: RuntimeContext): Promise<boolean> {
  return seedDemoDirectory(rc, demoFiles(), await demoPasswordHash());
}

/**
 * The same on a bare database, for store tests and tools that start no engine: the import needs
 * only the database, the clock and the shipped roles of the context, which is all this one has.
 */
export async function seedDemoDatabase(db: Knex, now: Date): Promise<boolean> {
  const roles = shippedRoles();
  const registry = { workflows: new Map(), latest: new Map(), forms: new Map(), roles, shippedRoles: roles, unloadable: new Map() };
  const rc = { db, reads: db, now: () => now, registry, ...directoryCache(db, () => now) } as unknown as RuntimeContext;
  return seedDemo(rc);
}

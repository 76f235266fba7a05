// directory-cache.test.ts: the picker directory is read once for the requests that find it
// expired together, and a change (refreshDirectory) is never undone by a read that began before it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { insertOrgs, insertUsers } from '../../../engine/store/directory.ts';
import { directoryCache } from '../../../engine/runtime/runtime-context.ts';

let t: TestDb;
let at = Date.UTC(2026, 11, 3, 9);
const now = () => new Date(at);

beforeAll(async () => {
  t = await openTestDb();
  await insertOrgs(t.db, [{ id: 'org-a', name: '甲单位', kind: 'unit', parentId: null }]);
  await insertUsers(t.db, [{ id: 'u1', name: '张三', orgId: 'org-a', roles: ['deputy'], passwordHash: 'x' }], now());
});
afterAll(async () => { await t.cleanup(); });

/** How many times the users table is read while `run` runs. */
async function userReads(run: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const listen = (q: { sql: string }) => { if (/from [`"]users[`"]/.test(q.sql)) n++; };
  t.db.on('query', listen);
  try {
    await run();
  } finally {
    t.db.removeListener('query', listen);
  }
  return n;
}

describe('the directory cache', () => {
  it('reads once for twenty requests that find it expired together, then serves them all from it', async () => {
    const cache = directoryCache(t.db, now);
    expect(await userReads(() => Promise.all(Array.from({ length: 20 }, () => cache.names())))).toBe(1);
    expect(await userReads(() => cache.directory())).toBe(0);
    at += 31_000; // past the 30 s it keeps the directory
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? cache.names() : cache.directory())));
    expect(all).toHaveLength(20);
    expect(await userReads(async () => { at += 31_000; await Promise.all([cache.names(), cache.directory(), cache.snapshot()]); })).toBe(1);
  });

  it('does not keep a read that began before a change: the next request reads again', async () => {
    const cache = directoryCache(t.db, now);
    at += 31_000;
    // The directory changes (refreshDirectory, as every directory write calls after it commits)
    // while a read of it is under way: that read may hold the old people.
    let changed = false;
    const change = (q: { sql: string }) => { if (!changed && /from [`"]users[`"]/.test(q.sql)) { changed = true; cache.refreshDirectory(); } };
    t.db.on('query', change);
    try {
      await cache.names();
    } finally {
      t.db.removeListener('query', change);
    }
    expect(changed).toBe(true);
    expect(await userReads(() => cache.names())).toBe(1);
    expect(await userReads(() => cache.names())).toBe(0);
  });
});

// store-full.test.ts: a full disk under SQLite. SQLite's `PRAGMA max_page_count` on the server's
// own connection makes the database file unable to grow, which is what a full volume does
// (SQLITE_FULL): a submission then gets 507 LVZ_STORE_FULL with a message saying nothing was
// saved, the transaction leaves nothing behind, and the server keeps serving reads; once there is
// room again, the same submission goes through.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineOn } from '../../engine/index.ts';
import { openDb, type Db } from '../../engine/store/db.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import { buildApp } from '../../server/app.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { halfApplied } from '../helpers/invariants.ts';
import { loginAs } from '../helpers/http.ts';
import { api, apiToken } from '../helpers/spawn.ts';

let place: TestDatabase;
let db: Db;
let engine: Engine;
let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  place = await testDatabase('sqlite', 'lvzhi-full-');
  db = await openDb({ dataDir: place.dataDir });
  engine = await engineOn(db, { dataDir: place.dataDir, demo: true, now: () => new Date('2026-03-02T01:00:00Z') });
  app = await buildApp({ engine, dataDir: place.dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app?.close();
  await engine?.close();
  await place?.cleanup();
});

async function count(table: string): Promise<number> {
  const [{ n }] = await db(table).count({ n: '*' });
  return Number(n);
}

describe('a full disk on SQLite', () => {
  it('fails a submission with 507 and a clear message, keeps nothing of it, and goes on serving reads', async () => {
    const token = await apiToken(base, 'deputy1');
    const page = await loginAs(base, 'deputy1');
    const body = { event: 'submit', data: { title: '磁盘已满时提交', content: '内容'.repeat(2000) } };
    const before = { instances: await count('instances'), events: await count('events'), tasks: await count('tasks') };

    // The file may not grow by a single page: the engine's only connection, so this is the server's.
    const [{ page_count: pages }] = await db.raw('PRAGMA page_count');
    await db.raw(`PRAGMA max_page_count = ${Number(pages)}`);
    const full = await api(base, 'POST', '/workflows/suggestion/instances', { token, body });
    expect(full.status).toBe(507);
    expect(full.json.error.code).toBe('LVZ_STORE_FULL');
    expect(full.json.error.message).toMatch(/磁盘已满.*没有保存.*仍可查看/);
    expect({ instances: await count('instances'), events: await count('events'), tasks: await count('tasks') }).toEqual(before);

    // Reads still work: the lists, the inbox page, the JSON API.
    expect((await api(base, 'GET', '/inbox?list=todo', { token })).status).toBe(200);
    expect((await page.get('/inbox')).status).toBe(200);
    expect((await page.get('/instances')).status).toBe(200);

    // Room again: the same submission is accepted and whole.
    await db.raw('PRAGMA max_page_count = 1073741823');
    const ok = await api(base, 'POST', '/workflows/suggestion/instances', { token, body });
    expect(ok.status).toBe(201);
    expect(await halfApplied(db)).toEqual([]);
  });
});

// crash.test.ts: kill -9 a `lvzhi serve` process during a stream of submissions (API starts and
// completions from four client loops), start it again on the same database, and check that every
// acknowledged (2xx) submission is there exactly once and that no instance is half-applied
// (test/helpers/invariants.ts). Runs on the pass's database: a SQLite file, or PostgreSQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { halfApplied } from '../helpers/invariants.ts';
import { api, apiToken, spawnServer, type ServerProcess } from '../helpers/spawn.ts';

let place: TestDatabase;
let server: ServerProcess | undefined;
let db: Db | undefined;
beforeAll(async () => { place = await testDatabase(undefined, 'lvzhi-crash-'); });
afterAll(async () => {
  await server?.kill('SIGKILL');
  await db?.destroy();
  await place?.cleanup();
});

const REVIEW = { event: 'accept', opinion: '同意', data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' } };

interface Acked {
  starts: Map<string, string>; // title -> instance id
  completions: Set<string>; // task ids
}

/** One client loop: start a suggestion, and every other round accept an earlier one's review task. */
async function clientLoop(base: () => string, tokens: { deputy: string; review: string }, n: number, loop: number, acked: Acked, reviewTask: (id: string) => Promise<string | undefined>, stop: () => boolean): Promise<void> {
  const mine: string[] = [];
  for (let i = 0; i < n && !stop(); i++) {
    const title = `崩溃测试 ${loop}-${i}`;
    try {
      const r = await api(base(), 'POST', '/workflows/suggestion/instances', { token: tokens.deputy, body: { event: 'submit', data: { title, content: '内容' } } });
      if (r.status === 201) { acked.starts.set(title, r.json.instanceId); mine.push(r.json.instanceId); }
      const target = i % 2 === 1 ? mine.shift() : undefined;
      const taskId = target && await reviewTask(target);
      if (!taskId) continue;
      const task = await api(base(), 'GET', `/tasks/${taskId}`, { token: tokens.review });
      if (task.status !== 200) continue;
      const done = await api(base(), 'POST', `/tasks/${taskId}/complete`, { token: tokens.review, body: { ...REVIEW, version: task.json.version } });
      if (done.status === 200) acked.completions.add(taskId);

    } catch {
      // The server died under this request: not acknowledged, so it may or may not have happened.
    }
  }
}

describe('kill -9 during a stream of submissions', () => {
  it('keeps every acknowledged submission exactly once and leaves no instance half-applied', async () => {
    server = await spawnServer(place);
    db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
    const tokens = { deputy: await apiToken(server.base, 'deputy1'), review: await apiToken(server.base, 'review1') };
    const reviewTask = async (instanceId: string): Promise<string | undefined> =>
      (await db!('tasks').where({ instance_id: instanceId, status: 'open', state: 'review' }).first('id'))?.id;
    const acked: Acked = { starts: new Map(), completions: new Set() };
    let dead = false;
    const base = server.base;
    const loops = Promise.all([0, 1, 2, 3].map((k) => clientLoop(() => base, tokens, 50, k, acked, reviewTask, () => dead)));
    // Kill once the stream is well under way, while requests are in flight.
    while (acked.starts.size < 60) await new Promise((r) => setTimeout(r, 5));
    await server.kill('SIGKILL');
    dead = true;
    await loops;
    const ackedStarts = acked.starts.size;
    expect(ackedStarts).toBeGreaterThanOrEqual(60);
    expect(acked.completions.size).toBeGreaterThan(10);

    server = await spawnServer(place);
    // Every acknowledged start exactly once; an unacknowledged one at most once.
    const rows = await db('instances').where('title', 'like', '崩溃测试 %').select('id', 'title');
    const byTitle = new Map<string, number>();
    for (const r of rows) byTitle.set(r.title, (byTitle.get(r.title) ?? 0) + 1);
    expect([...byTitle.values()].every((n) => n === 1)).toBe(true);
    for (const [title, id] of acked.starts) expect(rows.find((r) => r.title === title)?.id, title).toBe(id);
    // Every acknowledged completion: the task is done and its history has exactly one completion.
    for (const taskId of acked.completions) {
      const task = await db('tasks').where({ id: taskId }).first('status');
      expect(task?.status, taskId).toBe('done');
      const [{ n }] = await db('events').where({ task_id: taskId, type: 'task.completed' }).count({ n: '*' });
      expect(Number(n), taskId).toBe(1);
    }
    expect(await halfApplied(db)).toEqual([]);
    // The restarted server carries on: a new start is acknowledged and whole.
    const after = await api(server.base, 'POST', '/workflows/suggestion/instances', { token: tokens.deputy, body: { event: 'submit', data: { title: '重启后', content: '内容' } } });
    expect(after.status).toBe(201);
    expect(await halfApplied(db)).toEqual([]);
  });
});

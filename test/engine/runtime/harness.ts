// harness.ts: a real engine on a fresh test database (SQLite, or PostgreSQL in the PG pass) with the
// demo directory and a clock the test moves.

import { createEngine, type Engine } from '../../../engine/index.ts';
import { DEMO_PASSWORD } from '../../../engine/store/seed/demo.ts';
import type { Actor } from '../../../engine/runtime/types.ts';
import { testDatabase, type TestDatabase } from '../../helpers/db.ts';

export interface Harness {
  engine: Engine;
  dataDir: string;
  /** Set on PostgreSQL: a second engine on the same data needs it too. */
  databaseUrl?: string;
  clock: { now: Date };
  as(username: string): Promise<Actor>;
  reopen(): Promise<Engine>;
  close(): Promise<void>;
}

const actors = new Map<string, Actor>();

export async function openHarness(opts: { start?: string; projectDir?: string; place?: TestDatabase } = {}): Promise<Harness> {
  const place = opts.place ?? await testDatabase(undefined, 'lvzhi-rt-');
  const { dataDir, databaseUrl } = place;
  // 2026-03-02 09:00 in Shanghai, a Monday with the whole year on the calendar.
  const clock = { now: new Date(opts.start ?? '2026-03-02T01:00:00Z') };
  const make = (): Promise<Engine> => createEngine({
    dataDir, now: () => clock.now, demo: true, ...(databaseUrl && { databaseUrl }), ...(opts.projectDir && { projectDir: opts.projectDir }),
  });
  const h: Harness = {
    engine: await make(),
    dataDir,
    ...(databaseUrl && { databaseUrl }),
    clock,
    async as(username) {
      const hit = actors.get(username);
      if (hit) return hit;
      const s = await h.engine.login(username, DEMO_PASSWORD);
      actors.set(username, s.actor);
      return s.actor;
    },
    async reopen() {
      await h.engine.close();
      h.engine = await make();
      return h.engine;
    },
    async close() {
      await h.engine.close();
      if (!opts.place) await place.cleanup();
    },
  };
  return h;
}

/** The one open task of `user` on `instanceId` (fails the test loudly when there is none). */
export async function taskOf(h: Harness, username: string, instanceId: string): Promise<string> {
  const actor = await h.as(username);
  const page = await h.engine.inbox(actor, 'todo', { page: 1, pageSize: 100 });
  const t = page.items.find((x) => x.instanceId === instanceId);
  if (!t) throw new Error(`${username} has no open task on ${instanceId}: ${JSON.stringify(page.items)}`);
  return t.taskId;
}

export async function versionOf(h: Harness, username: string, instanceId: string): Promise<number> {
  return (await h.engine.instance(await h.as(username), instanceId)).version;
}

export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

// backup.test.ts: SQLite online backup while the engine is writing, restore into a fresh data dir,
// and every instance with its whole history found again; the refusals that keep data safe.
// Always SQLite: PostgreSQL is backed up with pg_dump (docs/deploy.md).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupSqlite, inspectFile, restoreSqlite } from '../../../engine/store/backup.ts';
import { migrations } from '../../../engine/store/migrations/index.ts';
import type { Engine } from '../../../engine/runtime/types.ts';
import { testDatabase } from '../../helpers/db.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from '../runtime/harness.ts';

const NOW = new Date('2026-03-02T01:00:00Z');
let h: Harness;
let tmp: string;
beforeAll(async () => {
  h = await openHarness({ place: await testDatabase('sqlite', 'lvzhi-backup-') });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-backup-out-'));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(h.dataDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(title: string): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'suggestion', { event: 'submit', version: 0, input: { title, content: '内容' } });
  return instanceId;
}

/** Every instance the admin can see, with its history, as comparable plain data. */
async function everything(engine: Engine): Promise<Map<string, unknown>> {
  const admin = await engine.login('admin', 'demo').catch(() => undefined);
  const actor = admin?.actor ?? await h.as('admin');
  const page = await engine.instances(actor, { page: 1, pageSize: 200 });
  const out = new Map<string, unknown>();
  for (const item of page.items) {
    const view = await engine.instance(actor, item.instanceId);
    out.set(item.instanceId, { state: view.summary.state, version: view.version, history: view.history.map((e) => [e.seq, e.type, e.at, e.actorName, e.opinion ?? '']) });
  }
  return out;
}

describe('SQLite backup and restore', () => {
  it('backs up while the engine writes, and a restore finds every instance and its history', async () => {
    const first = await start('备份前的建议');
    const review = await h.as('review1');
    await h.engine.complete(review, await taskOf(h, 'review1', first), {
      event: 'accept', input: { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' }, opinion: '同意交办', version: await versionOf(h, 'review1', first),
    });
    for (let i = 0; i < 4; i++) await start(`备份前的建议 ${i}`);
    const file = path.join(tmp, 'online.sqlite');
    // Starts in flight while the copy is taken: each is in the copy whole or not at all.
    const [result] = await Promise.all([backupSqlite(h.dataDir, file), ...Array.from({ length: 6 }, (_, i) => start(`备份时的建议 ${i}`))]);
    expect(result.instances).toBeGreaterThanOrEqual(5);
    expect(result.bytes).toBe(fs.statSync(file).size);
    expect(result.migrations).toEqual(Object.keys(migrations).sort());

    const fresh = await testDatabase('sqlite', 'lvzhi-restored-');
    const restored = await restoreSqlite(fresh.dataDir, file, NOW);
    expect(restored.previous).toBeUndefined();
    const again = await openHarness({ place: fresh });
    try {
      const before = await everything(h.engine);
      const after = await everything(again.engine);
      expect(after.size).toBe(result.instances);
      for (const [id, state] of after) expect(state).toEqual(before.get(id));
      expect((after.get(first) as { history: unknown[] }).history.length).toBeGreaterThanOrEqual(2);
      expect([...after.keys()]).toContain(first);
    } finally {
      await again.close();
      await fresh.cleanup();
    }
  });

  it('refuses to overwrite an existing file', async () => {
    const file = path.join(tmp, 'exists.sqlite');
    fs.writeFileSync(file, 'keep me');
    expect(await codeOf(backupSqlite(h.dataDir, file))).toBe('LVZ_STORE_BACKUP');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses to restore over a database a running engine holds', async () => {
    const file = path.join(tmp, 'held.sqlite');
    await backupSqlite(h.dataDir, file);
    let message = '';
    try { await restoreSqlite(h.dataDir, file, NOW); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/正被运行中的 lvzhi 服务使用：请先停止服务/);
    expect(fs.readdirSync(h.dataDir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([]);
    expect((await h.engine.instances(await h.as('admin'), { page: 1, pageSize: 1 })).total).toBeGreaterThan(0);
  });

  it('keeps the database it replaces as lvzhi.sqlite.before-restore-<time>', async () => {
    const file = path.join(tmp, 'replace.sqlite');
    await backupSqlite(h.dataDir, file);
    const target = await testDatabase('sqlite', 'lvzhi-replace-');
    const other = await openHarness({ place: target });
    await other.close();
    const r = await restoreSqlite(target.dataDir, file, NOW);
    expect(path.basename(r.previous!)).toBe('lvzhi.sqlite.before-restore-20260302T010000Z');
    expect((await inspectFile(r.previous!)).instances).toBe(0);
    expect((await inspectFile(path.join(target.dataDir, 'lvzhi.sqlite'))).instances).toBe(r.instances);
    await target.cleanup();
  });

  it('refuses a file that is not a lvzhi database, and changes nothing', async () => {
    const text = path.join(tmp, 'notes.txt');
    fs.writeFileSync(text, 'not a database at all, just some text that is long enough');
    const target = await testDatabase('sqlite', 'lvzhi-refuse-');
    expect(await codeOf(restoreSqlite(target.dataDir, text, NOW))).toBe('LVZ_STORE_BACKUP');
    const empty = path.join(tmp, 'other.sqlite');
    const { default: knex } = await import('knex');
    const db = knex({ client: 'sqlite3', connection: { filename: empty }, useNullAsDefault: true });
    await db.raw('create table instances (id text)');
    await db.destroy();
    let message = '';
    try { await restoreSqlite(target.dataDir, empty, NOW); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/不是 lvzhi 的数据库（缺少表 knex_migrations、orgs/);
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
    await target.cleanup();
  });
});

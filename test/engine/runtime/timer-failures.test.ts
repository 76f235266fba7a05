// timer-failures.test.ts: a timer that cannot fire is tried again after a wait, set aside as
// failed after TIMER_ATTEMPTS tries (the history says so), never blocks the timers behind it,
// is listed for city administrators only, and fires once retried after the cause is fixed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../engine/index.ts';
import { openDb } from '../../../engine/store/db.ts';
import { timersOf } from '../../../engine/store/process/index.ts';
import { testDatabase } from '../../helpers/db.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** The fixture workflow with the shipped forms and calendar. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  dirs.push(dir);
  fs.cpSync(path.join(REPO_ROOT, 'forms'), path.join(dir, 'forms'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/runtime/timer-failures'), path.join(dir, 'workflows'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'calendars'), path.join(dir, 'calendars'), { recursive: true });
  return dir;
}

async function submitted(h: Harness, title: string): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'overdue', { event: 'submit', version: 0, input: { title, content: '内容' } });
  return instanceId;
}

const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

describe('timers that fail to fire', () => {
  it('are retried after a wait, set aside after three tries, listed for city admins, and fire once retried', async () => {
    const place = await testDatabase(undefined, 'lvzhi-timerfail-');
    const start = '2026-12-29T01:00:00Z';
    const h = await openHarness({ start, projectDir: project(), place });
    const timerOf = async (id: string) => {
      const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
      try {
        return (await timersOf(db, id)).find((t) => t.kind === 'deadline' && t.state === 'review')!;
      } finally {
        await db.destroy();
      }
    };
    let stuck: string;
    try {
      stuck = await submitted(h, '跨年的复核');
      const handled = await submitted(h, '随后办结的复核');
      const later = await submitted(h, '逾期即办结');
      // 2026-12-31 09:00 in Shanghai: both reviews are overdue. The first one's re-check needs a
      // lead unit nobody chose; the second one closes.
      const t0 = '2026-12-31T01:00:00Z';
      h.clock.now = at(t0);
      expect(await h.engine.fireDueTimers()).toBe(1);
      expect((await h.engine.instance(await h.as('admin'), later)).summary.state).toBe('closed');
      let t = await timerOf(stuck);
      expect(t).toMatchObject({ status: 'pending', attempts: 1 });
      expect(t.lastError).toMatch(/LVZ_RUN_UNASSIGNED/);
      expect(t.leaseUntil).toBe(at(t0, 60_000).toISOString());

      // Not again before its wait is over; then after 1 minute, then after 10 more minutes.
      expect(await h.engine.fireDueTimers()).toBe(0);
      expect((await timerOf(stuck)).attempts).toBe(1);
      h.clock.now = at(t0, 61_000);
      await h.engine.fireDueTimers();
      t = await timerOf(stuck);
      expect(t).toMatchObject({ status: 'pending', attempts: 2 });
      expect(t.leaseUntil).toBe(at(t0, 61_000 + 600_000).toISOString());
      h.clock.now = at(t0, 61_000 + 601_000);
      await h.engine.fireDueTimers();
      expect(await timerOf(stuck)).toMatchObject({ status: 'failed', attempts: 3 });
      h.clock.now = at(t0, 86_400_000);
      expect(await h.engine.fireDueTimers()).toBe(0);
      expect((await timerOf(stuck)).attempts).toBe(3);

      // One of the two is then handled by hand: leaving the step cancels its failed timer, which
      // drops off the list (nothing left to retry).
      const admin = await h.as('admin');
      expect((await h.engine.timers.overview(admin)).counts.failed).toBe(2);
      const review = await h.as('review1');
      await h.engine.complete(review, await taskOf(h, 'review1', handled), { event: 'accept', version: await versionOf(h, 'review1', handled), input: {} });
      expect((await h.engine.instance(admin, handled)).summary.state).toBe('closed');

      // The history says so; the instance still waits in review.
      const view = await h.engine.instance(await h.as('deputy1'), stuck);
      expect(view.summary.state).toBe('review');
      expect(view.history.map((e) => e.summary)).toContain('定时处理失败，已转系统管理员');

      // Administrators only, each their own district's: deputy1's case is 张店区's, none is 临淄区's.
      expect(await codeOf(h.engine.timers.overview(await h.as('review1')))).toBe('LVZ_AUTH_FORBIDDEN');
      expect((await h.engine.timers.overview(await h.as('zhangdian-admin'))).failed.map((f) => f.instanceId)).toEqual([stuck]);
      expect(await h.engine.timers.overview(await h.as('linzi-admin'))).toMatchObject({ failed: [], counts: { failed: 0 } });
      const overview = await h.engine.timers.overview(await h.as('admin'));
      expect(overview.counts).toMatchObject({ failed: 1 });
      expect(overview.failed).toHaveLength(1);
      expect(overview.failed[0]).toMatchObject({ instanceId: stuck, instanceTitle: '跨年的复核', stepTitle: '审查', kind: 'deadline', attempts: 3 });
      expect(overview.failed[0]!.lastError).toMatch(/办理单位/);
    } finally {
      await h.close();
    }

    // The cause is put right (the lead unit filled in), then an admin retries: the timer fires once.
    const fixed = await openHarness({ start: '2027-01-01T01:00:00Z', projectDir: project(), place });
    try {
      const db = await openDb({ dataDir: fixed.dataDir, ...(fixed.databaseUrl && { databaseUrl: fixed.databaseUrl }) });
      try {
        const row = await db('instances').where({ id: stuck }).first('data');
        await db('instances').where({ id: stuck }).update({ data: JSON.stringify({ ...JSON.parse(String(row.data)), lead_unit: 'city-fgw' }) });
      } finally {
        await db.destroy();
      }
      const admin = await fixed.as('admin');
      const [failed] = (await fixed.engine.timers.overview(admin)).failed;
      expect(await codeOf(fixed.engine.timers.retry(await fixed.as('review1'), failed!.id))).toBe('LVZ_AUTH_FORBIDDEN');
      await fixed.engine.timers.retry(admin, failed!.id);
      expect(await codeOf(fixed.engine.timers.retry(admin, failed!.id))).toBe('LVZ_RUN_CONFLICT'); // a second click
      expect((await fixed.engine.timers.overview(admin)).failed).toHaveLength(0);
      expect(await fixed.engine.fireDueTimers()).toBe(1);
      expect(await fixed.engine.fireDueTimers()).toBe(0);
      const view = await fixed.engine.instance(admin, stuck);
      expect(view.summary.state).toBe('recheck');
      const types = view.history.map((e) => e.type);
      expect(types.filter((x) => x === 'timer.retried')).toHaveLength(1);
      expect(view.history.find((e) => e.type === 'timer.retried')?.actorName).not.toBe('系统');
      expect(types.filter((x) => x === 'timer.deadline')).toHaveLength(1);
    } finally {
      await fixed.close();
      await place.cleanup();
    }
  });
});

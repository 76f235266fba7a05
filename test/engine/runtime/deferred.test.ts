// deferred.test.ts: a working-day deadline into a year the holiday calendar lacks is estimated on
// weekdays and marked provisional, never an error; a reminder an older version left waiting
// (`unscheduled`) is dated at start; when the year is added to calendars/cn.yaml and the server
// restarts, the provisional deadline and reminder are recomputed and the history says so.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../engine/index.ts';
import { openDb } from '../../../engine/store/db.ts';
import { timersOf, type TimerRow } from '../../../engine/store/process/index.ts';
import { testDatabase, type TestDatabase } from '../../helpers/db.ts';
import { openHarness } from './harness.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const Y2027 = '\n2027:\n  holidays:\n' +
  ['01-01', '01-02', '01-03'].map((d) => `    - { date: 2027-${d}, name: 元旦 }\n`).join('') +
  ['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((d) => `    - { date: 2027-02-${d}, name: 春节 }\n`).join('') +
  '  workdays:\n    - { date: 2027-02-20, name: 春节调休上班 }\n';

/** The fixture workflow with the shipped forms; the shipped calendar (ending 2026), or with 2027 added. */
function project(with2027: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  dirs.push(dir);
  fs.cpSync(path.join(REPO_ROOT, 'forms'), path.join(dir, 'forms'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/runtime/provisional'), path.join(dir, 'workflows'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'calendars'));
  const cal = fs.readFileSync(path.join(REPO_ROOT, 'calendars', 'cn.yaml'), 'utf8').replace(/^2027:[\s\S]*$/m, '');
  fs.writeFileSync(path.join(dir, 'calendars', 'cn.yaml'), with2027 ? cal + Y2027 : cal);
  return dir;
}

const day = (iso: string): string => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function withDb<T>(place: TestDatabase, run: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

const shown = (t: TimerRow[]) => t.filter((x) => x.status === 'pending').map((x) => [x.kind, day(x.fireAt), x.provisional]);

describe('a deadline into a year the holiday calendar lacks', () => {
  it('is estimated and marked provisional, then recomputed at start once the year is in calendars/cn.yaml', async () => {
    const place = await testDatabase(undefined, 'lvzhi-deferred-');
    const start = '2026-12-10T01:00:00Z'; // Thursday 10 December 2026
    const h = await openHarness({ start, projectDir: project(false), place });
    let id: string;
    try {
      ({ instanceId: id } = await h.engine.start(await h.as('deputy1'), 'reply', { event: 'submit', version: 0, input: { title: '限期答复', content: '……' } }));
      // 40 working days on weekdays (1 January 2027 pre-marked as 元旦): 5 February 2027.
      expect(shown(await withDb(place, (db) => timersOf(db, id)))).toEqual([['remind', '2027-02-02', true], ['deadline', '2027-02-05', true]]);
      const view = await h.engine.instance(await h.as('review1'), id);
      expect(view.openTasks[0]).toMatchObject({ provisional: true });
      const warnings = (await h.engine.warnings()).join('\n');
      expect(warnings).toMatch(/节假日安排未包含 2027 年/);
      expect(warnings).toMatch(/有 1 件的办理期限暂按工作日估算/);
      // A reminder an older version stored as waiting for the calendar (before migration 014).
      await withDb(place, (db) => db('timers').insert({
        id: randomUUID(), instance_id: id, task_id: null, state: 'reply', visit: 1, kind: 'remind', fire_at: '2027-03-01T15:59:59.999Z',
        status: 'unscheduled', payload: JSON.stringify({ before: '2 working days', remind: { text: '2 working days', amount: 2, unit: 'working_days' }, due: '2027-03-01T15:59:59.999Z' }),
      }));
    } finally {
      await h.close();
    }
    // Restart on the same database with 2027 in the file: 春节 moves the deadline to 15 February.
    const again = await openHarness({ start, projectDir: project(true), place });
    try {
      const t = await withDb(place, (db) => timersOf(db, id));
      expect(shown(t)).toEqual([['remind', '2027-02-02', false], ['deadline', '2027-02-15', false], ['remind', '2027-02-25', false]]);
      const view = await again.engine.instance(await again.as('review1'), id);
      expect(view.openTasks[0]).not.toHaveProperty('provisional');
      expect(view.openTasks[0]!.dueAt).toBe(t.find((x) => x.kind === 'deadline')!.fireAt);
      expect(view.history.filter((e) => e.type === 'deadline.recomputed').map((e) => e.summary))
        .toEqual(['节假日安排更新（办理期限按2027年节假日安排重新计算：2027年2月5日 → 2027年2月15日，催办提醒 1 条随之重新排定）']);
      expect(await again.engine.warnings()).toEqual([]);
    } finally {
      await again.close();
      await place.cleanup();
    }
  });
});

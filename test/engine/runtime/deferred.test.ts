// deferred.test.ts: a working-day reminder before a deadline in a year the holiday calendar lacks
// waits (never guessed) without blocking the step, is dated once the year is added, and the
// operator is warned from November on.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../engine/index.ts';
import { testDatabase } from '../../helpers/db.ts';
import { openHarness, taskOf, versionOf, type Harness } from './harness.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A copy of the project whose calendar stops at 2026, or also covers 2027 (made up for the test). */
function project(with2027: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  dirs.push(dir);
  for (const sub of ['workflows', 'forms']) fs.cpSync(path.join(REPO_ROOT, sub), path.join(dir, sub), { recursive: true });
  fs.mkdirSync(path.join(dir, 'calendars'));
  let cal = fs.readFileSync(path.join(REPO_ROOT, 'calendars', 'cn.yaml'), 'utf8');
  if (!/^2027:/m.test(cal) && with2027) cal += '\n2027:\n  holidays:\n    - { date: 2027-01-01, name: 元旦 }\n  workdays: []\n';
  if (!with2027) cal = cal.replace(/^2027:[\s\S]*$/m, '');
  fs.writeFileSync(path.join(dir, 'calendars', 'cn.yaml'), cal);
  return dir;
}

async function assign(h: Harness): Promise<string> {
  const deputy = await h.as('deputy1');
  const { instanceId } = await h.engine.start(deputy, 'suggestion', {
    event: 'submit', version: 0, input: { title: '关于年底增设临时停车场的建议', category: '城乡建设与管理', content: '……' },
  });
  const review = await h.as('review1');
  await h.engine.complete(review, await taskOf(h, 'review1', instanceId), {
    event: 'accept', version: await versionOf(h, 'review1', instanceId), opinion: '同意',
    input: { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' },
  });
  return instanceId;
}

describe('reminders the holiday calendar cannot date yet', () => {
  it('wait without blocking the step, warn the operator, and are dated once the year is added', async () => {
    const place = await testDatabase(undefined, 'lvzhi-deferred-');
    const start = '2026-11-23T01:00:00Z';
    const h = await openHarness({ start, projectDir: project(false), place });
    try {
      const id = await assign(h);
      // The step moved on: the three-month deadline (2027-02-23) is known; its reminder is not.
      expect((await h.engine.instance(await h.as('deputy1'), id)).summary.state).toBe('handle');
      const warnings = (await h.engine.warnings()).join('\n');
      expect(warnings).toMatch(/未覆盖 2027 年/);
      expect(warnings).toMatch(/1 条催办提醒/);
    } finally {
      await h.close();
    }
    // Restart on the same database with 2027 in the calendar: the reminder is dated, nothing waits.
    const again = await openHarness({ start, projectDir: project(true), place });
    try {
      expect(await again.engine.warnings()).toEqual([]);
    } finally {
      await again.close();
      await place.cleanup();
    }
  });
});

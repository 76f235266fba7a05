// numbers.test.ts: each workflow numbers its cases in its own `number:` format, per workflow and
// Shanghai year, and concurrent starts on two engines sharing one database never share a number.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../engine/index.ts';
import { openHarness, type Harness } from './harness.ts';

let h: Harness;
let second: Engine;
beforeAll(async () => {
  h = await openHarness({ start: '2026-12-03T01:00:00Z' });
  second = await createEngine({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }), now: () => h.clock.now });
});
afterAll(async () => { await second.close(); await h.close(); });

const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);

async function start(engine: Engine, workflow: 'suggestion' | 'bill', title: string): Promise<string> {
  const input = workflow === 'bill' ? { title, content: '案据和方案……', cosigners } : { title, content: '内容' };
  const { instanceId } = await engine.start(await h.as('deputy1'), workflow, { event: 'submit', version: 0, input });
  return (await h.engine.instance(await h.as('deputy1'), instanceId)).summary.number!;
}

describe('instance numbers', () => {
  it('a suggestion and a bill each have their own format and sequence', async () => {
    expect(await start(h.engine, 'suggestion', '关于增设公交线路的建议')).toBe('建议 第2026001号');
    expect(await start(h.engine, 'bill', '关于制定养老服务条例的议案')).toBe('议案 第2026001号');
    expect(await start(h.engine, 'suggestion', '关于改善社区照明的建议')).toBe('建议 第2026002号');
  });

  it('twenty starts at once on two engines: twenty different numbers, none skipped', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => start(i % 2 ? second : h.engine, 'suggestion', `并发编号${i}`)));
    expect([...numbers].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `建议 第2026${String(i + 3).padStart(3, '0')}号`));
  });

  it('a new Shanghai year starts again at 001, though it is still 31 December in UTC', async () => {
    h.clock.now = new Date('2026-12-31T16:30:00Z'); // 1 January 2027, 00:30 in Shanghai
    expect(await start(h.engine, 'suggestion', '新年第一件建议')).toBe('建议 第2027001号');
    expect(await start(h.engine, 'bill', '新年第一件议案')).toBe('议案 第2027001号');
  });
});

// process.test.ts: the 002_process schema and its repositories: the once-only timer claim, the
// optimistic instance update, the append-only event history, and what concurrent writers see
// (on PostgreSQL these run on a pool of several connections).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import {
  appendEvent, claimTimer, countEvents, dueTimers, getInstance, insertInstance, insertTimers, listEvents, lockInstance, nextSequence,
  updateInstance, writeTx, type InstanceRow,
} from '../../../engine/store/process/index.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t.cleanup(); });

const at = '2026-03-02T01:00:00.000Z';
const instance: InstanceRow = {
  id: 'i1', number: '2026-0001', workflowId: 'suggestion', workflowVersion: 1, title: '标题', state: 'review', status: 'active',
  initiatorId: 'deputy1', initiatorOrg: 'zhangdian-delegation', data: { title: '标题' }, snapshot: { value: 'review', tally: {}, visits: { draft: 1, review: 1 } },
  version: 1, parentId: null, createdAt: at, updatedAt: at, endedAt: null,
};

describe('process store', () => {
  it('updates an instance only at the version it was read', async () => {
    await insertInstance(t.db, instance);
    expect(await updateInstance(t.db, 'i1', 1, { state: 'handle', updatedAt: at })).toBe(true);
    expect(await updateInstance(t.db, 'i1', 1, { state: 'evaluate', updatedAt: at })).toBe(false);
    expect((await getInstance(t.db, 'i1'))).toMatchObject({ state: 'handle', version: 2 });
  });

  it('refuses a second instance with the same number in one workflow (migration 018), not in another', async () => {
    await expect(insertInstance(t.db, { ...instance, id: 'i1-copy' })).rejects.toThrow();
    await insertInstance(t.db, { ...instance, id: 'i1-bill', workflowId: 'bill' });
    expect((await getInstance(t.db, 'i1-copy'))).toBeUndefined();
  });

  it('claims a due timer once', async () => {
    await insertTimers(t.db, [{ id: 't1', instanceId: 'i1', taskId: null, state: 'handle', visit: 1, kind: 'deadline', fireAt: at, status: 'pending', payload: {}, leaseOwner: null, leaseUntil: null, firedAt: null, attempts: 0, lastError: null }]);
    expect((await dueTimers(t.db, '2026-03-03T00:00:00.000Z')).map((x) => x.id)).toEqual(['t1']);
    const claims = await Promise.all([claimTimer(t.db, 't1', at), claimTimer(t.db, 't1', at)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await dueTimers(t.db, '2026-03-03T00:00:00.000Z')).toEqual([]);
  });

  it('numbers events per instance', async () => {
    for (const type of ['instance.started', 'task.completed']) {
      await appendEvent(t.db, { instanceId: 'i1', at, actorId: 'deputy1', onBehalfOf: null, type, taskId: null, fromState: null, toState: 'review', payload: {} });
    }
    expect((await listEvents(t.db, 'i1')).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('gives concurrent starts different numbers, the first of a year included', async () => {
    const numbers = await Promise.all(Array.from({ length: 12 }, () => writeTx(t.db, (tx) => nextSequence(tx, 'race', 2026))));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await writeTx(t.db, (tx) => nextSequence(tx, 'race', 2027))).toBe(1); // a new year starts again
    expect(await writeTx(t.db, (tx) => nextSequence(tx, 'other', 2026))).toBe(1); // and so does another workflow
  });

  it('serialises concurrent events on one instance behind its lock: no lost or doubled seq', async () => {
    await Promise.all(Array.from({ length: 15 }, () => writeTx(t.db, async (tx) => {
      const inst = await lockInstance(tx, 'i1');
      const n = await countEvents(tx, 'i1', 'task.reminded');
      await appendEvent(tx, { instanceId: inst!.id, at, actorId: null, onBehalfOf: null, type: 'task.reminded', taskId: null, fromState: null, toState: null, payload: { count: n + 1 } });
    })));
    const reminded = (await listEvents(t.db, 'i1')).filter((e) => e.type === 'task.reminded');
    expect(reminded.map((e) => e.payload.count)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('never updates or deletes the event history (no such code path in engine/)', () => {
    const files = fs.readdirSync(path.resolve('engine'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(path.join('engine', f), 'utf8');
      if (/db\(\s*['"]events['"]\s*\)[^;]*\.(update|del|delete|truncate)\(/s.test(text.replace(/;/g, ';\n'))) offenders.push(f);
      if (/(update|delete\s+from)\s+events\b/i.test(text)) offenders.push(f);
      if (/dropTable(IfExists)?\(['"]events['"]\)/.test(text) && !f.includes('migrations')) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});

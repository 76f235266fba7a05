// ballots-open-index.test.ts: a member's open ballots (待办 reads them on every page) come from the few
// draft and open ballots through the status index, then one primary-key probe of the electorate each;
// the member's closed ballots, however many, are never read (docs/ballots.md, Measured).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { insertBallots, insertInstance, openBallotsOfMember, openBallotsQuery } from '../../../engine/store/process/index.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t.cleanup(); });

const at = '2026-12-01T01:00:00.000Z';
const CLOSED = 300;
const MEMBERS = 40;

describe('a member\'s open ballots', () => {
  it('reads only draft and open ballots, through the status index and the electorate\'s primary key', async () => {
    await insertInstance(t.db, {
      id: 'i1', number: '2026-0001', workflowId: 'vote', workflowVersion: 1, title: '表决', state: 'vote', status: 'active',
      initiatorId: 'staff1', initiatorOrg: 'city', data: {}, snapshot: { value: 'vote', tally: {}, visits: { vote: 1 } }, version: 1, parentId: null, createdAt: at, updatedAt: at, endedAt: null,
    });
    const members = Array.from({ length: MEMBERS }, (_, i) => `m${i}`);
    const ballot = (i: number) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, setId: `s${i}`, instanceId: 'i1', state: 'vote', visit: i + 1, key: 'v',
      itemIndex: null, itemTitle: null, kind: 'for_against', secret: true, definition: {}, members: MEMBERS,
      createdAt: `2026-${String(1 + (i % 12)).padStart(2, '0')}-01T01:00:00.${String(i % 1000).padStart(3, '0')}Z`,
    });
    // A year of sittings: 300 closed ballots the member was in, then one draft and one open.
    for (let i = 0; i < CLOSED; i += 50) await insertBallots(t.db, Array.from({ length: 50 }, (_, j) => ballot(i + j)), members);
    await t.db('ballots').update({ status: 'closed' });
    await insertBallots(t.db, [ballot(CLOSED)], members);
    await insertBallots(t.db, [ballot(CLOSED + 1)], members.slice(1));
    await t.db('ballots').where({ id: ballot(CLOSED + 1).id }).update({ status: 'open' });

    expect((await openBallotsOfMember(t.db, 'm0')).map((b) => b.id)).toEqual([ballot(CLOSED).id]);
    expect((await openBallotsOfMember(t.db, 'm1')).map((b) => b.status).sort()).toEqual(['draft', 'open']);
    expect(await openBallotsOfMember(t.db, 'nobody')).toEqual([]);

    const q = openBallotsQuery(t.db, 'm1').toSQL();
    if (t.kind === 'sqlite') {
      const plan = ((await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never[])) as { detail: string }[]).map((p) => p.detail);
      expect(plan.some((d) => /SEARCH ballots USING INDEX ballots_status_index/.test(d))).toBe(true);
      expect(plan.some((d) => /SEARCH e EXISTS USING COVERING INDEX sqlite_autoindex_ballot_electorate_1 \(ballot_id=\? AND user_id=\?\)/.test(d))).toBe(true);
      expect(plan.some((d) => /SCAN/.test(d))).toBe(false);
    } else {
      await t.db.raw('analyze ballots');
      await t.db.raw('analyze ballot_electorate');
      const plan = ((await t.db.raw(`explain ${q.sql}`, q.bindings as never[])).rows as Record<string, string>[]).map((r) => r['QUERY PLAN']!);
      expect(plan.join('\n')).toMatch(/ballots_status_index/);
      expect(plan.join('\n')).toMatch(/ballot_electorate_pkey/);
      expect(plan.join('\n')).not.toMatch(/Seq Scan/);
    }
  });
});

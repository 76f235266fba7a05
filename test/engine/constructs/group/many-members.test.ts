// many-members.test.ts: a group step for all 6,007 deputies (test/helpers/deputies.ts), with 200 of
// them answering at the same moment: every answer counted, none refused as a conflict, the instance
// version untouched, and the tables whole.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDb } from '../../../../engine/store/db.ts';
import type { Actor } from '../../../../engine/model/actor.ts';
import { DEPUTY_TOTAL, seedDeputies } from '../../../helpers/deputies.ts';
import type { TestServer } from '../../../helpers/http.ts';
import { halfApplied } from '../../../helpers/invariants.ts';
import { codeOf, openHarness, versionOf, type Harness } from '../../runtime/harness.ts';
import { groupProject } from './project.ts';

let h: Harness;
let db: Knex;

beforeAll(async () => {
  h = await openHarness({ projectDir: groupProject() });
  await seedDeputies({ dataDir: h.dataDir, clock: h.clock, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) } as TestServer);
  db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await h?.close();
});

describe('group: 6,007 members', () => {
  it('asks all 6,007 and counts 200 answers given at once without a conflict', async () => {
    const { instanceId } = await h.engine.start(await h.as('presidium1'), 'consult', { event: 'submit', version: 0, input: { title: '全体代表征求意见', content: '内容' } });
    const [asked] = await db('tasks').where({ instance_id: instanceId, state: 'ask' }).count({ n: '*' });
    expect(Number(asked!.n)).toBe(DEPUTY_TOTAL);
    const version = await versionOf(h, 'presidium1', instanceId);
    const rows = await db('tasks as t').join('users as u', 'u.id', 't.assignee_id')
      .where({ 't.instance_id': instanceId, 't.state': 'ask' }).orderBy('t.seq').limit(200)
      .select('t.id', 'u.id as user_id', 'u.name', 'u.org_id');
    // Each member as the server would pass them after their login.
    const actors = rows.map((r): Actor => ({ userId: r.user_id, username: r.user_id, name: r.name, orgId: r.org_id, orgName: '', roles: ['deputy'] }));
    const codes = await Promise.all(rows.map((r, i) => codeOf(h.engine.complete(actors[i]!, r.id, { event: i % 3 === 0 ? 'object' : 'agree', input: {}, version }))));
    expect(codes.filter((c) => c !== 'ok')).toEqual([]);
    const counts = await db('group_counts').where({ instance_id: instanceId }).first();
    expect(counts).toMatchObject({ total: DEPUTY_TOTAL, done: 200, open: DEPUTY_TOTAL - 200, n1: 133, n2: 67, closed_at: null });
    expect(await versionOf(h, 'presidium1', instanceId)).toBe(version);
    expect(await halfApplied(db)).toEqual([]);
  }, 120_000);
});

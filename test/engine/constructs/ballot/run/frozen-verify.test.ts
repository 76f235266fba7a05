// frozen-verify.test.ts: an open ballot's rules are frozen (no publish, migration, 调整办理步骤, 撤销
// under it; the directory changing does not change 应到), and `lvzhi verify` recomputes every closed
// chain: it passes untouched data, and names the ballot and row of an edited, removed or inserted
// row, a rule changed after the fact, and a printed digest that is not the stored one.

import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../../engine/store/db.ts';
import { lvzhiWith } from '../../../../helpers/cli.ts';
import { codeOf } from '../../../runtime/harness.ts';
import { ballotWorld, opened, toBallot, type BallotWorld } from './setup.ts';
import { rawDb } from './raw-db.ts';
import { ballotCore } from '../../../../../engine/constructs/index.ts';
const { castDigest } = ballotCore;

let w: BallotWorld;
let db: Db;
beforeAll(async () => {
  w = await ballotWorld(12);
  db = await rawDb(w.h);
});
afterAll(async () => {
  await db?.destroy();
  await w?.close();
});

const verify = (...args: string[]) => lvzhiWith({ env: { DATA_DIR: w.h.dataDir, DATABASE_URL: w.h.databaseUrl } }, 'verify', ...args);

describe('frozen rules', () => {
  it('refuses publish, migration, 调整办理步骤 and 撤销 while open; all go again once closed', async () => {
    const admin = await w.h.as('admin');
    const { instanceId, ballotIds: [id] } = await toBallot(w, 'vote-secret');
    const inst = await w.h.engine.instance(admin, instanceId);
    // A draft ballot does not hold the instance: 调整办理步骤 back and forth drops and remakes it.
    await w.h.engine.move(admin, instanceId, { to: 'vote', reason: '重新进入表决', version: inst.version });
    const [fresh] = (await w.h.engine.ballotsOf(w.chair, instanceId)).filter((b) => b.status === 'draft');
    expect(fresh!.ballotId).not.toBe(id);
    await opened(w, fresh!.ballotId, 10);
    await w.h.engine.castBallot(w.members[0]!, fresh!.ballotId, 'for');
    const text = fs.readFileSync('test/fixtures/runtime/ballots/vote-secret.yaml', 'utf8').replace('quorum: majority_of_members', 'quorum: none');
    const publish = () => w.h.engine.studio.publish(admin, 'workflow', 'vote-secret', { text, message: '改为不设出席人数要求', baseVersion: 1 });
    expect(await codeOf(publish())).toBe('LVZ_BALLOT_IN_PROGRESS');
    const v = (await w.h.engine.instance(admin, instanceId)).version;
    expect(await codeOf(w.h.engine.move(admin, instanceId, { to: 'draft', reason: '退回起草', version: v }))).toBe('LVZ_BALLOT_IN_PROGRESS');
    expect(await codeOf(w.h.engine.terminate(admin, instanceId, { reason: '终止', version: v }))).toBe('LVZ_BALLOT_IN_PROGRESS');
    // 应到 and 实到 as frozen at opening.
    expect(await w.h.engine.ballotView(w.chair, fresh!.ballotId)).toMatchObject({ members: 12, present: 10, status: 'open' });
    await w.h.engine.closeBallot(w.chair, fresh!.ballotId, '会议议程已到');
    expect((await publish()).version).toBe(2);
    expect(await w.h.engine.studio.migrate(admin, 'vote-secret', { from: 1, to: 2, mapping: {} })).toMatchObject({ moved: 1 });
  });
});

describe('lvzhi verify', () => {
  it('passes untouched chains and a printed digest; names an edited, removed and inserted row, a changed rule, a wrong digest', async () => {
    const { ballotIds: [secret] } = await toBallot(w, 'vote-secret');
    await opened(w, secret!, 12);
    for (const [i, m] of w.members.entries()) await w.h.engine.castBallot(m, secret!, i < 8 ? 'for' : 'against');
    await w.h.engine.closeBallot(w.chair, secret!, '会议议程已到');
    const { ballotIds: [named] } = await toBallot(w, 'vote-named');
    await opened(w, named!, 12);
    for (const m of w.members) await w.h.engine.castBallot(m, named!, 'for');
    await w.h.engine.closeBallot(w.chair, named!, '会议议程已到');
    const head = (await w.h.engine.ballotView(w.chair, secret!)).seal!;

    let r = await verify('--seal', head.code);
    expect(r.stdout).toContain('全部一致');
    expect(r.stdout).toContain(secret!);
    expect(r.code).toBe(0);
    r = await verify('--seal', 'ABCD-ABCD-ABCD-ABCD');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('不是任何已结束表决封存的摘要');

    const rows = () => db('ballot_casts').where({ ballot_id: secret! }).orderBy('position');
    const original = await rows();
    const restore = async (): Promise<void> => {
      await db('ballot_casts').where({ ballot_id: secret! }).del();
      await db('ballot_casts').insert(original);
    };
    // Edited: row 3's choice turned round.
    const third = original[2]!;
    await db('ballot_casts').where({ ballot_id: secret!, position: 3 }).update({ choice: third.choice === '"for"' ? '"against"' : '"for"' });
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`ballot ${secret!}（[^）]+）: row 3 edited: 第 3 行被改动`));
    expect(r.stdout).not.toContain(named!);
    await restore();
    // Removed: row 5 deleted and the rest moved up.
    await db('ballot_casts').where({ ballot_id: secret! }).del();
    await db('ballot_casts').insert(original.filter((c) => c.position !== 5).map((c, i) => ({ ...c, position: i + 1 })));
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/row 5 removed: 第 5 行不接续第 4 行/);
    await restore();
    // Inserted: a cast chained properly onto row 2, put in after it.
    await db('ballot_casts').where({ ballot_id: secret! }).del();
    const prev = original[1]!.digest as string;
    const extra = { ...original[1]!, choice: '"for"', receipt: 'f'.repeat(64), prev, digest: castDigest(prev, { choice: 'for', receipt: 'f'.repeat(64) }) };
    await db('ballot_casts').insert([...original.slice(0, 2), extra, ...original.slice(2)].map((c, i) => ({ ...c, position: i + 1 })));
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/row 3 inserted: 第 3 行是插入的/);
    await restore();
    // A rule changed after the fact: the genesis no longer fits row 1.
    const def = (await db('ballots').where({ id: secret! }).first()).definition as string;
    await db('ballots').where({ id: secret! }).update({ definition: def.replace('"majority_of_present"', '"two_thirds_of_present"') });
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/row 1 removed/);
    await db('ballots').where({ id: secret! }).update({ definition: def });
    r = await verify();
    expect(r.code).toBe(0);
  }, 120_000); // eight runs of the command, each a fresh node process
});

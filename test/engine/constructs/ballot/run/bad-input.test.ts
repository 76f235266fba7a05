// bad-input.test.ts: every refused ballot request names what to do in zh-CN, has a 4xx code, and
// changes nothing stored: a vote before opening and after closing, by someone outside the electorate
// or not signed in, a score out of range, 14 of 20 where 13 are allowed, a forged id, a replay;
// and the chair's rules: 签到 for others, opening, closing, quorum.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LvzError } from '../../../../../engine/errors.ts';
import { statusOf } from '../../../../../server/error-status.ts';
import type { Db } from '../../../../../engine/store/db.ts';
import { ballotWorld, opened, toBallot, type BallotWorld } from './setup.ts';
import { footprint, rawDb } from './raw-db.ts';

let w: BallotWorld;
let db: Db;
beforeAll(async () => {
  w = await ballotWorld(20);
  db = await rawDb(w.h);
});
afterAll(async () => {
  await db?.destroy();
  await w?.close();
});

/** The call is refused with `code`, a zh-CN message and a 4xx status, and nothing stored changed. */
async function refused(call: () => Promise<unknown>, code: string, words?: RegExp): Promise<LvzError> {
  const before = await footprint(db);
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(LvzError);
  const e = error as LvzError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  if (words) expect(e.message).toMatch(words);
  const status = statusOf(e.code);
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(await footprint(db)).toEqual(before);
  return e;
}

describe('bad ballot input', () => {
  it('for/against: before opening, not signed in, outside the electorate, forged ids, a replay, after closing', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    const [a, b, late] = w.members;
    await refused(() => w.h.engine.castBallot(a!, id!, 'for'), 'LVZ_BALLOT_NOT_OPEN', /尚未开始/);
    await refused(() => w.h.engine.openBallot(w.chair, id!), 'LVZ_BALLOT_NO_QUORUM', /实到 0 人/);
    await refused(() => w.h.engine.signIn(a!, id!, [b!.userId]), 'LVZ_BALLOT_NOT_CHAIR');
    await refused(() => w.h.engine.signIn(w.chair, id!, ['outsider']), 'LVZ_BALLOT_NOT_ELIGIBLE', /列席人员/);
    // A member signs themself in; the chair the others (all but `late`).
    await w.h.engine.signIn(a!, id!, [a!.userId]);
    await w.h.engine.signIn(w.chair, id!, w.members.slice(1, 15).map((m) => m.userId));
    await refused(() => w.h.engine.openBallot(a!, id!), 'LVZ_BALLOT_NOT_CHAIR');
    await w.h.engine.openBallot(w.chair, id!);
    await refused(() => w.h.engine.signIn(w.chair, id!, [late!.userId]), 'LVZ_BALLOT_NOT_OPEN', /签到已截止/);
    await refused(() => w.h.engine.castBallot(w.members[19]!, id!, 'for'), 'LVZ_BALLOT_NOT_PRESENT', /没有签到/);
    await refused(() => w.h.engine.castBallot(w.staff, id!, 'for'), 'LVZ_BALLOT_NOT_ELIGIBLE', /不在本次表决/);
    await refused(() => w.h.engine.castBallot(w.outsider, id!, 'for'), 'LVZ_RUN_NOT_FOUND', /表决不存在/);
    await refused(() => w.h.engine.castBallot(a!, '00000000-0000-4000-8000-000000000000', 'for'), 'LVZ_RUN_NOT_FOUND');
    await refused(() => w.h.engine.castBallot(a!, `${id!}' or 1=1 --`, 'for'), 'LVZ_RUN_NOT_FOUND');
    await refused(() => w.h.engine.castBallot(a!, id!, '赞成'), 'LVZ_BALLOT_BAD_CHOICE', /赞成、反对或弃权/);
    await refused(() => w.h.engine.castBallot(a!, id!, ['for']), 'LVZ_BALLOT_BAD_CHOICE');
    await w.h.engine.castBallot(a!, id!, 'for');
    await refused(() => w.h.engine.castBallot(a!, id!, 'for'), 'LVZ_BALLOT_ALREADY_VOTED', /已投票/);
    await refused(() => w.h.engine.castBallot(a!, id!, 'against'), 'LVZ_BALLOT_ALREADY_VOTED');
    await refused(() => w.h.engine.closeBallot(a!, id!), 'LVZ_BALLOT_NOT_CHAIR');
    await refused(() => w.h.engine.checkReceipt(a!, id!, '7K3QF-M2X9A-0PZRT-5HC8W'), 'LVZ_BALLOT_NOT_OPEN', /表决结束/);
    // 14 of the 15 present have not voted: closing now needs the chair's reason, refused without one.
    const e = await refused(() => w.h.engine.closeBallot(w.chair, id!), 'LVZ_RUN_REASON_REQUIRED', /还有 14 位到会人员没有投票/);
    expect(e.params).toMatchObject({ field: 'reason', notVoted: 14 });
    await refused(() => w.h.engine.closeBallot(w.chair, id!, '   '), 'LVZ_RUN_REASON_REQUIRED');
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    await refused(() => w.h.engine.castBallot(b!, id!, 'for'), 'LVZ_BALLOT_NOT_OPEN', /已经结束/);
    await refused(() => w.h.engine.closeBallot(w.chair, id!, '会议议程已到'), 'LVZ_BALLOT_NOT_OPEN');
    await refused(() => w.h.engine.openBallot(w.chair, id!), 'LVZ_BALLOT_NOT_OPEN');
  });

  it('closing needs no reason once every member present has voted', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 11);
    for (const m of w.members.slice(0, 11)) await w.h.engine.castBallot(m, id!, 'for');
    const { seals } = await w.h.engine.closeBallot(w.chair, id!);
    expect(seals[0]!.seal.count).toBe(11);
  });

  it('a score out of range or off its step, a number as words', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-score');
    await opened(w, id!, 2);
    const e = await refused(() => w.h.engine.castBallot(w.members[0]!, id!, 101), 'LVZ_BALLOT_BAD_CHOICE', /不在 0 到 100 之间/);
    expect(e.params.reason).toBe('out_of_range');
    expect((await refused(() => w.h.engine.castBallot(w.members[0]!, id!, '-1'), 'LVZ_BALLOT_BAD_CHOICE')).params.reason).toBe('out_of_range');
    expect((await refused(() => w.h.engine.castBallot(w.members[0]!, id!, 85.25), 'LVZ_BALLOT_BAD_CHOICE')).params.reason).toBe('off_step');
    expect((await refused(() => w.h.engine.castBallot(w.members[0]!, id!, '八十'), 'LVZ_BALLOT_BAD_CHOICE')).params.reason).toBe('not_a_number');
    await w.h.engine.castBallot(w.members[0]!, id!, 85);
  });

  it('14 of 20 where 13 are allowed, an option not on the list, one twice', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-choose');
    await opened(w, id!, 15);
    const options = Array.from({ length: 20 }, (_, i) => `项目${String(i + 1).padStart(2, '0')}`);
    const e = await refused(() => w.h.engine.castBallot(w.members[0]!, id!, options.slice(0, 14)), 'LVZ_BALLOT_BAD_CHOICE', /最多勾选 13 项，现勾选了 14 项：请去掉 1 项/);
    expect(e.params.reason).toBe('too_many');
    await refused(() => w.h.engine.castBallot(w.members[0]!, id!, ['项目21']), 'LVZ_BALLOT_BAD_CHOICE', /不是本次表决的候选项/);
    await refused(() => w.h.engine.castBallot(w.members[0]!, id!, ['项目01', '项目01']), 'LVZ_BALLOT_BAD_CHOICE', /只能勾选一次/);
    await w.h.engine.castBallot(w.members[0]!, id!, options.slice(0, 13));
  });
});

// kinds.test.ts: each ballot kind end to end on a real engine: a step enters its sitting, the chair
// signs members in and opens it, members vote, the chair closes it; the tally, the seal, the result in
// data.<id> and the machine's `closed` transition follow. The seeds' 4 and 7 against of 33 present.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../../runtime/harness.ts';
import { ballotWorld, opened, toBallot, type BallotWorld } from './setup.ts';

let w: BallotWorld;
beforeAll(async () => { w = await ballotWorld(40); });
afterAll(async () => { await w?.close(); });

const stateOf = async (id: string): Promise<string> => (await w.h.engine.instance(w.staff, id)).summary.state;

describe('ballot kinds', () => {
  it('for/against, secret: 33 of 40 present, 4 against and 7 abstain give 12.1% and 21.2%; receipts check; the step moves on', async () => {
    const { instanceId, ballotIds: [id] } = await toBallot(w, 'vote-secret');
    const draft = await w.h.engine.ballotView(w.chair, id!);
    expect(draft).toMatchObject({ status: 'draft', members: 40, present: 0, kind: 'for_against', secret: true, you: { mayChair: true, isMember: false } });
    expect(draft.electorate).toHaveLength(40);
    await opened(w, id!, 33);
    const receipts: string[] = [];
    for (const [i, m] of w.members.slice(0, 33).entries()) {
      const choice = i < 4 ? 'against' : i < 11 ? 'abstain' : 'for';
      const r = await w.h.engine.castBallot(m, id!, choice);
      expect(r.receipt).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
      receipts.push(r.receipt!);
    }
    const live = await w.h.engine.ballotCounts(w.chair, id!);
    expect(live).toMatchObject({ status: 'open', castCount: 33, present: 33, members: 40 });
    expect(live.tally).toBeUndefined();
    const { seals } = await w.h.engine.closeBallot(w.chair, id!, '表决完毕');
    expect(seals[0]!.seal.count).toBe(33);
    const v = await w.h.engine.ballotView(w.staff, id!);
    expect(v.status).toBe('closed');
    const t = v.tally!;
    expect(t.kind).toBe('for_against');
    if (t.kind !== 'for_against') return;
    expect(t.counts.map((c) => [c.option, c.count, c.share?.text])).toEqual([['for', 22, '66.7%'], ['against', 4, '12.1%'], ['abstain', 7, '21.2%']]);
    expect(t.passed).toBe(true);
    expect(v.seal!.code).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(v.casts).toBeUndefined();
    const check = await w.h.engine.checkReceipt(w.members[0]!, id!, receipts[0]!.toLowerCase());
    expect(check).toMatchObject({ found: true, count: 33 });
    expect((await w.h.engine.checkReceipt(w.members[0]!, id!, '00000-00000-00000-00000')).found).toBe(false);
    expect(await codeOf(w.h.engine.checkReceipt(w.members[0]!, id!, 'abc'))).toBe('LVZ_BALLOT_BAD_RECEIPT');
    expect(await stateOf(instanceId)).toBe('feedback');
    const history = JSON.stringify((await w.h.engine.instance(w.staff, instanceId)).history);
    for (const words of ['表决签到', '开始表决', '表决结束']) expect(history).toContain(words);
  });

  it('named with live results: each voter\'s choice is shown while open and after, and logged', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-named');
    await opened(w, id!, 21);
    for (const [i, m] of w.members.slice(0, 21).entries()) expect(await w.h.engine.castBallot(m, id!, i < 20 ? 'for' : 'against')).toEqual({});
    const live = await w.h.engine.ballotView(w.members[0]!, id!);
    expect(live.tally?.passed).toBe(false); // 20 of 40 is not 全体组成人员的过半数 … yet the quorum (21 > 20) is met
    expect(live.casts).toHaveLength(21);
    expect(live.casts!.find((c) => c.userId === 'm0021')!.choice).toBe('against');
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const v = await w.h.engine.ballotView(w.members[0]!, id!);
    expect(v.tally?.passed).toBe(false);
    expect(v.seal!.count).toBe(21);
  });

  it('rating: counts in scale order, yes = pass_options', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-rating');
    await opened(w, id!, 27);
    for (const [i, m] of w.members.slice(0, 27).entries()) await w.h.engine.castBallot(m, id!, i < 5 ? '不满意' : i < 11 ? '基本满意' : '满意');
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const t = (await w.h.engine.ballotView(w.chair, id!)).tally!;
    if (t.kind !== 'rating') throw new Error(t.kind);
    expect(t.counts.map((c) => [c.option, c.count, c.share?.text])).toEqual([['满意', 16, '59.3%'], ['基本满意', 6, '22.2%'], ['不满意', 5, '18.5%']]);
    expect(t.yes).toBe(22);
    expect(t.passed).toBe(true);
  });

  it('score: sum, average, range; text from a form is read as a number', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-score');
    await opened(w, id!, 3);
    await w.h.engine.castBallot(w.members[0]!, id!, '90');
    await w.h.engine.castBallot(w.members[1]!, id!, 85.5);
    await w.h.engine.castBallot(w.members[2]!, id!, '86.5');
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const t = (await w.h.engine.ballotView(w.chair, id!)).tally!;
    expect(t).toMatchObject({ kind: 'score', sum: '262.0', average: '87.33', lowest: 85.5, highest: 90, passed: null });
  });

  it('choose 13 of 20: a full list, a blank, one option as text', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-choose');
    await opened(w, id!, 30);
    const options = Array.from({ length: 20 }, (_, i) => `项目${String(i + 1).padStart(2, '0')}`);
    for (const [i, m] of w.members.slice(0, 28).entries()) await w.h.engine.castBallot(m, id!, options.slice(i % 2, 13 + (i % 2)));
    await w.h.engine.castBallot(w.members[28]!, id!, undefined);
    await w.h.engine.castBallot(w.members[29]!, id!, '项目20');
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const t = (await w.h.engine.ballotView(w.chair, id!)).tally!;
    if (t.kind !== 'choose') throw new Error(t.kind);
    expect(t.blank).toBe(1);
    expect(t.chosen).toHaveLength(12);
    expect(t.counts[0]).toMatchObject({ option: '项目02', count: 28 });
  });

  it('a roster (items): one ballot per appointee, one attendance, opened and closed together; the deadline closes it', async () => {
    const { instanceId, ballotIds } = await toBallot(w, 'vote-roster');
    expect(ballotIds).toHaveLength(3);
    const list = await w.h.engine.ballotsOf(w.chair, instanceId);
    expect(list.map((b) => b.itemTitle)).toEqual(['王一履职情况', '李二履职情况', '张三履职情况']);
    await opened(w, ballotIds[1]!, 25);
    for (const id of ballotIds) {
      const v = await w.h.engine.ballotView(w.members[0]!, id);
      expect(v).toMatchObject({ status: 'open', present: 25 });
      expect(v.closesAt).toBe('2026-12-02T01:30:00.000Z');
    }
    for (const m of w.members.slice(0, 25)) for (const id of ballotIds) await w.h.engine.castBallot(m, id, '满意');
    expect((await w.h.engine.ballotsFor(w.members[0]!)).filter((b) => b.instanceId === instanceId)).toHaveLength(3);
    w.h.clock.now = new Date('2026-12-02T01:31:00Z');
    await w.h.engine.fireDueTimers();
    for (const id of ballotIds) expect(await w.h.engine.ballotView(w.chair, id)).toMatchObject({ status: 'closed', closedBy: 'deadline', castCount: 25 });
    expect(await stateOf(instanceId)).toBe('feedback');
    expect((await w.h.engine.verifyBallots()).failures).toEqual([]);
    w.h.clock.now = new Date('2026-12-02T01:00:00Z');
  });
});

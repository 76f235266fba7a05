// e-vote.test.ts: 电子表决 (workflows/e-vote.yaml) through the engine, on SQLite and PostgreSQL:
// the seeds' satisfaction votes (33 of 35 members present; 4 and 7 against = 12.1% and 21.2% of
// those present), the department's rectification with copies to the liaisons, and an agenda vote.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ballotCore } from '../../../engine/constructs/index.ts';
type CountTally = ballotCore.CountTally;
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness({ start: '2026-12-03T01:00:00Z' }); });
afterAll(async () => { await h.close(); });

const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `member${i + 1}`);
const LIAISONS = ['party1', 'zzb1', 'gov1', 'jw1', 'court1', 'jcy1'];

async function startVote(input: Record<string, unknown>): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('staff1'), 'e-vote', { event: 'submit', version: 0, input });
  return instanceId;
}

/** The one ballot of the instance's current step, as the chair sees it. */
async function ballotOf(instanceId: string): Promise<string> {
  const list = await h.engine.ballotsOf(await h.as('member1'), instanceId);
  const open = list.filter((b) => b.status !== 'closed');
  expect(open).toHaveLength(1);
  return open[0]!.ballotId;
}

/** The chair signs in the first `present` members, opens, each votes as `choiceOf` says, the chair closes. */
async function sitting(ballotId: string, present: number, choiceOf: (i: number) => string): Promise<CountTally> {
  const chair = await h.as('member1');
  await h.engine.signIn(chair, ballotId, members(present));
  await h.engine.openBallot(chair, ballotId);
  for (let i = 0; i < present; i++) await h.engine.castBallot(await h.as(`member${i + 1}`), ballotId, choiceOf(i));
  await h.engine.closeBallot(chair, ballotId, '会议议程已到');
  const view = await h.engine.ballotView(chair, ballotId);
  expect(view.status).toBe('closed');
  return view.tally as CountTally;
}

const share = (t: CountTally, option: string): string | undefined => t.counts.find((c) => c.option === option)?.share?.text;
const count = (t: CountTally, option: string): number | undefined => t.counts.find((c) => c.option === option)?.count;

async function stateOf(id: string): Promise<string> {
  return (await h.engine.instance(await h.as('admin'), id)).summary.state;
}

// Logging in 35 members (scrypt) takes seconds on a loaded machine.
describe('电子表决 (workflows/e-vote.yaml)', { timeout: 120_000 }, () => {
  it('满意度电子表决 on 市民政局: 33 of 35 present, 4 against = 12.1%; then 审议意见, 整改 by the department, copies to 市委 and 一府一委两院', async () => {
    const id = await startVote({
      meeting: '市十五届人大常委会第三十五次会议', vote_kind: '满意度电子表决', subject: '关于市民政局专项工作报告的满意度电子表决',
      department: 'city-mzj', inquiry: '围绕养老服务设施建设提出询问问题6个，市民政局逐一答询。',
    });
    expect(await stateOf(id)).toBe('satisfaction_vote');
    const ballotId = await ballotOf(id);
    const before = await h.engine.ballotView(await h.as('member1'), ballotId);
    expect(before).toMatchObject({ kind: 'for_against', secret: true, members: 35, status: 'draft' });

    const t = await sitting(ballotId, 33, (i) => (i < 4 ? 'against' : 'for'));
    expect(t).toMatchObject({ members: 35, present: 33, cast: 33, quorum_met: true, passed: true });
    expect(count(t, 'against')).toBe(4);
    expect(share(t, 'against')).toBe('12.1%');
    expect(count(t, 'for')).toBe(29);
    expect(share(t, 'for')).toBe('87.9%');

    expect(await stateOf(id)).toBe('opinions');
    const staff = await h.as('staff1');
    await h.engine.complete(staff, await taskOf(h, 'staff1', id), {
      event: 'submit', version: await versionOf(h, 'staff1', id),
      input: { result_note: '赞成29票，反对4票（占实际到会人数的12.1%），弃权0票', review_opinion: '一、加快养老服务设施建设……' },
    });
    expect(await stateOf(id)).toBe('rectify');
    // Only the department's 承办单位 holds the task; the liaisons have copies.
    expect(await codeOf(taskOf(h, 'jyj1', id))).not.toBe('ok');
    for (const u of LIAISONS) {
      const cc = await h.engine.inbox(await h.as(u), 'cc', { page: 1, pageSize: 50 });
      expect(cc.items.some((x) => x.instanceId === id), u).toBe(true);
    }
    const mzj = await h.as('mzj1');
    await h.engine.complete(mzj, await taskOf(h, 'mzj1', id), {
      event: 'submit', version: await versionOf(h, 'mzj1', id), input: { rectification: '已制定整改方案，新建社区养老服务站12处……' },
    });
    expect(await stateOf(id)).toBe('reported');
  });

  it('the second department: 7 against of 33 present = 21.2%', async () => {
    const id = await startVote({ meeting: '市十五届人大常委会第三十五次会议', vote_kind: '满意度电子表决', subject: '关于市体育局专项工作报告的满意度电子表决', department: 'city-tyj' });
    const t = await sitting(await ballotOf(id), 33, (i) => (i < 7 ? 'against' : i < 8 ? 'abstain' : 'for'));
    expect(count(t, 'against')).toBe(7);
    expect(share(t, 'against')).toBe('21.2%');
    expect(count(t, 'abstain')).toBe(1);
    expect(share(t, 'for')).toBe('75.8%');
    expect(t.passed).toBe(true);
  });

  it('refuses a satisfaction vote without the department, before any ballot exists', async () => {
    const started = async (): Promise<number> => (await h.engine.inbox(await h.as('staff1'), 'started', { page: 1, pageSize: 100 })).items.length;
    const before = await started();
    const e = await codeOf(startVote({ meeting: '会议', vote_kind: '满意度电子表决', subject: '满意度电子表决' }));
    expect(e).toBe('LVZ_FORM_INVALID');
    expect(await started()).toBe(before);
  });

  it('议题表决 passes only with more than half of all 35 members: 17 for of 20 present fails, 18 passes', async () => {
    const subject = '关于批准2026年市级预算调整方案的决议（草案）';
    const fails = await startVote({ meeting: '市十五届人大常委会第三十六次会议', vote_kind: '议题表决', subject });
    expect(await stateOf(fails)).toBe('agenda_vote');
    const t1 = await sitting(await ballotOf(fails), 20, (i) => (i < 17 ? 'for' : 'against'));
    expect(t1).toMatchObject({ members: 35, present: 20, quorum_met: true, passed: false, yes: 17 });
    expect(await stateOf(fails)).toBe('agenda_done');
    expect((await h.engine.instance(await h.as('staff1'), fails)).form.fields.find((f) => f.name === 'result_note')?.value).toBe('未获通过');
    const passes = await startVote({ meeting: '市十五届人大常委会第三十六次会议', vote_kind: '议题表决', subject });
    const t2 = await sitting(await ballotOf(passes), 20, (i) => (i < 18 ? 'for' : 'abstain'));
    expect(t2.passed).toBe(true);
    expect((await h.engine.instance(await h.as('staff1'), passes)).form.fields.find((f) => f.name === 'result_note')?.value).toBe('表决通过');
  });

  it('only the chair opens; a member not signed in cannot vote; nobody votes twice', async () => {
    const id = await startVote({ meeting: '会议', vote_kind: '议题表决', subject: '关于某事项的决定（草案）' });
    const b = await ballotOf(id);
    expect(await codeOf(h.engine.openBallot(await h.as('member9'), b))).toBe('LVZ_BALLOT_NOT_CHAIR');
    await h.engine.signIn(await h.as('member1'), b, members(20));
    await h.engine.openBallot(await h.as('member1'), b);
    expect(await codeOf(h.engine.castBallot(await h.as('member30'), b, 'for'))).toBe('LVZ_BALLOT_NOT_PRESENT');
    expect(await codeOf(h.engine.castBallot(await h.as('staff1'), b, 'for'))).toBe('LVZ_BALLOT_NOT_ELIGIBLE');
    await h.engine.castBallot(await h.as('member2'), b, 'for');
    expect(await codeOf(h.engine.castBallot(await h.as('member2'), b, 'against'))).toBe('LVZ_BALLOT_ALREADY_VOTED');
    expect((await h.engine.ballotView(await h.as('member1'), b)).castCount).toBe(1);
  });
});

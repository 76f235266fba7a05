// duty-report.test.ts: 任命人员履职报告测评 (workflows/duty-report.yaml) end to end through the engine,
// on SQLite and PostgreSQL: a roster of three appointees (two oral, one written with its report
// uploaded) in two units, one 签到 for the sitting, every member present rates each one, the results
// are there at close, then 审议意见 and one feedback process per appointee, held in that person's unit
// and showing that person's own result, copies to 市委, 组织部 and 一府一委两院.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ballotCore } from '../../../engine/constructs/index.ts';
type CountTally = ballotCore.CountTally;
import type { FormInvalidParams } from '../../../engine/runtime/types.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness({ start: '2026-12-03T01:00:00Z' }); });
afterAll(async () => { await h.close(); });

const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `member${i + 1}`);
const LIAISONS = ['party1', 'zzb1', 'gov1', 'jw1', 'court1', 'jcy1'];
const ROSTER = [
  { name: '周建设', post: '市发展和改革委员会主任', unit: 'city-fgw', report_kind: '口头报告' },
  { name: '钱教育', post: '市教育局局长', unit: 'city-jyj', report_kind: '口头报告' },
  { name: '李规划', post: '市发展和改革委员会副主任', unit: 'city-fgw', report_kind: '书面报告' },
];

async function uploadReport(field = 'roster[2][report]'): Promise<string> {
  const tmp = path.join(h.dataDir, 'report.tmp');
  fs.writeFileSync(tmp, '%PDF-1.4 履职情况报告');
  const f = await h.engine.upload(await h.as('staff1'), { workflowId: 'duty-report' }, {
    field, filename: '李规划履职情况报告.pdf', mime: 'application/pdf', tempPath: tmp, size: fs.statSync(tmp).size,
  });
  return f.fileId;
}

async function stateOf(id: string): Promise<string> {
  return (await h.engine.instance(await h.as('admin'), id)).summary.state;
}

// Logging in 35 members (scrypt) takes seconds on a loaded machine.
describe('任命人员履职报告测评 (workflows/duty-report.yaml)', { timeout: 120_000 }, () => {
  it('a written report needs its file in its own row: refused without, nothing started', async () => {
    const e = await h.engine.start(await h.as('staff1'), 'duty-report', {
      event: 'submit', version: 0, input: { meeting: '市十五届人大常委会第四十次会议', meeting_date: '2026-12-10', roster: ROSTER },
    }).then(() => undefined, (x: unknown) => x as { code: string; params: FormInvalidParams });
    expect(e?.code).toBe('LVZ_FORM_INVALID');
    expect(e!.params.errors).toEqual([{ id: 'f-roster', name: 'roster', message: '名单中报告方式为书面报告的人员须上传书面报告：请在该人员一行的“书面报告”处上传文件后再提交' }]);
    // A file in another row (口头报告) does not stand in for it.
    const misplaced = await codeOf(h.engine.start(await h.as('staff1'), 'duty-report', {
      event: 'submit', version: 0, input: { meeting: '市十五届人大常委会第四十次会议', meeting_date: '2026-12-10', roster: [{ ...ROSTER[0], report: [await uploadReport('roster[0][report]')] }, ROSTER[1], ROSTER[2]] },
    }));
    expect(misplaced).toBe('LVZ_FORM_INVALID');
    expect((await h.engine.inbox(await h.as('staff1'), 'started', { page: 1, pageSize: 10 })).items).toHaveLength(0);
  });

  it('one sitting for the roster: each member present rates each appointee; results at close; one feedback process per appointee, in the unit of that appointee and with that appointee alone; copies to the liaisons', async () => {
    const reportId = await uploadReport();
    const { instanceId: id } = await h.engine.start(await h.as('staff1'), 'duty-report', {
      event: 'submit', version: 0,
      input: { meeting: '市十五届人大常委会第四十次会议', meeting_date: '2026-12-10', roster: [ROSTER[0], ROSTER[1], { ...ROSTER[2], report: [reportId] }] },
    });
    expect(await stateOf(id)).toBe('evaluate');
    // The written report is in its person's row, attached to the case: a member evaluating can open it.
    const roster = (await h.engine.instance(await h.as('admin'), id)).form.fields.find((f) => f.name === 'roster')!;
    expect(roster.groupRows!.map((r, i) => r.fields.find((f) => f.name === `roster[${i}][report]`)!.display)).toEqual(['未填写', '未填写', '李规划履职情况报告.pdf']);
    expect((await h.engine.file(await h.as('member7'), reportId)).name).toBe('李规划履职情况报告.pdf');
    const chair = await h.as('member1');
    const ballots = await h.engine.ballotsOf(chair, id);
    expect(ballots.map((b) => b.itemTitle)).toEqual(['周建设（市发展和改革委员会主任）', '钱教育（市教育局局长）', '李规划（市发展和改革委员会副主任）']);
    expect(new Set(ballots.map((b) => b.setId)).size).toBe(1);
    expect(ballots.every((b) => b.kind === 'rating' && b.secret && b.members === 35)).toBe(true);

    // One 签到 and one opening for the whole sitting.
    await h.engine.signIn(chair, ballots[0]!.ballotId, members(30));
    await h.engine.openBallot(chair, ballots[2]!.ballotId);
    const scale = ['满意', '基本满意', '不满意'];
    for (let i = 0; i < 30; i++) {
      const m = await h.as(`member${i + 1}`);
      // 周: 28 满意, 2 基本满意; 钱: 20 / 6 / 4; 李: all 满意.
      await h.engine.castBallot(m, ballots[0]!.ballotId, i < 28 ? '满意' : '基本满意');
      await h.engine.castBallot(m, ballots[1]!.ballotId, scale[i < 20 ? 0 : i < 26 ? 1 : 2]);
      await h.engine.castBallot(m, ballots[2]!.ballotId, '满意');
    }
    expect(await codeOf(h.engine.castBallot(await h.as('member31'), ballots[0]!.ballotId, '满意'))).toBe('LVZ_BALLOT_NOT_PRESENT');
    await h.engine.closeBallot(chair, ballots[1]!.ballotId, '会议议程已到');

    // 测评结果当场公布: every ballot of the sitting is closed and counted at once.
    const tallies = await Promise.all(ballots.map(async (b) => (await h.engine.ballotView(chair, b.ballotId)).tally as CountTally));
    expect(tallies.map((t) => t.counts.map((c) => `${c.option} ${c.count} ${c.share?.text}`))).toEqual([
      ['满意 28 93.3%', '基本满意 2 6.7%', '不满意 0 0.0%'],
      ['满意 20 66.7%', '基本满意 6 20.0%', '不满意 4 13.3%'],
      ['满意 30 100.0%', '基本满意 0 0.0%', '不满意 0 0.0%'],
    ]);
    expect(tallies.every((t) => t.present === 30 && t.members === 35 && t.passed === null)).toBe(true);
    const counts = await h.engine.ballotCounts(await h.as('member7'), ballots[1]!.ballotId);
    expect(counts.tally).toBeDefined();

    // 审议意见: signed, one task per member; two give one, one has none, the staff close the step.
    expect(await stateOf(id)).toBe('opinions');
    for (const [u, event, opinion] of [['member2', 'given', '建议钱教育同志加强学前教育资源统筹。'], ['member3', 'given', '李规划同志书面报告详实。'], ['member4', 'none', undefined]] as const) {
      await h.engine.complete(await h.as(u), await taskOf(h, u, id), { event, ...(opinion && { opinion }), input: {}, version: await versionOf(h, u, id) });
    }
    expect(await codeOf(h.engine.closeGroup(await h.as('member1'), id, { reason: '会议结束', version: await versionOf(h, 'member1', id) }))).not.toBe('ok');
    await h.engine.closeGroup(await h.as('staff1'), id, { reason: '会议结束，未提出意见的视为无意见', version: await versionOf(h, 'staff1', id) });

    expect(await stateOf(id)).toBe('deliberate');
    await h.engine.complete(await h.as('staff1'), await taskOf(h, 'staff1', id), {
      event: 'submit', version: await versionOf(h, 'staff1', id),
      input: { result_note: '周建设：满意28票，基本满意2票……', review_opinion: '对钱教育同志：加强学前教育资源统筹……' },
    });
    expect(await stateOf(id)).toBe('feedback');
    for (const u of LIAISONS) {
      const cc = await h.engine.inbox(await h.as(u), 'cc', { page: 1, pageSize: 50 });
      expect(cc.items.some((x) => x.instanceId === id), u).toBe(true);
    }
    // One feedback process per appointee, held in that person's unit: 发改委 has two (周, 李), 教育局 one.
    const children = (await h.engine.instance(await h.as('admin'), id)).spawned.flatMap((st) => st.children);
    expect(children.map((c) => c.title)).toEqual(['周建设（市发展和改革委员会主任）履职测评结果反馈', '钱教育（市教育局局长）履职测评结果反馈', '李规划（市发展和改革委员会副主任）履职测评结果反馈']);
    const holders = ['fgw1', 'jyj1', 'fgw1'];
    const results = [
      '应到35人，实到30人；满意28票，占93.3%；基本满意2票，占6.7%；不满意0票，占0.0%',
      '应到35人，实到30人；满意20票，占66.7%；基本满意6票，占20.0%；不满意4票，占13.3%',
      '应到35人，实到30人；满意30票，占100.0%；基本满意0票，占0.0%；不满意0票，占0.0%',
    ];
    expect((await h.engine.inbox(await h.as('fgw1'), 'todo', { page: 1, pageSize: 50 })).items.filter((t) => children.some((c) => c.instanceId === t.instanceId))).toHaveLength(2);
    for (const [i, c] of children.entries()) {
      const u = holders[i]!;
      const task = await h.engine.task(await h.as(u), await taskOf(h, u, c.instanceId));
      const shown = Object.fromEntries(task.form.fields.map((f) => [f.name, f.display]));
      expect(shown, ROSTER[i]!.name).toMatchObject({ appointee: ROSTER[i]!.name, post: ROSTER[i]!.post, result: results[i], review_opinion: '对钱教育同志：加强学前教育资源统筹……' });
      expect(task.form.fields.find((f) => f.name === 'unit_feedback')?.readonly).toBe(false);
    }
    // Another unit cannot take 周建设's; each unit answers its own, and the answers come back to the meeting's record.
    expect(await codeOf(h.engine.complete(await h.as('jyj1'), await taskOf(h, 'fgw1', children[0]!.instanceId), { event: 'submit', version: await versionOf(h, 'fgw1', children[0]!.instanceId), input: { unit_feedback: '越权' } }))).not.toBe('ok');
    for (const [i, c] of children.entries()) {
      const u = holders[i]!;
      await h.engine.complete(await h.as(u), await taskOf(h, u, c.instanceId), { event: 'submit', version: await versionOf(h, u, c.instanceId), input: { unit_feedback: `${ROSTER[i]!.name}：已组织专题学习审议意见，制定整改措施。` } });
      expect(await stateOf(id)).toBe('feedback');
      await h.engine.fireDueTimers();
    }
    expect(await stateOf(id)).toBe('closed');
  });
});

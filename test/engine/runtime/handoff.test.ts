// handoff.test.ts: whom 转办/委派/加签 may hand a task to (runtime/handoff.ts). The shipped suggestion's
// lead reply uses the default (another 承办单位 of the same kind; its holder of the role); the office
// fixture's review step names its own set in YAML. Never the initiator, never anyone acting already,
// always exactly one target; the history names whom it went to.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyOf, type HistoryViewer } from '../../../engine/runtime/history.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import type { EventRow } from '../../../engine/store/process/index.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  for (const dir of ['calendars', 'forms', 'workflows']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.cpSync(path.resolve('test/fixtures/runtime/workflows/office.yaml'), path.join(project, 'workflows/office.yaml'));
  h = await openHarness({ projectDir: project });
});
afterAll(async () => { await h.close(); });

/** A suggestion by 王建国 (deputy1) at 承办答复: 市发改委 leads, 市教育局 co-handles. */
async function atReply(): Promise<{ id: string; lead: string }> {
  const { instanceId: id } = await h.engine.start(await h.as('deputy1'), 'suggestion', { event: 'submit', version: 0, input: { title: '转办测试', category: '城乡建设与管理', content: '内容' } });
  const review = await taskOf(h, 'review1', id);
  await h.engine.complete(await h.as('review1'), review, {
    event: 'accept', opinion: '同意', version: await versionOf(h, 'review1', id),
    input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
  });
  const inbox = await h.engine.inbox(await h.as('fgw1'), 'todo', { page: 1, pageSize: 100 });
  return { id, lead: inbox.items.find((t) => t.instanceId === id)!.taskId };
}

async function act(user: string, id: string, taskId: string, input: Record<string, unknown>): Promise<string> {
  return codeOf(h.engine.taskAction(await h.as(user), taskId, { ...input, version: await versionOf(h, user, id) } as never));
}

async function officeCase(): Promise<{ id: string; review: string }> {
  const { instanceId: id } = await h.engine.start(await h.as('deputy1'), 'office', { event: 'submit', version: 0, input: { title: '转办范围', content: '内容' } });
  return { id, review: await taskOf(h, 'review1', id) };
}

describe('handoff: the default set (the task\'s role, in an org of the same kind)', () => {
  it('a unit\'s reply is offered other 承办单位 only: not the proposer, not the co-handler, not the unit itself', async () => {
    const { lead } = await atReply();
    const view = await h.engine.task(await h.as('fgw1'), lead);
    expect(view.reassignTo).toBe('org');
    const orgs = view.orgs.map((o) => o.value);
    expect(orgs).toContain('city-mzj');
    expect(orgs).not.toContain('city-fgw'); // itself
    expect(orgs).not.toContain('city-jyj'); // the co-handler, acting already
    expect(orgs).not.toContain('zhangdian-delegation'); // the proposer's 代表团, another kind
    const people = view.people.map((p) => p.value);
    expect(people).toContain('mzj1');
    for (const out of ['deputy1', 'fgw1', 'jyj1', 'review1', 'leader1']) expect(people).not.toContain(out);
    // The panels' search sees the same set, and nobody else's task can be searched.
    const found = await h.engine.pickerSearch(await h.as('fgw1'), { type: 'person', q: '王建国', task: lead });
    expect(found.items).toEqual([]);
    const units = await h.engine.pickerSearch(await h.as('fgw1'), { type: 'org', q: '市', task: lead });
    expect(units.items.map((i) => i.value)).not.toContain('city-jyj');
    expect(units.items.map((i) => i.value)).toContain('city-mzj');
    expect(await codeOf(h.engine.pickerSearch(await h.as('mzj1'), { type: 'person', q: '', task: lead }))).toBe('LVZ_RUN_NOT_FOUND');
  });

  it('转办 to a unit makes it that unit\'s task; the history names the unit', async () => {
    const { id, lead } = await atReply();
    expect(await act('fgw1', id, lead, { action: 'reassign', toOrg: '市民政局', reason: '属民政职责' })).toBe('ok');
    const mzj = await taskOf(h, 'mzj1', id);
    expect(mzj).toBe(lead);
    const history = (await h.engine.instance(await h.as('admin'), id)).history;
    expect(history.at(-1)).toMatchObject({ type: 'task.reassigned', summary: '转办给 市民政局', reason: '属民政职责' });
    // 市发改委 acted in the case: it cannot have it back.
    expect(await act('mzj1', id, lead, { action: 'reassign', toOrg: 'city-fgw', reason: '退回原单位' })).toBe('LVZ_RUN_HANDOFF_ACTING');
  });

  it('refuses the proposer, anyone acting, a person for a unit\'s task and two targets, with nothing written', async () => {
    const { id, lead } = await atReply();
    const before = (await h.engine.instance(await h.as('admin'), id)).history.length;
    expect(await act('fgw1', id, lead, { action: 'delegate', toUser: 'deputy1' })).toBe('LVZ_RUN_HANDOFF_INITIATOR');
    expect(await act('fgw1', id, lead, { action: 'add_signer', toUser: '王建国', position: 'before' })).toBe('LVZ_RUN_HANDOFF_INITIATOR');
    expect(await act('fgw1', id, lead, { action: 'delegate', toUser: 'jyj1' })).toBe('LVZ_RUN_HANDOFF_ACTING'); // co-handler
    expect(await act('fgw1', id, lead, { action: 'delegate', toUser: 'review1' })).toBe('LVZ_RUN_HANDOFF_ACTING'); // assigned it
    expect(await act('fgw1', id, lead, { action: 'delegate', toUser: 'leader1' })).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED'); // not a 承办单位
    expect(await act('fgw1', id, lead, { action: 'reassign', toOrg: 'city-jyj', reason: '职责不符' })).toBe('LVZ_RUN_HANDOFF_ACTING');
    expect(await act('fgw1', id, lead, { action: 'reassign', toOrg: 'city-cjw', reason: '职责不符' })).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED'); // a committee, not a 承办单位
    expect(await act('fgw1', id, lead, { action: 'reassign', toUser: 'deputy1', reason: '职责不符' })).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED');
    expect(await act('fgw1', id, lead, { action: 'reassign', toOrg: 'city-mzj', toUser: 'mzj1', reason: '职责不符' })).toBe('LVZ_RUN_HANDOFF_AMBIGUOUS');
    expect(await act('fgw1', id, lead, { action: 'reassign', toOrg: 'city-mzj、city-gaj', reason: '职责不符' })).toBe('LVZ_RUN_HANDOFF_AMBIGUOUS');
    const after = await h.engine.instance(await h.as('admin'), id);
    expect(after.history.length).toBe(before);
    expect(await taskOf(h, 'fgw1', id)).toBe(lead);
  });

  it('委派 and 加签 name whom they went to in the history', async () => {
    const { id, lead } = await atReply();
    expect(await act('fgw1', id, lead, { action: 'add_signer', toUser: 'gaj1', position: 'after' })).toBe('ok');
    expect(await act('fgw1', id, lead, { action: 'delegate', toUser: 'mzj1', reason: '请提供数据' })).toBe('ok');
    const summaries = (await h.engine.instance(await h.as('admin'), id)).history.map((e) => e.summary);
    expect(summaries).toContain('加签 韩磊');
    expect(summaries).toContain('委派给 高雪梅');
    // Both act in the case now: neither may be handed it again.
    const view = await h.engine.task(await h.as('fgw1'), lead);
    expect(view.people.map((p) => p.value)).not.toContain('gaj1');
  });
});

describe('handoff: a step\'s own set in YAML (office fixture: review offices, staff and leaders)', () => {
  it('转办 of a person\'s task goes to one person within the set; others are refused', async () => {
    const { id, review } = await officeCase();
    const view = await h.engine.task(await h.as('review1'), review);
    expect(view.reassignTo).toBe('person');
    expect(view.people.map((p) => p.value).sort()).toEqual(['leader1', 'staff1']);
    expect(await act('review1', id, review, { action: 'reassign', toUser: 'deputy1', reason: '请办理' })).toBe('LVZ_RUN_HANDOFF_INITIATOR');
    expect(await act('review1', id, review, { action: 'reassign', toUser: 'cgj1', reason: '请办理' })).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED');
    expect(await act('review1', id, review, { action: 'reassign', toOrg: 'city-office', reason: '请办理' })).toBe('LVZ_RUN_HANDOFF_NOT_ALLOWED');
    expect(await act('review1', id, review, { action: 'reassign', toUser: '郑晓东、赵志刚', reason: '请办理' })).toBe('LVZ_RUN_HANDOFF_AMBIGUOUS');
    expect(await act('review1', id, review, { action: 'reassign', toUser: '郑晓东', reason: '请郑晓东办理' })).toBe('ok');
    const history = (await h.engine.instance(await h.as('admin'), id)).history;
    expect(history.at(-1)).toMatchObject({ summary: '转办给 郑晓东', reason: '请郑晓东办理' });
    // The new holder cannot hand it back to whoever handed it on.
    expect(await act('staff1', id, review, { action: 'reassign', toUser: 'review1', reason: '退回' })).toBe('LVZ_RUN_HANDOFF_ACTING');
  });

  it('抄送 names its recipients', async () => {
    const { id, review } = await officeCase();
    await h.engine.taskAction(await h.as('review1'), review, { action: 'copy', toUsers: ['leader1', 'staff1'] });
    const history = (await h.engine.instance(await h.as('admin'), id)).history;
    expect(history.at(-1)?.summary).toBe('抄送 赵志刚、郑晓东');
  });
});

describe('history of events stored before targets were named', () => {
  it('reads the ids they carry, or shows the action alone', () => {
    const wf = { def: { states: {} } } as unknown as CompiledWorkflow;
    const viewer: HistoryViewer = { roles: [], fields: new Set(), names: new Map([['mzj1', '高雪梅']]), orgOf: new Map(), orgNames: new Map([['city-mzj', '市民政局']]) };
    const event = (type: string, payload: Record<string, unknown>): EventRow => ({
      instanceId: 'i', seq: 1, at: '2026-03-02T01:00:00Z', actorId: null, onBehalfOf: null, type, taskId: null, fromState: null, toState: null, payload,
    } as EventRow);
    const lines = historyOf([
      event('task.reassigned', { reason: '职责不符', toOrg: 'city-mzj' }),
      event('task.delegated', { toUser: 'mzj1' }),
      event('task.copied', { toUsers: ['mzj1'] }),
      event('task.reassigned', { reason: '职责不符' }),
    ], wf, undefined, viewer).map((e) => e.summary);
    expect(lines).toEqual(['转办给 市民政局', '委派给 高雪梅', '抄送 高雪梅', '转办']);
  });
});

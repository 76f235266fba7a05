// actions.test.ts: each office action (退回 转办 委派 加签 撤回 撤销 终止 催办 抄送 代理) and the
// scope checks on tasks and files, on a fixture workflow that switches them all on.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  for (const dir of ['calendars', 'forms']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.cpSync(path.resolve('test/fixtures/runtime/workflows'), path.join(project, 'workflows'), { recursive: true });
  h = await openHarness({ projectDir: project });
});
afterAll(async () => { await h.close(); });

async function started(): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as('deputy1'), 'office', { event: 'submit', version: 0, input: { title: '动作测试', content: '内容' } });
  return instanceId;
}

async function act(user: string, id: string, input: Record<string, unknown>): Promise<string> {
  const taskId = await taskOf(h, user, id);
  return codeOf(h.engine.taskAction(await h.as(user), taskId, { ...input, version: await versionOf(h, user, id) } as never));
}

async function finish(user: string, id: string, event: string, input: Record<string, unknown> = {}): Promise<string> {
  const taskId = await taskOf(h, user, id);
  return codeOf(h.engine.complete(await h.as(user), taskId, { event, input, version: await versionOf(h, user, id) }));
}

const stateOf = async (id: string): Promise<string> => (await h.engine.instance(await h.as('admin'), id)).summary.state;

describe('office actions', () => {
  it('退回: a reason is required, only to a visited step, and the initiator gets the task back', async () => {
    const id = await started();
    expect(await act('review1', id, { action: 'return', to: 'draft', reason: '' })).toBe('LVZ_RUN_REASON_REQUIRED');
    expect(await act('review1', id, { action: 'return', to: 'handle', reason: '退' })).toBe('LVZ_RUN_BAD_RETURN_TARGET');
    expect(await act('review1', id, { action: 'return', to: 'closed', reason: '退' })).toBe('LVZ_RUN_BAD_RETURN_TARGET');
    expect(await act('review1', id, { action: 'return', to: 'previous', reason: '请补充材料' })).toBe('ok');
    expect(await stateOf(id)).toBe('draft');
    const view = await h.engine.instance(await h.as('deputy1'), id);
    expect(view.history.at(-1)).toMatchObject({ type: 'task.returned', reason: '请补充材料', actorName: '张敏' });
    expect(view.myTasks).toHaveLength(1);
  });

  it('退回 after return_within has passed is refused; an action the step does not list is not allowed', async () => {
    const id = await started();
    expect(await finish('review1', id, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    expect(await act('fgw1', id, { action: 'delegate', toUser: 'staff1' })).toBe('LVZ_RUN_EVENT_NOT_ALLOWED');
    const saved = h.clock.now;
    h.clock.now = new Date('2026-03-20T01:00:00Z');
    expect(await act('fgw1', id, { action: 'return', to: 'review', reason: '非本单位职责' })).toBe('LVZ_RUN_BAD_RETURN_TARGET');
    h.clock.now = saved;
    expect(await act('fgw1', id, { action: 'return', to: 'review', reason: '非本单位职责' })).toBe('ok');
    expect(await stateOf(id)).toBe('review');
  });

  it('转办: the task moves and the new holder finishes it', async () => {
    const id = await started();
    expect(await act('review1', id, { action: 'reassign', toUser: 'staff1', reason: '' })).toBe('LVZ_RUN_REASON_REQUIRED');
    expect(await act('review1', id, { action: 'reassign', toUser: 'staff1', reason: '请郑晓东办理' })).toBe('ok');
    const reviewTodo = await h.engine.inbox(await h.as('review1'), 'todo', { page: 1, pageSize: 50 });
    expect(reviewTodo.items.some((t) => t.instanceId === id)).toBe(false);
    expect(await finish('staff1', id, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    expect(await stateOf(id)).toBe('handle');
  });

  it('委派: the owner waits; the helper answers; the answer comes back to the owner', async () => {
    const id = await started();
    const ownerTask = await taskOf(h, 'review1', id);
    expect(await act('review1', id, { action: 'delegate', toUser: 'staff1', reason: '请提出交办意见' })).toBe('ok');
    expect(await codeOf(h.engine.complete(await h.as('review1'), ownerTask, { event: 'accept', input: {}, version: await versionOf(h, 'review1', id) }))).toBe('LVZ_RUN_TASK_CLOSED');
    const helperTask = await taskOf(h, 'staff1', id);
    expect((await h.engine.task(await h.as('staff1'), helperTask)).isDelegated).toBe(true);
    await h.engine.complete(await h.as('staff1'), helperTask, { event: 'answer', input: { lead_unit: 'city-jyj', is_complex: '否', is_key: '否' }, opinion: '建议由教育局主办', version: await versionOf(h, 'staff1', id) });
    const view = await h.engine.task(await h.as('review1'), ownerTask);
    expect(view.form.fields.find((f) => f.name === 'lead_unit')?.value).toBe('city-jyj');
    expect(view.history.some((e) => e.type === 'task.delegate_answered' && e.opinion === '建议由教育局主办')).toBe(true);
    expect(await finish('review1', id, 'accept', { lead_unit: 'city-jyj', is_complex: '否', is_key: '否' })).toBe('ok');
  });

  it('加签 before and after', async () => {
    const id = await started();
    expect(await act('review1', id, { action: 'add_signer', toUser: 'leader1', position: 'before' })).toBe('ok');
    expect(await finish('leader1', id, 'sign', {})).toBe('ok');
    expect(await act('review1', id, { action: 'add_signer', toUser: 'staff1', position: 'after' })).toBe('ok');
    expect(await finish('review1', id, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    expect(await stateOf(id)).toBe('review'); // waits for the signer after
    expect(await finish('staff1', id, 'sign', {})).toBe('ok');
    expect(await stateOf(id)).toBe('handle');
  });

  it('减签: the owner takes back a signer who has not acted; before: the owner task opens again', async () => {
    const id = await started();
    const review = await h.as('review1');
    const own = await taskOf(h, 'review1', id);
    const add = async (toUser: string, position: 'before' | 'after') =>
      codeOf(h.engine.taskAction(review, own, { action: 'add_signer', toUser, position, version: await versionOf(h, 'review1', id) }));
    expect(await add('leader1', 'before')).toBe('ok');
    let view = await h.engine.task(review, own);
    expect(view.buttons).toEqual([]); // waiting for the signer before
    expect(view.signers).toEqual([{ taskId: expect.any(String), name: expect.not.stringMatching(/^leader1$/), position: 'before' }]);
    const signer = view.signers[0]!;
    const remove = async (user: string, signerTaskId: string) =>
      codeOf(h.engine.taskAction(await h.as(user), own, { action: 'remove_signer', signerTaskId, reason: '无需会签', version: await versionOf(h, 'review1', id) }));
    expect(await remove('review1', 'no-such-task')).toBe('LVZ_RUN_BAD_REQUEST');
    expect(await remove('leader1', signer.taskId)).not.toBe('ok'); // not the owner
    expect(await remove('review1', signer.taskId)).toBe('ok');
    expect(await remove('review1', signer.taskId)).toBe('LVZ_RUN_BAD_REQUEST'); // a second click
    view = await h.engine.task(review, own);
    expect(view.buttons.map((b) => b.event)).toContain('accept');
    expect(view.signers).toEqual([]);
    expect((await h.engine.inbox(await h.as('leader1'), 'todo', { page: 1, pageSize: 100 })).items.some((t) => t.instanceId === id)).toBe(false);
    const history = (await h.engine.instance(await h.as('admin'), id)).history;
    expect(history.filter((e) => e.type === 'task.signer_removed')).toHaveLength(1);
    expect(history.at(-1)?.summary).toBe('减签 赵志刚');

    // After: taken back before the owner finishes, the step no longer waits for them.
    expect(await add('staff1', 'after')).toBe('ok');
    const after = (await h.engine.task(review, own)).signers[0]!;
    expect(after.position).toBe('after');
    expect(await remove('review1', after.taskId)).toBe('ok');
    expect(await finish('review1', id, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    expect(await stateOf(id)).toBe('handle');
  });

  it('撤回 until the next step acts', async () => {
    const id = await started();
    const deputy = await h.as('deputy1');
    await h.engine.task(await h.as('review1'), await taskOf(h, 'review1', id)); // opened is fine
    expect(await codeOf(h.engine.withdraw(await h.as('review1'), id, { version: await versionOf(h, 'deputy1', id) }))).toBe('LVZ_RUN_EVENT_NOT_ALLOWED');
    expect(await codeOf(h.engine.withdraw(deputy, id, { version: await versionOf(h, 'deputy1', id) }))).toBe('ok');
    expect(await stateOf(id)).toBe('draft');
    expect(await finish('deputy1', id, 'submit', { title: '动作测试', content: '改过的内容' })).toBe('ok');
    expect(await act('review1', id, { action: 'delegate', toUser: 'staff1' })).toBe('ok');
    expect(await codeOf(h.engine.withdraw(deputy, id, { version: await versionOf(h, 'deputy1', id) }))).toBe('LVZ_RUN_WITHDRAW_TOO_LATE');
  });

  it('撤销 by the initiator, 终止 by an admin, each with a reason', async () => {
    const a = await started();
    const v = await versionOf(h, 'deputy1', a);
    expect(await codeOf(h.engine.cancel(await h.as('review1'), a, { reason: 'x', version: v }))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.cancel(await h.as('deputy1'), a, { reason: '', version: v }))).toBe('LVZ_RUN_REASON_REQUIRED');
    expect(await codeOf(h.engine.cancel(await h.as('deputy1'), a, { reason: '重复提交', version: v }))).toBe('ok');
    const view = await h.engine.instance(await h.as('deputy1'), a);
    expect(view.summary.status).toBe('cancelled');
    expect(view.openTasks).toHaveLength(0);
    const b = await started();
    expect(await codeOf(h.engine.terminate(await h.as('deputy1'), b, { reason: 'x', version: await versionOf(h, 'deputy1', b) }))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.terminate(await h.as('admin'), b, { reason: '测试数据', version: await versionOf(h, 'admin', b) }))).toBe('ok');
    expect((await h.engine.instance(await h.as('admin'), b)).summary.status).toBe('terminated');
  });

  it('催办 is logged with a count; 抄送 rows are read-only and marked read when opened', async () => {
    const id = await started();
    const taskId = await taskOf(h, 'review1', id);
    await h.engine.taskAction(await h.as('deputy1'), taskId, { action: 'remind', message: '请尽快审查' });
    await h.engine.remindInstance(await h.as('deputy1'), id);
    const history = (await h.engine.instance(await h.as('deputy1'), id)).history.filter((e) => e.type === 'task.reminded');
    expect(history.map((e) => e.summary)).toEqual(['催办 第 1 次', '催办 第 2 次']);
    expect(await codeOf(h.engine.taskAction(await h.as('cgj1'), taskId, { action: 'remind' }))).toBe('LVZ_RUN_NOT_FOUND');

    await h.engine.taskAction(await h.as('review1'), taskId, { action: 'copy', toUsers: ['leader1'] });
    const leader = await h.as('leader1');
    let cc = await h.engine.inbox(leader, 'cc', { page: 1, pageSize: 20 });
    expect(cc.items.find((t) => t.instanceId === id)?.isRead).toBe(false);
    await h.engine.instance(leader, id);
    cc = await h.engine.inbox(leader, 'cc', { page: 1, pageSize: 20 });
    expect(cc.items.find((t) => t.instanceId === id)?.isRead).toBe(true);
    expect((await h.engine.inboxCounts(leader)).todo).toBe(0);
  });

  it('代理: the delegate sees and completes the principal’s task; the history says so', async () => {
    const id = await started();
    await h.engine.setOutOfOffice(await h.as('review1'), { delegateUserId: 'staff1', from: '2026-03-01', to: '2026-03-10' });
    const todo = await h.engine.inbox(await h.as('staff1'), 'todo', { page: 1, pageSize: 50 });
    expect(todo.items.some((t) => t.instanceId === id)).toBe(true);
    expect(await finish('staff1', id, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    const entry = (await h.engine.instance(await h.as('deputy1'), id)).history.find((e) => e.type === 'task.completed' && e.stepTitle === '审查');
    expect(entry?.actorName).toBe('郑晓东');
    expect(entry?.onBehalfOfName).toBe('张敏（代理）');
  });
  it('调整办理步骤: admins only, with a reason, never into a final step; the step is entered afresh and nothing half-done is kept', async () => {
    const id = await started();
    const admin = await h.as('admin');
    const move = async (user: string, input: { to: string; reason: string; version?: number }) =>
      codeOf(h.engine.move(await h.as(user), id, { ...input, version: input.version ?? await versionOf(h, user, id) }));
    expect((await h.engine.instance(admin, id)).moveTargets.map((t) => t.name)).toEqual(['draft', 'review', 'handle']);
    expect((await h.engine.instance(await h.as('deputy1'), id)).can.move).toBe(false);
    expect(await move('deputy1', { to: 'draft', reason: '试试' })).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await move('admin', { to: 'draft', reason: ' ' })).toBe('LVZ_RUN_REASON_REQUIRED');
    expect(await move('admin', { to: 'closed', reason: '办结' })).toBe('LVZ_RUN_BAD_REQUEST');
    expect(await move('admin', { to: 'toString', reason: '原型链' })).toBe('LVZ_RUN_BAD_REQUEST');
    expect(await move('admin', { to: 'draft', reason: '过期', version: 0 })).toBe('LVZ_RUN_CONFLICT');
    // 办理 needs a lead unit nobody chose yet: refused whole, the review task still open.
    expect(await move('admin', { to: 'handle', reason: '直接交办' })).toBe('LVZ_RUN_UNASSIGNED');
    let view = await h.engine.instance(admin, id);
    expect(view.summary.state).toBe('review');
    expect(view.openTasks).toHaveLength(1);
    const before = view.version;

    // Re-entering the current step makes a fresh task in place of the old one.
    const oldTask = await taskOf(h, 'review1', id);
    expect(await move('admin', { to: 'review', reason: '任务分错了，重新生成' })).toBe('ok');
    const newTask = await taskOf(h, 'review1', id);
    expect(newTask).not.toBe(oldTask);
    expect(await codeOf(h.engine.task(await h.as('review1'), oldTask))).toBe('ok'); // still readable, but closed:
    expect(await codeOf(h.engine.complete(await h.as('review1'), oldTask, { event: 'accept', version: await versionOf(h, 'review1', id), input: {} }))).toBe('LVZ_RUN_TASK_CLOSED');

    expect(await move('admin', { to: 'draft', reason: '材料不全，退回代表补充' })).toBe('ok');
    view = await h.engine.instance(admin, id);
    expect(view.summary.state).toBe('draft');
    expect(view.version).toBe(before + 2);
    expect(view.openTasks).toHaveLength(1);
    await taskOf(h, 'deputy1', id); // the initiator has the draft back
    const line = view.history.at(-1)!;
    expect(line).toMatchObject({ type: 'instance.moved', actorName: '系统管理员' });
    expect(line.summary).toBe('管理员调整办理步骤 → 起草（理由：材料不全，退回代表补充）');
  });
});

describe('files', () => {
  it('are attached on submit and served only to those who may see the instance', async () => {
    const tmp = path.join(h.dataDir, 'upload.tmp');
    fs.writeFileSync(tmp, '%PDF-1.4 test');
    const deputy = await h.as('deputy1');
    const f = await h.engine.upload(deputy, { workflowId: 'office' }, { field: 'attachments', filename: '调研报告.pdf', mime: 'application/pdf', tempPath: tmp, size: 13 });
    expect(f.path.startsWith(path.join(h.dataDir, 'files'))).toBe(true);
    expect(await codeOf(h.engine.file(await h.as('fgw1'), f.fileId))).toBe('LVZ_RUN_NOT_FOUND'); // not attached: the uploader only
    const { instanceId } = await h.engine.start(deputy, 'office', { event: 'submit', version: 0, input: { title: '附件', content: '内容', attachments: [f.fileId] } });
    expect((await h.engine.file(deputy, f.fileId)).name).toBe('调研报告.pdf');
    expect(await finish('review1', instanceId, 'accept', { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' })).toBe('ok');
    expect((await h.engine.file(await h.as('fgw1'), f.fileId)).size).toBe(13);
    expect(await codeOf(h.engine.file(await h.as('jyj1'), f.fileId))).toBe('LVZ_RUN_NOT_FOUND');
    // Someone else's upload id cannot be pulled into a record.
    const tmp2 = path.join(h.dataDir, 'upload2.tmp');
    fs.writeFileSync(tmp2, 'x');
    const other = await h.engine.upload(await h.as('deputy2'), { workflowId: 'office' }, { field: 'attachments', filename: 'a.pdf', mime: 'application/pdf', tempPath: tmp2, size: 1 });
    expect(await codeOf(h.engine.start(deputy, 'office', { event: 'submit', version: 0, input: { title: '附件', content: '内容', attachments: [other.fileId] } }))).toBe('LVZ_FORM_INVALID');
  });

  it('refuses an upload the field does not accept', async () => {
    const tmp = path.join(h.dataDir, 'bad.tmp');
    fs.writeFileSync(tmp, 'MZ');
    expect(await codeOf(h.engine.upload(await h.as('deputy1'), { workflowId: 'office' }, { field: 'attachments', filename: 'virus.exe', mime: 'application/octet-stream', tempPath: tmp, size: 2 }))).toBe('LVZ_FORM_UPLOAD_TYPE');
  });

});

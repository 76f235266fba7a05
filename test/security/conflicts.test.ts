// conflicts.test.ts: issue 12 item 7. A submit that loses a race never loses what was typed: fgw1
// writes a 4,000-character reply while jyj1 completes the co-handling task late, past its month
// (before that the lead waits for it, wait_for: cohandle, and is offered no reply button), so the instance's version
// moves on; the 409 shows the form again with the reply, kept as the task's draft, and says what
// changed; the same for htmx, for two submits racing, for a task moved away by 调整办理步骤 (the
// text comes back in the response), and over the API a 409 says what to do next.
// Runs on the pass's database (SQLite file, or PostgreSQL with LVZHI_TEST_PG=1).

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../engine/runtime/types.ts';
import { openDb, type Db } from '../../engine/store/db.ts';
import { DEMO_PASSWORD, inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { apiToken } from '../helpers/spawn.ts';

let s: TestServer;
let db: Db;
let fgw: Client;
const actors: Record<string, Actor> = {};

/** 4,000 characters, as the probe typed. */
const REPLY = '经研究，已将此项建议纳入年度计划并分步实施。'.repeat(200).slice(0, 3990) + `尾${randomUUID().slice(0, 9)}`;

beforeAll(async () => {
  s = await startServer();
  db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  for (const u of ['deputy1', 'review1', 'jyj1', 'admin']) actors[u] = (await s.engine.login(u, DEMO_PASSWORD)).actor;
  fgw = await loginAs(s.base, 'fgw1');
});
afterAll(async () => {
  await db?.destroy();
  await s?.close();
});

async function openTask(instanceId: string, state: string, grp?: string): Promise<string> {
  const row = await db('tasks').where({ instance_id: instanceId, state, status: 'open', kind: 'task', ...(grp && { grp }) }).first('id');
  return row.id as string;
}

/** A suggestion at 承办答复: the lead task (fgw1) and the co-handling task (jyj1). */
async function atHandle(): Promise<{ instanceId: string; lead: string; co: string }> {
  const { instanceId } = await s.engine.start(actors.deputy1!, 'suggestion', {
    event: 'submit', version: 0, input: { title: `冲突测试 ${randomUUID()}`, category: '城乡建设与管理', content: '内容' },
  });
  const review = await openTask(instanceId, 'review');
  const version = (await s.engine.task(actors.review1!, review)).version;
  await s.engine.complete(actors.review1!, review, {
    event: 'accept', opinion: '同意', version, input: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' },
  });
  return { instanceId, lead: await openTask(instanceId, 'handle', 'lead'), co: await openTask(instanceId, 'handle', 'cohandle') };
}

/**
 * A month and more later: the co-handler's deadline has passed, so the lead may reply before it
 * answers. fgw1 logs in again (a session ends 12 hours after its login).
 */
async function pastCoDeadline(): Promise<void> {
  s.clock.now = new Date(s.clock.now.getTime() + 40 * 86_400_000);
  fgw = await loginAs(s.base, 'fgw1');
}

async function coHandlerAnswers(co: string): Promise<void> {
  const view = await s.engine.task(actors.jyj1!, co);
  await s.engine.complete(actors.jyj1!, co, { event: view.buttons[0]!.event, version: view.version, input: { co_opinion: '同意主办单位意见' } });
}

function replyForm(page: string, reply = REPLY): Record<string, string> {
  return { _event: inputValue(page, '_event') ?? 'submit', _version: inputValue(page, '_version')!, _once: inputValue(page, '_once')!, reply, grade: 'B', _opinion: '请审阅' };
}

describe('a typed reply is never lost on a conflict', () => {
  it('plain form: the co-handler moved the version on; the 409 shows the reply, keeps it as the draft and says what changed', async () => {
    const { lead, co } = await atHandle();
    await pastCoDeadline();
    const page = await fgw.get(`/tasks/${lead}`);
    const form = replyForm(page.text);
    await coHandlerAnswers(co);
    const res = await fgw.post(`/tasks/${lead}`, form);
    expect(res.status).toBe(409);
    expect(res.text).toContain(REPLY);
    expect(res.text).toContain('此件在您办理期间已有变化');
    expect(res.text).toContain('协办单位意见');
    expect(res.text).toContain('已保存为草稿');
    // The form now carries the current version: submitting it again goes through.
    const version = inputValue(res.text, '_version')!;
    expect(Number(version)).toBeGreaterThan(Number(form._version));
    const later = await fgw.get(`/tasks/${lead}`);
    expect(later.text).toContain(REPLY);
    expect(later.text).toContain('请审阅'); // the opinion travels with the draft
    const again = await fgw.post(`/tasks/${lead}`, { ...form, _version: version, _once: inputValue(res.text, '_once')! });
    expect(again.status, again.text.slice(0, 1000)).toBe(303);
  });

  it('htmx: the 409 is the form fragment with the reply and the notice; a later GET shows the draft', async () => {
    const { lead, co } = await atHandle();
    await pastCoDeadline();
    const page = await fgw.get(`/tasks/${lead}`);
    await coHandlerAnswers(co);
    const res = await fgw.post(`/tasks/${lead}`, replyForm(page.text), { headers: { 'HX-Request': 'true' } });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/^<form id="record-form"/);
    expect(res.text).toContain(REPLY);
    expect(res.text).toContain('已保存为草稿');
    expect((await fgw.get(`/tasks/${lead}`)).text).toContain(REPLY);
  });

  it('two submits racing on one task: the loser gets its own text back', async () => {
    const { lead } = await atHandle();
    await pastCoDeadline();
    const page = await fgw.get(`/tasks/${lead}`);
    const other = `另一稿${randomUUID()}`;
    const [a, b] = await Promise.all([
      fgw.post(`/tasks/${lead}`, replyForm(page.text)),
      fgw.post(`/tasks/${lead}`, { ...replyForm(page.text, other), _once: randomUUID() }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.text).toContain(a.status === 409 ? REPLY : other);
    expect(loser.text).toContain('此件在您办理期间已有变化');
  });

  it('调整办理步骤 cancelled the task meanwhile: the reply comes back in the response to copy', async () => {
    const { instanceId, lead } = await atHandle();
    const page = await fgw.get(`/tasks/${lead}`);
    const version = (await s.engine.instance(actors.admin!, instanceId)).version;
    await s.engine.move(actors.admin!, instanceId, { to: 'review', reason: '重新交办', version });
    for (const headers of [{}, { 'HX-Request': 'true' }] as Record<string, string>[]) {
      const res = await fgw.post(`/tasks/${lead}`, replyForm(page.text), { headers });
      expect(res.status).toBe(409);
      expect(res.text).toContain(REPLY);
      expect(res.text).toContain('已不能再提交');
    }
  });

  it('the task was moved to another unit meanwhile (转办): the refusal still shows the reply', async () => {
    const { lead } = await atHandle();
    const page = await fgw.get(`/tasks/${lead}`);
    const fgwActor = (await s.engine.login('fgw1', DEMO_PASSWORD)).actor;
    const version = (await s.engine.task(fgwActor, lead)).version;
    // Not to 市教育局: it is a co-handler here, acting already, and 转办 never goes to one (handoff.ts).
    await s.engine.taskAction(fgwActor, lead, { action: 'reassign', toOrg: 'city-mzj', reason: '职责不符', version });
    for (const headers of [{}, { 'HX-Request': 'true' }] as Record<string, string>[]) {
      const res = await fgw.post(`/tasks/${lead}`, replyForm(page.text), { headers });
      expect([403, 404, 409]).toContain(res.status);
      expect(res.text).toContain(REPLY);
    }
  });

  it('an office action on a stale page (委派): the 409 shows the typed reason, plain and htmx', async () => {
    const { lead, co } = await atHandle();
    await pastCoDeadline();
    const page = await fgw.get(`/tasks/${lead}`);
    await coHandlerAnswers(co);
    const reason = `请协助起草答复${randomUUID()}`;
    for (const headers of [{}, { 'HX-Request': 'true' }] as Record<string, string>[]) {
      const res = await fgw.post(`/tasks/${lead}/actions/delegate`, { _version: inputValue(page.text, '_version')!, toUser: 'fgw2', reason }, { headers });
      expect(res.status).toBe(409);
      expect(res.text).toContain(reason);
    }
  });

  it('the JSON API: a 409 says the request was not kept and how to go on', async () => {
    const { lead, co } = await atHandle();
    const token = await apiToken(s.base, 'fgw1');
    const task = await fetch(`${s.base}/api/v1/tasks/${lead}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    await coHandlerAnswers(co);
    const res = await fetch(`${s.base}/api/v1/tasks/${lead}/complete`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'submit', version: task.version, data: { reply: REPLY, grade: 'B' } }),
    });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe('LVZ_RUN_CONFLICT');
    expect(body.error.message).toContain(`GET /api/v1/tasks/${lead}`);
    expect(body.error.message).toContain('新的 version');
    expect(body.error.message).not.toContain('刷新');
  });
});

// scope.test.ts: issue 12, item 4: a district's admin administers only the cases started in their
// district (engine/runtime/admin-scope.ts). Another district's case is not found (404) by the
// API, the web form, the instance page and its list, 定时任务 and migration, and nothing changes;
// their own district's cases and the city admin's reach still work. deputy1 sits in 张店区代表团,
// deputy2 in 临淄区代表团 (engine/store/seed/demo.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { getUser, insertUsers } from '../../engine/store/directory.ts';
import { timersOf } from '../../engine/store/process/index.ts';
import type { Actor } from '../../engine/runtime/types.ts';
import { inputValue, loginAs, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let city: Actor;
const tokens = new Map<string, string>();

async function actor(username: string): Promise<Actor> {
  return (await s.engine.login(username, 'lvzhi2026')).actor;
}

async function startCase(username: string, title: string, workflow = 'suggestion'): Promise<string> {
  const { instanceId } = await s.engine.start(await actor(username), workflow, {
    event: 'submit', version: 0, input: { title, category: '城乡建设与管理', content: '内容' },
  });
  return instanceId;
}

/** What a refused action must leave as it was. */
async function stateOf(id: string): Promise<{ state: string; status: string; version: number; history: number }> {
  const v = await s.engine.instance(city, id);
  return { state: v.summary.state, status: v.summary.status, version: v.version, history: v.history.length };
}

async function api(username: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  if (!tokens.has(username)) {
    const r = await fetch(`${s.base}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'lvzhi2026' }) });
    tokens.set(username, ((await r.json()) as { token: string }).token);
  }
  const res = await fetch(`${s.base}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${tokens.get(username)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

async function withDb<T>(run: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

let zd: string; // deputy1's (张店区)
let lz: string; // deputy2's (临淄区), with an attachment
let lzFile: string;

beforeAll(async () => {
  s = await startServer();
  city = await actor('admin');
  zd = await startCase('deputy1', '张店区代表的建议');
  const form = new FormData();
  form.append('workflowId', 'suggestion');
  form.append('attachments', new Blob(['%PDF-1.4 调研'], { type: 'application/pdf' }), '调研报告.pdf');
  await api('deputy2', 'GET', '/inbox'); // a token for deputy2
  const up = await fetch(`${s.base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get('deputy2')}` }, body: form });
  lzFile = ((await up.json()) as { files: { fileId: string }[] }).files[0]!.fileId;
  const started = await api('deputy2', 'POST', '/workflows/suggestion/instances', {
    event: 'submit', data: { title: '临淄区代表的建议', category: '城乡建设与管理', content: '内容', attachments: [lzFile] },
  });
  lz = started.json.instanceId;
});
afterAll(async () => { await s.close(); });

describe('instance actions over the API', () => {
  it('refuses 终止 and 调整办理步骤 on another district\'s case with 404 and changes nothing', async () => {
    const before = { zd: await stateOf(zd), lz: await stateOf(lz) };
    const terminate = await api('zhangdian-admin', 'POST', `/instances/${lz}/terminate`, { reason: '越权终止', version: before.lz.version });
    expect(terminate.status).toBe(404);
    expect(terminate.json.error.message).toMatch(/事项不存在或您无权查看/);
    expect((await api('linzi-admin', 'POST', `/instances/${zd}/terminate`, { reason: '越权终止', version: before.zd.version })).status).toBe(404);
    expect((await api('linzi-admin', 'POST', `/instances/${zd}/move`, { to: 'draft', reason: '越权调整', version: before.zd.version })).status).toBe(404);
    expect((await api('zhangdian-admin', 'POST', `/instances/${lz}/move`, { to: 'draft', reason: '越权调整', version: before.lz.version })).status).toBe(404);
    expect((await api('linzi-admin', 'GET', `/instances/${zd}`)).status).toBe(404);
    expect(await stateOf(zd)).toEqual(before.zd);
    expect(await stateOf(lz)).toEqual(before.lz);
  });

  it('lists only the admin\'s own district; the city admin lists both', async () => {
    const ids = async (u: string) => ((await api(u, 'GET', '/instances?pageSize=100')).json.items as { instanceId: string }[]).map((i) => i.instanceId);
    const linzi = await ids('linzi-admin');
    expect(linzi).toContain(lz);
    expect(linzi).not.toContain(zd);
    const zhangdian = await ids('zhangdian-admin');
    expect(zhangdian).toContain(zd);
    expect(zhangdian).not.toContain(lz);
    // Filtered to one workflow, as the list's own filter does.
    expect(((await api('linzi-admin', 'GET', '/instances?workflowId=suggestion')).json.items as { instanceId: string }[]).map((i) => i.instanceId)).toEqual(expect.not.arrayContaining([zd]));
    expect(await ids('admin')).toEqual(expect.arrayContaining([zd, lz]));
  });

  it('lets an admin act on their own district\'s cases and the city admin on any', async () => {
    const own = await startCase('deputy2', '临淄区管理员终止');
    const view = await api('linzi-admin', 'GET', `/instances/${own}`);
    expect(view.json.can).toMatchObject({ terminate: true, move: true });
    expect((await api('linzi-admin', 'POST', `/instances/${own}/terminate`, { reason: '本区终止', version: view.json.version })).status).toBe(200);
    expect((await stateOf(own)).status).toBe('terminated');
    const moved = await startCase('deputy1', '张店区管理员调整');
    expect((await api('zhangdian-admin', 'POST', `/instances/${moved}/move`, { to: 'draft', reason: '退回补充', version: (await stateOf(moved)).version })).status).toBe(200);
    expect((await stateOf(moved)).state).toBe('draft');
    const any = await startCase('deputy2', '市级管理员终止');
    expect((await api('admin', 'POST', `/instances/${any}/terminate`, { reason: '市级终止', version: (await stateOf(any)).version })).status).toBe(200);
  });
});

describe('instance actions by the web form', () => {
  it('refuses another district\'s case on the page, its form and its files; lists only the district\'s', async () => {
    const before = await stateOf(lz);
    const c = await loginAs(s.base, 'zhangdian-admin');
    const list = await c.get('/instances');
    expect(list.text).toContain('张店区代表的建议');
    expect(list.text).not.toContain('临淄区代表的建议');
    expect((await c.get(`/instances/${lz}`)).status).toBe(404);
    const terminate = await c.post(`/instances/${lz}/terminate`, { reason: '越权终止', _version: String(before.version) });
    expect(terminate.status).toBe(404);
    expect(terminate.text).toContain('事项不存在或您无权查看');
    expect((await c.post(`/instances/${lz}/move`, { to: 'draft', reason: '越权调整', _version: String(before.version) })).status).toBe(404);
    expect(await stateOf(lz)).toEqual(before);
    expect((await c.get(`/files/${lzFile}`)).status).toBe(404);
    expect((await (await loginAs(s.base, 'linzi-admin')).get(`/files/${lzFile}`)).status).toBe(200);
  });

  it('offers and performs the actions on the admin\'s own district\'s case', async () => {
    const own = await startCase('deputy2', '临淄区网页终止');
    const c = await loginAs(s.base, 'linzi-admin');
    const page = await c.get(`/instances/${own}`);
    expect(page.text).toContain('id="i-move-to"');
    const done = await c.post(`/instances/${own}/terminate`, { reason: '本区终止', _version: inputValue(page.text, '_version')! });
    expect(done.status).toBe(303);
    expect((await stateOf(own)).status).toBe('terminated');
  });
});

describe('定时任务', () => {
  it('lists and retries only the district\'s failed timers; another district\'s is not found and stays failed', async () => {
    const failed = await withDb(async (db) => {
      const t = (await timersOf(db, lz)).find((x) => x.kind === 'deadline')!;
      await db('timers').where('id', t.id).update({ status: 'failed', attempts: 3, last_error: '测试' });
      return t.id;
    });
    const zdAdmin = await actor('zhangdian-admin');
    expect((await s.engine.timers.overview(zdAdmin)).failed.map((f) => f.id)).not.toContain(failed);
    const c = await loginAs(s.base, 'zhangdian-admin');
    expect((await c.get('/admin/timers')).text).not.toContain('临淄区代表的建议');
    expect((await c.post(`/admin/timers/${failed}/retry`, {})).status).toBe(404);
    expect(await withDb(async (db) => (await db('timers').where('id', failed).first()).status)).toBe('failed');
    const lzAdmin = await actor('linzi-admin');
    expect((await s.engine.timers.overview(lzAdmin)).failed.map((f) => f.id)).toEqual([failed]);
    await s.engine.timers.retry(lzAdmin, failed);
    expect(await withDb(async (db) => (await db('timers').where('id', failed).first()).status)).toBe('pending');
  });
});

describe('migration', () => {
  it('moves only the district\'s own instances of its variant; the city admin moves the rest', async () => {
    // A 张店区 district deputy (a town's, so they start 张店区's variant), and one case of that
    // variant recorded as started in 临淄区 (carried over from elsewhere): not 张店区's to move.
    await withDb(async (db) => {
      const hash = (await getUser(db, 'deputy1'))!.passwordHash;
      await insertUsers(db, [{ id: 'zd-town-deputy', name: '车站街道代表', orgId: 'zhangdian-chezhan', roles: ['deputy'], passwordHash: hash }], s.clock.now);
    });
    const zdAdmin = await actor('zhangdian-admin');
    const def = await s.engine.studio.definition(zdAdmin, 'workflow', 'zhangdian-suggestion');
    await s.engine.studio.publish(zdAdmin, 'workflow', 'zhangdian-suggestion', { text: def.text.replace('title: 张店区代表建议办理', 'title: 张店区代表建议办理（修订）'), message: '修订标题', baseVersion: def.latestVersion });
    const mine = await startCase('zd-town-deputy', '本区变体的件', 'zhangdian-suggestion');
    const other = await startCase('zd-town-deputy', '他区记入的件', 'zhangdian-suggestion');
    await withDb((db) => db('instances').where('id', other).update({ initiator_org: 'linzi-xindian' }));
    const to = def.latestVersion;
    const from = to + 1;
    const plan = await s.engine.studio.planMigration(zdAdmin, 'zhangdian-suggestion', { from, to, mapping: {} });
    expect(plan.instances.map((i) => i.instanceId)).toEqual([mine]);
    expect((await s.engine.studio.migrate(zdAdmin, 'zhangdian-suggestion', { from, to, mapping: {} })).moved).toBe(1);
    expect((await s.engine.instance(city, other)).summary.workflowVersion).toBe(from);
    expect((await s.engine.instance(city, mine)).summary.workflowVersion).toBe(to);
    expect((await s.engine.studio.migrate(city, 'zhangdian-suggestion', { from, to, mapping: {} })).moved).toBe(1);
    expect((await s.engine.instance(city, other)).summary.workflowVersion).toBe(to);
  });
});

describe('a case the admin sees otherwise', () => {
  it('copied (抄送) to another district\'s admin: readable, but 终止 and 调整办理步骤 are 403 and change nothing', async () => {
    const review = await actor('review1');
    const task = (await s.engine.inbox(review, 'todo', { page: 1, pageSize: 100 })).items.find((t) => t.instanceId === lz)!;
    await s.engine.taskAction(review, task.taskId, { action: 'copy', toUsers: ['zhangdian-admin'] });
    const before = await stateOf(lz);
    const view = await api('zhangdian-admin', 'GET', `/instances/${lz}`);
    expect(view.status).toBe(200);
    expect(view.json.can).toMatchObject({ terminate: false, move: false });
    const terminate = await api('zhangdian-admin', 'POST', `/instances/${lz}/terminate`, { reason: '越权终止', version: before.version });
    expect(terminate.status).toBe(403);
    expect(terminate.json.error.message).toContain('本区以外发起的件不能终止');
    const c = await loginAs(s.base, 'zhangdian-admin');
    const page = await c.get(`/instances/${lz}`);
    expect(page.text).not.toContain('id="i-move-to"');
    expect((await c.post(`/instances/${lz}/move`, { to: 'draft', reason: '越权调整', _version: String(before.version) })).status).toBe(403);
    expect(await stateOf(lz)).toEqual(before);
  });
});

describe('背靠背 质效测评 (issue 12, Low)', () => {
  /** The one open task of `user` on the instance, completed with `input`. */
  async function complete(user: string, id: string, event: string, input: Record<string, unknown>): Promise<void> {
    const a = await actor(user);
    const task = (await s.engine.inbox(a, 'todo', { page: 1, pageSize: 100 })).items.find((t) => t.instanceId === id)!;
    await s.engine.complete(a, task.taskId, { event, version: (await stateOf(id)).version, input, opinion: '同意' });
  }

  it('hides the evaluator\'s name from the unit everywhere on the step and says plainly that the evaluator is the initiator', async () => {
    const id = await startCase('deputy1', '背靠背测评的建议');
    await complete('review1', id, 'accept', { lead_unit: 'city-fgw', co_units: [], is_complex: '否', is_key: '否' });
    await complete('fgw1', id, 'submit', { reply: '已列入计划。', grade: 'B' });
    expect((await stateOf(id)).state).toBe('evaluate');

    // Waiting for the evaluation: the holder of 办理测评 is not named to the unit, page or API.
    const unit = await api('fgw1', 'GET', `/instances/${id}`);
    expect(unit.json.openTasks).toEqual([expect.objectContaining({ stepTitle: '办理测评', holder: '匿名' })]);
    expect(unit.json.anonymity).toEqual([{ stepTitle: '办理测评', isByInitiator: true, isContentHidden: true }]);
    const c = await loginAs(s.base, 'fgw1');
    const page = await c.get(`/instances/${id}`);
    expect(page.text).toMatch(/<div class="notice" role="note" id="anonymity-note">[\s\S]*办理测评[\s\S]*由本件的发起人本人办理[\s\S]*并不隐瞒是谁办理的/);

    await complete('deputy1', id, 'submit', { eval_attitude: '好', eval_method: '较好', eval_effect: '差', eval_overall: '满意', eval_comment: '背靠背的评价意见' });
    const after = await api('fgw1', 'GET', `/instances/${id}`);
    const evals = (after.json.history as { stepTitle?: string; actorName: string; actorOrg?: string }[]).filter((e) => e.stepTitle === '办理测评');
    expect(evals.length).toBeGreaterThan(0);
    expect(evals.every((e) => e.actorName === '匿名' && e.actorOrg === undefined)).toBe(true);
    expect(JSON.stringify(after.json)).not.toContain('背靠背的评价意见');
    expect((await c.get(`/instances/${id}`)).text).not.toContain('背靠背的评价意见');

    // The deputy and the review office read names as before, with no note.
    for (const user of ['deputy1', 'review1']) {
      const v = await api(user, 'GET', `/instances/${id}`);
      expect(v.json.anonymity).toEqual([]);
      expect((v.json.history as { stepTitle?: string; actorName: string }[]).filter((e) => e.stepTitle === '办理测评').every((e) => e.actorName === '王建国')).toBe(true);
    }
  });
});

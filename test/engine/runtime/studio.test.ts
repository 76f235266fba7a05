// studio.test.ts: the admin studio through the engine: publish, version pinning across restarts, a
// publish race, invalid text never published, district permissions, diffs, drafts, district
// statuses after a city publish, and migration (dry run, real run, refusal).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../engine/index.ts';
import { hashPassword } from '../../../engine/auth/password.ts';
import { openDb } from '../../../engine/store/db.ts';
import { insertUsers } from '../../../engine/store/directory.ts';
import { codeOf, openHarness, taskOf, versionOf, type Harness } from './harness.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');
const SUBMIT = { event: 'submit', version: 0, input: { title: '关于增设公交站点的建议', category: '城乡建设与管理', content: '建议在新区增设公交站点。' } };

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h.close(); });

async function errorOf(p: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; params: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

describe('studio: versions and publish', () => {
  it('lists the shipped definitions with owners and the districts extending them', async () => {
    const list = await h.engine.studio.list(await h.as('admin'));
    const s = list.find((e) => e.kind === 'workflow' && e.id === 'suggestion')!;
    expect(s.latestVersion).toBe(1);
    expect(s.ownerName).toBe('市人大常委会');
    expect(s.extendedBy.map((d) => d.id)).toEqual(['zhangdian-suggestion']);
    const zd = list.find((e) => e.id === 'zhangdian-suggestion')!;
    expect(zd.extendsId).toBe('suggestion');
    expect(zd.ownerName).toBe('张店区人大常委会');
    expect(list.some((e) => e.kind === 'form' && e.id === 'suggestion')).toBe(true);
    expect(await codeOf(h.engine.studio.list(await h.as('deputy1')))).toBe('LVZ_AUTH_FORBIDDEN');
  });

  it('an instance started on v1 stays on v1 after v2 is published; a new one runs on v2, also after a restart', async () => {
    const deputy = await h.as('deputy1');
    const admin = await h.as('admin');
    const old = await h.engine.start(deputy, 'suggestion', SUBMIT);
    const text = CITY.replace('title: 审查交办', 'title: 审查并交办');
    const r = await h.engine.studio.publish(admin, 'workflow', 'suggestion', { text, message: '审查步骤改名', baseVersion: 1 });
    expect(r.version).toBe(2);
    expect(r.districts).toEqual([expect.objectContaining({ id: 'zhangdian-suggestion', status: 'ok' })]);
    const fresh = await h.engine.start(deputy, 'suggestion', SUBMIT);
    expect((await h.engine.instance(deputy, old.instanceId)).summary).toMatchObject({ workflowVersion: 1, stateTitle: '审查交办' });
    expect((await h.engine.instance(deputy, fresh.instanceId)).summary).toMatchObject({ workflowVersion: 2, stateTitle: '审查并交办' });

    const def = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    expect(def.latestVersion).toBe(2);
    expect(def.text).toContain('version: 2');
    expect(def.versions.map((v) => [v.version, v.authorName, v.message])).toEqual([[2, '系统管理员', '审查步骤改名'], [1, null, null]]);
    expect((await h.engine.studio.versionText(admin, 'workflow', 'suggestion', 1)).text).toBe(CITY);

    const diff = await h.engine.studio.diff(admin, 'workflow', 'suggestion', 1, 2);
    expect(diff.unified.filter((l) => l.kind !== 'same').map((l) => `${l.kind}:${l.text.trim()}`)).toEqual(
      expect.arrayContaining(['del:version: 1', 'add:version: 2', 'del:title: 审查交办', 'add:title: 审查并交办']));
    expect(diff.split.find((row) => row.left?.kind === 'del' && row.left.text.includes('审查交办'))?.right?.text).toContain('审查并交办');

    // A restart reads the shipped v1 file again: it must not clobber v2, and new instances stay on v2.
    await h.reopen();
    const after = await h.engine.start(deputy, 'suggestion', SUBMIT);
    expect((await h.engine.instance(deputy, after.instanceId)).summary.workflowVersion).toBe(2);
    expect((await h.engine.instance(deputy, old.instanceId)).summary.workflowVersion).toBe(1);
  });

  it('a publish that races another loses with LVZ_RUN_CONFLICT and writes nothing', async () => {
    const admin = await h.as('admin');
    const base = (await h.engine.studio.definition(admin, 'workflow', 'suggestion')).latestVersion;
    const text = (await h.engine.studio.definition(admin, 'workflow', 'suggestion')).text;
    const results = await Promise.allSettled([
      h.engine.studio.publish(admin, 'workflow', 'suggestion', { text: text.replace('title: 办理测评', 'title: 测评A'), message: 'A', baseVersion: base }),
      h.engine.studio.publish(admin, 'workflow', 'suggestion', { text: text.replace('title: 办理测评', 'title: 测评B'), message: 'B', baseVersion: base }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.code).toBe('LVZ_RUN_CONFLICT');
    const def = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    expect(def.latestVersion).toBe(base + 1);
    // A stale base is refused too.
    expect(await codeOf(h.engine.studio.publish(admin, 'workflow', 'suggestion', { text, message: 'late', baseVersion: base }))).toBe('LVZ_RUN_CONFLICT');
    expect((await h.engine.studio.definition(admin, 'workflow', 'suggestion')).latestVersion).toBe(base + 1);
  });

  it('invalid text is never published: LVZ_DSL_INVALID with every error at its line', async () => {
    const admin = await h.as('admin');
    const def = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    const broken = def.text.replace('accept: { to: handle, label: 交办 }', 'accept: { to: handel, label: 交办 }').replace('title: 办结', 'titel: 办结');
    const e = await errorOf(h.engine.studio.publish(admin, 'workflow', 'suggestion', { text: broken, message: 'broken', baseVersion: def.latestVersion }));
    expect(e.code).toBe('LVZ_DSL_INVALID');
    const errors = e.params.errors as { code: string; line: number }[];
    expect(errors.length).toBeGreaterThan(0);
    const lineOf = (s: string): number => broken.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(errors.map((x) => x.line)).toContain(lineOf('titel: 办结'));
    const check = await h.engine.studio.check(admin, 'workflow', 'suggestion', broken.replace('titel: 办结', 'title: 办结'));
    expect(check.errors[0]).toMatchObject({ code: 'LVZ_DSL_UNKNOWN_STATE', line: lineOf('to: handel'), isOwnFile: true });
    expect((await h.engine.studio.definition(admin, 'workflow', 'suggestion')).latestVersion).toBe(def.latestVersion);
    expect(await codeOf(h.engine.studio.publish(admin, 'workflow', 'suggestion', { text: def.text, message: '  ', baseVersion: def.latestVersion }))).toBe('LVZ_RUN_BAD_REQUEST');
  });

  it('the check (in its worker) and publish refuse a role directory/roles.yaml does not declare, listing the declared ones', async () => {
    const admin = await h.as('admin');
    const def = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    const text = def.text.replace(/^roles: \[([^\]]*)\]/m, 'roles: [$1, liaison]');
    const line = text.split('\n').findIndex((l) => l.startsWith('roles:')) + 1;
    const check = await h.engine.studio.check(admin, 'workflow', 'suggestion', text);
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([expect.objectContaining({ code: 'LVZ_DSL_UNDECLARED_ROLE', line, isOwnFile: true })]);
    expect(check.errors[0]!.message).toMatch(/未声明的角色“liaison”：已声明的角色有 admin（系统管理员）、deputy（人大代表）.*请在 directory\/roles\.yaml 中声明/);
    expect(await codeOf(h.engine.studio.publish(admin, 'workflow', 'suggestion', { text, message: 'liaison', baseVersion: def.latestVersion }))).toBe('LVZ_DSL_INVALID');
    expect((await h.engine.studio.definition(admin, 'workflow', 'suggestion')).latestVersion).toBe(def.latestVersion);
    // The diagram of a text that passes names roles by their labels.
    const ok = await h.engine.studio.check(admin, 'workflow', 'suggestion', def.text);
    expect(ok.diagram?.svg).toContain('审查交办（代表工委）');
  });

  it('a district admin may not change the city definition (403) but may publish the district one', async () => {
    const zd = await h.as('zhangdian-admin');
    const city = await h.engine.studio.definition(zd, 'workflow', 'suggestion');
    expect(city.canEdit).toBe(false);
    expect(await codeOf(h.engine.studio.publish(zd, 'workflow', 'suggestion', { text: city.text, message: 'x', baseVersion: city.latestVersion }))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.studio.saveDraft(zd, 'workflow', 'suggestion', { text: city.text, baseVersion: city.latestVersion }))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.studio.migrate(zd, 'suggestion', { from: 1, to: 2, mapping: {} }))).toBe('LVZ_AUTH_FORBIDDEN');
    const own = await h.engine.studio.definition(zd, 'workflow', 'zhangdian-suggestion');
    expect(own.canEdit).toBe(true);
    expect(own.text).toContain('extends: suggestion');
    const r = await h.engine.studio.publish(zd, 'workflow', 'zhangdian-suggestion', {
      text: own.text.replace('deadline: { after: 5 working days }', 'deadline: { after: 4 working days }'), message: '审查期限缩短为 4 个工作日', baseVersion: 1,
    });
    expect(r.version).toBe(2);
    // Handing the definition to the city is not the district's to do.
    const again = await h.engine.studio.definition(zd, 'workflow', 'zhangdian-suggestion');
    expect(await codeOf(h.engine.studio.publish(zd, 'workflow', 'zhangdian-suggestion', { text: again.text.replace('owner: zhangdian', 'owner: city'), message: 'x', baseVersion: 2 }))).toBe('LVZ_AUTH_FORBIDDEN');
  });

  it('drafts are kept per admin until published or discarded', async () => {
    const admin = await h.as('admin');
    const def = await h.engine.studio.definition(admin, 'form', 'suggestion');
    await h.engine.studio.saveDraft(admin, 'form', 'suggestion', { text: def.text + '\n# draft\n', baseVersion: def.latestVersion });
    expect((await h.engine.studio.definition(admin, 'form', 'suggestion')).draft?.text).toContain('# draft');
    expect((await h.engine.studio.definition(await h.as('zhangdian-admin'), 'form', 'suggestion')).draft).toBeUndefined();
    await h.engine.studio.discardDraft(admin, 'form', 'suggestion');
    expect((await h.engine.studio.definition(admin, 'form', 'suggestion')).draft).toBeUndefined();
  });

  it('publishes a form, refusing one that drops a field a workflow still uses', async () => {
    const admin = await h.as('admin');
    const def = await h.engine.studio.definition(admin, 'form', 'suggestion');
    const check = await h.engine.studio.check(admin, 'form', 'suggestion', def.text);
    expect(check.ok).toBe(true);
    expect(check.preview?.fields.map((f) => f.name)).toContain('title');
    const dropped = def.text.replace(/\n  - name: co_opinion\n(    .*\n)+/, '\n');
    expect(dropped).not.toContain('name: co_opinion');
    const e = await errorOf(h.engine.studio.publish(admin, 'form', 'suggestion', { text: dropped, message: '删除协办意见', baseVersion: def.latestVersion }));
    expect(e.code).toBe('LVZ_DSL_INVALID');
    expect(JSON.stringify(e.params.errors)).toContain('co_opinion');
    const r = await h.engine.studio.publish(admin, 'form', 'suggestion', { text: def.text.replace('label: 标题', 'label: 建议标题'), message: '标题改为“建议标题”', baseVersion: def.latestVersion });
    expect(r.version).toBe(def.latestVersion + 1);
    const form = await h.engine.startForm(await h.as('deputy1'), 'suggestion');
    expect(form.form.fields.find((f) => f.name === 'title')?.label).toBe('建议标题');
  });
});

describe('studio: districts', () => {
  it('offers a district version to its own users instead of the city one, and refuses others', async () => {
    const deputy = await h.as('deputy1'); // 张店区代表团: a city deputy, so the city's version
    expect((await h.engine.startable(deputy)).map((w) => w.workflowId)).toContain('suggestion');
    expect(await codeOf(h.engine.start(deputy, 'zhangdian-suggestion', SUBMIT))).toBe('LVZ_RUN_NOT_STARTABLE');
    // A deputy of the district's own congress (a street under 张店区) is offered the district's version instead.
    const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
    await insertUsers(db, [{ id: 'zd-deputy', name: '区代表', roles: ['deputy'], orgId: 'zhangdian-chezhan', passwordHash: await hashPassword('zd-pass-2026') }], h.clock.now);
    await db.destroy();
    const local = (await h.engine.login('zd-deputy', 'zd-pass-2026')).actor;
    const offered = (await h.engine.startable(local)).map((w) => w.workflowId);
    expect(offered).toContain('zhangdian-suggestion');
    expect(offered).not.toContain('suggestion');
    const { instanceId } = await h.engine.start(local, 'zhangdian-suggestion', SUBMIT);
    const view = await h.engine.instance(local, instanceId);
    expect(view.summary).toMatchObject({ workflowId: 'zhangdian-suggestion', state: 'review' });
    // The district's deadline (its v2 above: 4 working days from Monday 2026-03-02; the city's is 7) is what runs.
    expect(view.openTasks[0]?.dueAt?.slice(0, 10)).toBe('2026-03-06');
  });

  it('shows the district differences and tells it when the city breaks its overrides', async () => {
    const admin = await h.as('admin');
    const [view] = await h.engine.studio.districts(admin, 'zhangdian-suggestion');
    expect(view!.differences).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/title', kind: 'changed', to: '张店区代表建议办理' })]));
    expect(view!.status.status).toBe('ok');
    const city = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    // v next renames review -> examine: the district's override of review no longer applies.
    const renamed = city.text.replace(/^ {2}review:/m, '  examine:').replace('submit: { to: review, label: 提交 }', 'submit: { to: examine, label: 提交 }');
    const r = await h.engine.studio.publish(admin, 'workflow', 'suggestion', { text: renamed, message: '审查步骤改为 examine', baseVersion: city.latestVersion });
    expect(r.districts[0]).toMatchObject({ id: 'zhangdian-suggestion', status: 'conflict' });
    expect(r.districts[0]!.findings.map((f) => f.code)).toContain('LVZ_DSL_OVERRIDE_CONFLICT');
    const [after] = await h.engine.studio.districts(await h.as('zhangdian-admin'), 'suggestion');
    expect(after!.status.status).toBe('conflict');
  });
});

describe('studio: a district starts its own customisation', () => {
  it('creates <district>-<city> as version 1, only for the admin\'s own district, once, and runs it for the district', async () => {
    const lz = await h.as('linzi-admin');
    const zd = await h.as('zhangdian-admin');
    expect((await h.engine.studio.districtOptions(lz, 'suggestion')).map((o) => o.id)).toEqual(['linzi-suggestion']);
    expect(await h.engine.studio.districtOptions(zd, 'suggestion')).toEqual([]); // 张店区 already customises it
    expect(await codeOf(h.engine.studio.createDistrict(zd, 'suggestion', 'linzi'))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.studio.createDistrict(await h.as('deputy1'), 'suggestion'))).toBe('LVZ_AUTH_FORBIDDEN');
    expect(await codeOf(h.engine.studio.createDistrict(lz, 'zhangdian-suggestion'))).toBe('LVZ_RUN_BAD_REQUEST');
    expect(await codeOf(h.engine.studio.createDistrict(lz, 'nothing-here'))).toBe('LVZ_RUN_NOT_FOUND');

    const r = await h.engine.studio.createDistrict(lz, 'suggestion');
    expect(r).toMatchObject({ id: 'linzi-suggestion', version: 1 });
    const def = await h.engine.studio.definition(lz, 'workflow', 'linzi-suggestion');
    expect(def.canEdit).toBe(true);
    expect(def.entry).toMatchObject({ extendsId: 'suggestion', owner: 'linzi', ownerName: '临淄区人大常委会' });
    expect(def.text).toContain('# yaml-language-server: $schema=../../schema/workflow-district.schema.json\nid: linzi-suggestion\nversion: 1\nextends: suggestion\nowner: linzi\n');
    expect(def.text).toMatch(/^title: .+（临淄区）$/m);
    expect(def.versions.map((v) => [v.version, v.authorName, v.message])).toEqual([[1, '蒋立新', '创建本区定制']]);

    // A second create, by him or a city admin, points to the editor instead.
    const again = await errorOf(h.engine.studio.createDistrict(await h.as('admin'), 'suggestion', 'linzi'));
    expect(again.code).toBe('LVZ_RUN_CONFLICT');
    expect((again as unknown as Error).message).toContain('/admin/workflows/linzi-suggestion');
    expect(await codeOf(h.engine.studio.createDistrict(lz, 'suggestion'))).toBe('LVZ_RUN_CONFLICT');
    expect((await h.engine.studio.list(lz)).find((e) => e.id === 'suggestion')!.extendedBy.map((d) => d.id)).toContain('linzi-suggestion');
    const [view] = await h.engine.studio.districts(lz, 'linzi-suggestion');
    expect(view!.status.status).toBe('ok');
    expect(view!.differences).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/title', kind: 'changed' })]));

    // A user of a town under 临淄区 is offered it instead of the city's, and it runs; 张店区's users are refused it.
    const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
    await insertUsers(db, [{ id: 'lz-deputy', name: '临淄区代表', roles: ['deputy'], orgId: 'linzi-xindian', passwordHash: await hashPassword('lz-pass-2026') }], h.clock.now);
    await db.destroy();
    const local = (await h.engine.login('lz-deputy', 'lz-pass-2026')).actor;
    const offered = (await h.engine.startable(local)).map((w) => w.workflowId);
    expect(offered).toContain('linzi-suggestion');
    expect(offered).not.toContain('suggestion');
    const { instanceId } = await h.engine.start(local, 'linzi-suggestion', SUBMIT);
    expect((await h.engine.instance(local, instanceId)).summary).toMatchObject({ workflowId: 'linzi-suggestion', workflowVersion: 1 });
    const zdLocal = (await h.engine.login('zd-deputy', 'zd-pass-2026')).actor; // added by the districts test above
    expect(await codeOf(h.engine.start(zdLocal, 'linzi-suggestion', SUBMIT))).toBe('LVZ_RUN_NOT_STARTABLE');
  });
});

describe('studio: migration', () => {
  it('dry run lists moves and strandings, refuses an unmapped state, then moves everything in one go', async () => {
    const admin = await h.as('admin');
    const deputy = await h.as('deputy1');
    const defs = await h.engine.studio.definition(admin, 'workflow', 'suggestion');
    const newest = defs.latestVersion; // review renamed to examine
    const v1Instances = (await h.engine.instances(admin, { page: 1, pageSize: 100, workflowId: 'suggestion' })).items
      .filter((i) => i.workflowVersion === 1 && i.status === 'active');
    expect(v1Instances.length).toBeGreaterThan(0);

    const plan = await h.engine.studio.planMigration(admin, 'suggestion', { from: 1, to: newest, mapping: {} });
    expect(plan.ok).toBe(false);
    expect(plan.states).toEqual([expect.objectContaining({ state: 'review', problem: expect.stringContaining('没有步骤') })]);
    const e = await errorOf(h.engine.studio.migrate(admin, 'suggestion', { from: 1, to: newest, mapping: {} }));
    expect(e.code).toBe('LVZ_RUN_MIGRATION_REFUSED');
    expect((await h.engine.instance(deputy, v1Instances[0]!.instanceId)).summary.workflowVersion).toBe(1);
    expect(await codeOf(h.engine.studio.migrate(admin, 'suggestion', { from: 1, to: newest, mapping: { review: 'closed' } }))).toBe('LVZ_RUN_MIGRATION_REFUSED');

    const good = await h.engine.studio.planMigration(admin, 'suggestion', { from: 1, to: newest, mapping: { review: 'examine' } });
    expect(good).toMatchObject({ ok: true, movable: v1Instances.length, stranded: 0 });
    const done = await h.engine.studio.migrate(admin, 'suggestion', { from: 1, to: newest, mapping: { review: 'examine' } });
    expect(done.moved).toBe(v1Instances.length);
    const id = v1Instances[0]!.instanceId;
    const view = await h.engine.instance(deputy, id);
    expect(view.summary).toMatchObject({ workflowVersion: newest, state: 'examine' });
    const migrated = view.history.find((x) => x.type === 'instance.migrated')!;
    expect(migrated.summary).toContain(`第 1 版 → 第 ${newest} 版`);
    expect(migrated.actorName).toBe('系统管理员');
    // The review office's task was re-created on the new state and can be completed.
    const task = await taskOf(h, 'review1', id);
    await h.engine.complete(await h.as('review1'), task, {
      event: 'accept', version: await versionOf(h, 'review1', id), opinion: '同意',
      input: { lead_unit: 'city-fgw', co_units: [], is_complex: '否', is_key: '否' },
    });
    expect((await h.engine.instance(deputy, id)).summary.state).toBe('handle');
  });
});

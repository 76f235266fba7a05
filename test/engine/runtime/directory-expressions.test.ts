// directory-expressions.test.ts: the directory functions in a running workflow (test/fixtures/runtime/
// directory/liaison-case.yaml) on a real engine and database: a liaison's case goes to the deputy they
// work for and to their district's staff, the copy reaches the group's active members, for_each walks
// a group, a disabled member gets nothing, and actor.groups / actor.district steer a guard.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../engine/auth/password.ts';
import { DEMO_PASSWORD } from '../../../engine/store/seed/demo.ts';
import type { DirectoryChangeSet } from '../../../engine/runtime/types.ts';
import { openHarness, taskOf, type Harness } from './harness.ts';

let h: Harness;
let project: string;

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-dirx-'));
  for (const dir of ['calendars', 'forms']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.mkdirSync(path.join(project, 'directory'));
  const roles = fs.readFileSync(path.resolve('directory/roles.yaml'), 'utf8');
  fs.writeFileSync(path.join(project, 'directory/roles.yaml'), `${roles}  - id: liaison\n    label: 民情联络员\n    description: 为代表收集社情民意。\n`);
  fs.cpSync(path.resolve('test/fixtures/runtime/directory'), path.join(project, 'workflows'), { recursive: true });
  h = await openHarness({ projectDir: project, start: '2026-12-02T01:00:00Z' });
  const hash = await hashPassword(DEMO_PASSWORD);
  const person = (id: string, name: string, orgId: string, roles: string[], disabled = false) => ({
    id, name, orgId, roles, phone: null, deputyLevel: null, constituency: null, disabled, passwordHash: hash, mustChangePassword: false,
  });
  const group = (id: string, name: string) => ({ id, name, description: '', ownerOrg: null, disabled: false });
  const set: DirectoryChangeSet = {
    people: [
      person('liaison1', '高文', 'zhangdian-chezhan', ['liaison']),
      person('liaison2', '韩梅', 'linzi-xindian', ['liaison']),
      person('liaison3', '停用的联络员', 'zhangdian-mashang', ['liaison'], true),
      person('outsider', '不在分组的人', 'zhangdian-chezhan', ['liaison']),
      person('zd-staff', '张店区登记员', 'zhangdian', ['staff']),
      person('lz-staff', '临淄区登记员', 'linzi', ['staff']),
      person('old-member', '已停用的委员', 'city', ['leader'], true),
    ],
    groups: [group('liaisons', '民情联络员'), group('readers', '传阅人员')],
    members: [
      { groupId: 'liaisons', userId: 'liaison1', worksFor: 'deputy1', sort: 1 },
      { groupId: 'liaisons', userId: 'liaison2', worksFor: 'deputy2', sort: 2 },
      { groupId: 'liaisons', userId: 'liaison3', worksFor: 'deputy1', sort: 3 },
      { groupId: 'readers', userId: 'leader1', worksFor: null, sort: 1 },
      { groupId: 'readers', userId: 'old-member', worksFor: null, sort: 2 },
      { groupId: 'readers', userId: 'presidium1', worksFor: null, sort: 3 },
    ],
  };
  await h.engine.directoryApply(null, set, { source: 'cli' });
});
afterAll(async () => {
  await h?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

async function submitted(liaison: string, title: string): Promise<string> {
  const { instanceId } = await h.engine.start(await h.as(liaison), 'liaison-case', { event: 'submit', version: 0, input: { title, content: '群众反映' } });
  return instanceId;
}

/** Who holds an open task (todo) or a copy (cc) of the instance, among the users named. */
async function holders(instanceId: string, list: 'todo' | 'cc', users: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const u of users) {
    const page = await h.engine.inbox(await h.as(u), list, { page: 1, pageSize: 100 });
    if (page.items.some((t) => t.instanceId === instanceId)) out.push(u);
  }
  return out;
}

const stateOf = async (id: string): Promise<string> => (await h.engine.instance(await h.as('admin'), id)).summary.state;

async function finish(user: string, id: string): Promise<void> {
  const taskId = await taskOf(h, user, id);
  const version = (await h.engine.instance(await h.as(user), id)).version;
  await h.engine.complete(await h.as(user), taskId, { event: 'submit', input: {}, version });
}

const EVERYONE = ['deputy1', 'deputy2', 'deputy3', 'zd-staff', 'lz-staff', 'staff1', 'leader1', 'presidium1', 'liaison1', 'liaison2', 'outsider'];

describe('the directory in a running workflow', () => {
  it("a liaison's case goes to the deputy they work for and to the staff of the liaison's district", async () => {
    const one = await submitted('liaison1', '车站街道的一件事');
    expect(await stateOf(one)).toBe('deputy');
    expect(await holders(one, 'todo', EVERYONE)).toEqual(['deputy1', 'zd-staff']);
    const two = await submitted('liaison2', '辛店街道的一件事');
    expect(await holders(two, 'todo', EVERYONE)).toEqual(['deputy2', 'lz-staff']);
  });

  it("the copy reaches the liaisons group's active members, and a disabled member gets nothing", async () => {
    const id = await submitted('liaison1', '抄送给联络员');
    expect(await holders(id, 'cc', EVERYONE)).toEqual(['liaison1', 'liaison2']);
    const detail = await h.engine.instance(await h.as('admin'), id);
    expect(JSON.stringify(detail)).not.toContain('liaison3');
    expect(JSON.stringify(detail)).not.toContain('停用的联络员');
  });

  it("for_each over members('readers') gives each active member a task, not the disabled one", async () => {
    const id = await submitted('liaison1', '常委会传阅');
    await finish('deputy1', id);
    await finish('zd-staff', id);
    expect(await stateOf(id)).toBe('standing');
    expect(await holders(id, 'todo', EVERYONE)).toEqual(['leader1', 'presidium1']);
    await finish('leader1', id);
    await finish('presidium1', id);
    expect(await stateOf(id)).toBe('closed');
  });

  it('actor.groups steers a guard: someone outside the liaisons group cannot send a case on', async () => {
    const id = await submitted('outsider', '不在分组');
    expect(await stateOf(id)).toBe('closed');
  });

  it('a directory change reaches the next operation: a liaison moved to another deputy sends there', async () => {
    await h.engine.directoryApply(null, { members: [{ groupId: 'liaisons', userId: 'liaison1', worksFor: 'deputy3', sort: 1 }] }, { source: 'cli' });
    const id = await submitted('liaison1', '换了代表之后');
    expect(await holders(id, 'todo', EVERYONE)).toEqual(['deputy3', 'zd-staff']);
  });

  it("the studio's check knows the live groups: members() of a group nobody made is LVZ_DSL_NOT_IN_DIRECTORY at its line", async () => {
    const admin = await h.as('admin');
    const def = await h.engine.studio.definition(admin, 'workflow', 'liaison-case');
    expect((await h.engine.studio.check(admin, 'workflow', 'liaison-case', def.text)).ok).toBe(true);
    const text = def.text.replace("members('liaisons')", "members('liaison')");
    const check = await h.engine.studio.check(admin, 'workflow', 'liaison-case', text);
    const line = text.split('\n').findIndex((l) => l.includes("members('liaison')")) + 1;
    expect(check.errors).toEqual([expect.objectContaining({ code: 'LVZ_DSL_NOT_IN_DIRECTORY', line })]);
    expect(check.errors[0]!.message).toContain('分组“liaison”不在通讯录中：请在通讯录管理中建立该分组，或改用已有的分组：liaisons、readers、standing_members');
  });

  it("the studio's check holds a group step's to: and a ballot's electorate: to the live directory", async () => {
    const admin = await h.as('admin');
    const text = (group: string, role: string) => [
      'id: liaison-case', 'version: 1', 'title: 社情民意转交', 'roles: [liaison, staff, leader]', 'starters: [liaison]', 'record: suggestion', 'initial: ask', 'states:',
      '  ask:', `    group: { to: { group: ${group} }, complete_when: all }`, '    on: { done: vote }',
      '  vote:', '    ballot:', '      id: verdict', '      kind: for_against', `      electorate: { role: ${role} }`, '      quorum: none', '      pass: none', '      chair: [leader]',
      '    on: { closed: closed }', '  closed: { final: true }', '',
    ].join('\n');
    expect((await h.engine.studio.check(admin, 'workflow', 'liaison-case', text('liaisons', 'liaison'))).errors).toEqual([]);
    // staff is held by zd-staff and lz-staff here; a group nobody made is not.
    const bad = await h.engine.studio.check(admin, 'workflow', 'liaison-case', text('liaison', 'staff'));
    expect(bad.errors.map((e) => [e.code, e.line])).toEqual([['LVZ_DSL_NOT_IN_DIRECTORY', 10]]);
    expect(bad.errors[0]!.message).toContain('步骤“ask”的 to: 中的分组“liaison”不在通讯录中，这一步将没有人收到：请在通讯录管理中建立该分组，或改用已有的分组：liaisons、readers、standing_members');
  });
});

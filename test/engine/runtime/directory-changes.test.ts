// directory-changes.test.ts: the directory's one write path (runtime/directory/changes.ts) on a real
// database with the demo directory: merge by stable key, whole-set checks, reach, in-use guards, audit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.ts';
import type { DirectoryChangeSet } from '../../../engine/runtime/types.ts';
import { hashPassword } from '../../../engine/auth/password.ts';
import { isLvzError } from '../../../engine/errors.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness({ start: '2026-12-02T01:00:00Z' }); });
afterAll(async () => { await h?.close(); });

const person = (id: string, name: string, orgId: string, roles: string[], extra: Partial<NonNullable<DirectoryChangeSet['people']>[number]> = {}) => ({
  id, name, orgId, roles, phone: null, deputyLevel: null, constituency: null, disabled: false, ...extra,
});

async function refused(p: Promise<unknown>): Promise<{ code: string; message: string; params: Record<string, unknown> }> {
  try { await p; } catch (e) { if (isLvzError(e)) return { code: e.code, message: e.message, params: (e.params ?? {}) as Record<string, unknown> }; throw e; }
  throw new Error('expected a refusal');
}

describe('directory change sets', () => {
  const set: DirectoryChangeSet = {
    roles: [{ id: 'liaison', label: '民情联络员', description: '为代表收集社情民意' }],
    orgs: [{ id: 'zhangdian-llz', name: '车站街道基层立法联系点', kind: 'office', parentId: 'zhangdian-chezhan', sort: 90, disabled: false }],
    people: [
      person('liaison1', '高文', 'zhangdian-llz', ['liaison'], { phone: '13800000000' }),
      person('deputy-new', '牛大山', 'zhangdian-delegation', ['deputy'], { deputyLevel: 'city', constituency: '张店区第三选区' }),
    ],
    groups: [{ id: 'liaisons', name: '民情联络员', description: '', ownerOrg: null, disabled: false }],
    members: [{ groupId: 'liaisons', userId: 'liaison1', worksFor: 'deputy-new', sort: 1 }],
  };

  it('creates by stable key, then a second apply of the same set changes nothing', async () => {
    const first = await h.engine.directoryApply(null, set, { source: 'cli' });
    expect(first.people).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.orgs.created).toBe(1);
    expect(first.roles.created).toBe(1);
    expect(first.members.created).toBe(1);
    const again = await h.engine.directoryApply(null, set, { source: 'cli' });
    expect(again.people).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.orgs).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.roles).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.members).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('a changed row updates, and the history says what changed', async () => {
    const changed = { ...set, people: [person('liaison1', '高文', 'zhangdian-llz', ['liaison'], { phone: '13900000000' })] };
    const r = await h.engine.directoryApply(await h.as('admin'), changed, { source: 'admin' });
    expect(r.people).toEqual({ created: 0, updated: 1, unchanged: 0 });
  });

  it('reports every bad row by sheet and line and stores nothing', async () => {
    const bad: DirectoryChangeSet = {
      orgs: [
        { id: 'loop-a', name: '甲', kind: 'office', parentId: 'loop-b', sort: 0, disabled: false, at: { sheet: '组织机构', line: 2 } },
        { id: 'loop-b', name: '乙', kind: 'office', parentId: 'loop-a', sort: 0, disabled: false, at: { sheet: '组织机构', line: 3 } },
      ],
      people: [
        { ...person('p1', '甲一', 'no-such-org', ['deputy']), at: { sheet: '人员', line: 2 } },
        { ...person('p2', '甲二', 'city-office', ['wizard']), at: { sheet: '人员', line: 3 } },
        { ...person('p2', '甲三', 'city-office', ['staff']), at: { sheet: '人员', line: 4 } },
      ],
    };
    const e = await refused(h.engine.directoryApply(null, bad, { source: 'import' }));
    expect(e.code).toBe('LVZ_DIR_INVALID');
    const problems = e.params.problems as { sheet: string; line: number; message: string }[];
    expect(problems.find((p) => p.sheet === '人员' && p.line === 2)?.message).toContain('no-such-org');
    expect(problems.find((p) => p.line === 3 && p.sheet === '人员')?.message).toContain('wizard');
    expect(problems.find((p) => p.line === 4 && p.sheet === '人员')?.message).toContain('重复');
    expect(problems.some((p) => p.sheet === '组织机构' && p.message.includes('循环'))).toBe(true);
    const after = await h.engine.directoryApply(null, { people: [] }, { source: 'cli', dryRun: true });
    expect(after.people.created).toBe(0);
  });

  it('refuses to leave the city without an administrator', async () => {
    const admin = person('admin', '系统管理员', 'city-office', ['staff']);
    const e = await refused(h.engine.directoryApply(await h.as('admin'), { people: [admin] }, { source: 'admin' }));
    expect(e.code).toBe('LVZ_DIR_CONFLICT');
    expect(e.message).toContain('系统管理员');
  });

  it('keeps a district admin inside the district', async () => {
    const zd = await h.as('zhangdian-admin');
    const e = await refused(h.engine.directoryApply(zd, { people: [person('fgw1', '刘洋', 'city-fgw', ['handling_unit'], { phone: '1' + '3'.repeat(10) })] }, { source: 'admin' }));
    expect(e.code).toBe('LVZ_AUTH_FORBIDDEN');
    expect(e.message).toContain('张店区');
    const ok = await h.engine.directoryApply(zd, { people: [person('zd-staff', '田园', 'zhangdian-chezhan', ['staff'], { phone: null })] }, { source: 'admin' });
    expect(ok.people.created).toBe(1);
  });

  it('will not remove a role someone holds, nor disable an org with people in it', async () => {
    const e = await refused(h.engine.directoryApply(await h.as('admin'), { removeRoles: ['liaison'] }, { source: 'admin' }));
    expect(e.code).toBe('LVZ_DIR_CONFLICT');
    expect(e.message).toContain('高文');
    const org = await refused(h.engine.directoryApply(await h.as('admin'), {
      orgs: [{ id: 'zhangdian-llz', name: '车站街道基层立法联系点', kind: 'office', parentId: 'zhangdian-chezhan', sort: 90, disabled: true }],
    }, { source: 'admin' }));
    expect(org.code).toBe('LVZ_DIR_CONFLICT');
  });

  it('a disabled person cannot log in, and a reset password must be changed', async () => {
    const hash = await hashPassword('Temp-pass-2026!');
    await h.engine.directoryApply(await h.as('admin'), { people: [person('liaison1', '高文', 'zhangdian-llz', ['liaison'], { phone: '13900000000' })].map((p) => ({ ...p, passwordHash: hash, mustChangePassword: true })) }, { source: 'admin' });
    const s = await h.engine.login('liaison1', 'Temp-pass-2026!');
    expect(s.actor.userId).toBe('liaison1');
    await h.engine.directoryApply(await h.as('admin'), { people: [person('liaison1', '高文', 'zhangdian-llz', ['liaison'], { phone: '13900000000', disabled: true })] }, { source: 'admin' });
    const e = await refused(h.engine.login('liaison1', 'Temp-pass-2026!'));
    expect(e.message).toContain('停用');
  });
});

// directory.test.ts: user(), org() and members() read the directory handed to one evaluation, give plain
// values, refuse unknown ids in zh-CN, and count in the load-time estimate and the runtime budget.
import { describe, expect, it } from 'vitest';
import { LvzError } from '../../../engine/errors.ts';
import { compileExpr, isTrue } from '../../../engine/expr/index.ts';
import { compileForm } from '../../../engine/forms/compile.ts';
import { buildSnapshot } from '../../../engine/runtime/directory/snapshot.ts';
import type { GroupMemberRow, OrgRow, UserRow } from '../../../engine/store/types.ts';

const org = (id: string, name: string, kind: OrgRow['kind'], parentId: string | null, disabled = false): OrgRow =>
  ({ id, name, kind, parentId, sort: 0, disabled } as OrgRow);
const person = (id: string, name: string, orgId: string, roles: string[], extra: Partial<UserRow> = {}): UserRow =>
  ({ id, name, orgId, roles, phone: null, deputyLevel: null, constituency: null, disabled: false, mustChangePassword: false, ...extra } as UserRow);
const member = (groupId: string, userId: string, worksFor: string | null = null): GroupMemberRow => ({ groupId, userId, worksFor, sort: 0 });

const directory = buildSnapshot(
  [
    org('city', '市人大常委会', 'standing_committee', null),
    org('zhangdian', '张店区人大常委会', 'district', 'city'),
    org('zhangdian-chezhan', '车站街道人大工委', 'town', 'zhangdian'),
    org('zhangdian-delegation', '张店区代表团', 'delegation', 'zhangdian'),
  ],
  [
    person('d1', '王建国', 'zhangdian-delegation', ['deputy'], { deputyLevel: 'city', constituency: '张店区第一选区' }),
    person('d2', '李秀英', 'zhangdian-delegation', ['deputy'], { disabled: true }),
    person('l1', '高文', 'zhangdian-chezhan', ['liaison']),
    person('s1', '赵志刚', 'city', ['leader']),
  ],
  [
    { id: 'liaisons', name: '民情联络员', description: '', ownerOrg: null, disabled: false },
    { id: 'standing_members', name: '常委会组成人员', description: '', ownerOrg: null, disabled: false },
    { id: 'old', name: '停用的分组', description: '', ownerOrg: null, disabled: true },
  ] as never,
  [member('liaisons', 'l1', 'd1'), member('standing_members', 's1'), member('standing_members', 'd2'), member('old', 's1')],
);

const run = (source: string, vars: Record<string, unknown> = {}): unknown => compileExpr(source).evaluate(vars, { directory });
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return `${(e as LvzError).code} ${(e as Error).message}`;
  }
};

describe('the directory functions', () => {
  it('user(): the person with org, district, roles, groups, whom they work for and who works for them', () => {
    expect(run("user('l1')")).toEqual({
      id: 'l1', name: '高文', org: 'zhangdian-chezhan', org_name: '车站街道人大工委', district: 'zhangdian',
      roles: ['liaison'], groups: ['liaisons'], works_for: ['d1'], helpers: [], level: '', constituency: '', active: true,
    });
    expect(run('user(actor.id).works_for[0]', { actor: { id: 'l1' } })).toBe('d1');
    expect(run("user('d1').helpers")).toEqual(['l1']);
    expect(run("[user('d1').level, user('d1').constituency]")).toEqual(['city', '张店区第一选区']);
    expect(run("user('s1').district")).toBe('');
  });

  it('org(): kind, parent and district; members(): the active members only, none of a disabled group', () => {
    expect(run("org('zhangdian-chezhan')")).toEqual({ id: 'zhangdian-chezhan', name: '车站街道人大工委', kind: 'town', parent: 'zhangdian', district: 'zhangdian', active: true });
    expect(run("org('zhangdian').district")).toBe('zhangdian');
    expect(run("org('city').parent")).toBe('');
    expect(run("members('standing_members')")).toEqual(['s1']);
    expect(run("members('old')")).toEqual([]);
    expect(run("members('liaisons').map(m, user(m).works_for[0])")).toEqual(['d1']);
  });

  it('an unknown id is an LVZ_EXPR_EVAL naming it in zh-CN; a guard on it is false', () => {
    expect(messageOf(() => run("user('ghost')"))).toBe("LVZ_EXPR_EVAL 表达式“user('ghost')”运行出错：通讯录中没有用户“ghost”：请检查用户名，或在通讯录中添加该人员");
    expect(messageOf(() => run("org('nowhere')"))).toContain('通讯录中没有组织“nowhere”');
    expect(messageOf(() => run("members('nobody')"))).toContain('通讯录中没有分组“nobody”：请检查分组编码，或在通讯录管理中建立该分组');
    expect(isTrue(compileExpr("'x' in members('nobody')"), {}, { directory })).toBe(false);
    expect(messageOf(() => run('user(1)'))).toContain('LVZ_EXPR_EVAL');
  });

  it('the directory lasts for its evaluation only: without one the functions fail, and nothing leaks to the next', () => {
    const e = compileExpr("user('l1').name");
    expect(e.evaluate({}, { directory })).toBe('高文');
    expect(messageOf(() => e.evaluate({}))).toContain('此处不能读取通讯录（user()）');
    expect(messageOf(() => compileExpr("user('l1').name").evaluate({}, { directory: buildSnapshot([], [], [], []) }))).toContain('通讯录中没有用户“l1”');
  });

  it('a function nobody defines never loads; nor does the directory in a form\'s visible_when', () => {
    expect(messageOf(() => compileExpr("lookup('l1')"))).toMatch(/^LVZ_EXPR_SYNTAX 表达式“lookup\('l1'\)”使用了未知的函数“lookup”：可用的函数有 .*user、org、members/);
    const form = `id: f\nversion: 1\ntitle: 表\nfields:\n  - { name: a, type: text, label: 甲 }\n  - { name: b, type: text, label: 乙, visible_when: "'x' in members('liaisons')" }\n`;
    const r = compileForm(form, 'f.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((x) => x.message).join()).toContain('visible_when 使用了通讯录函数 members()');
  });

  it('lists the directory calls with their literal ids, for the checks', () => {
    expect(compileExpr("members('liaisons').exists(m, m == user(actor.id).id) && org('city').id != ''").directoryCalls).toEqual([
      { fn: 'members', id: 'liaisons' }, { fn: 'user' }, { fn: 'org', id: 'city' },
    ]);
  });
});

describe('the cost of the directory', () => {
  it('members() counts as a list from data when it loads: one comprehension over it is fine, two nested are not', () => {
    expect(compileExpr("members('liaisons').all(m, user(m).active)").cost).toBeGreaterThan(10_000);
    expect(messageOf(() => compileExpr("members('a').all(x, members('b').exists(y, y == x))"))).toMatch(/^LVZ_EXPR_TOO_COSTLY/);
    expect(messageOf(() => compileExpr("members('a').all(x, x in user(x).works_for)"))).toMatch(/^LVZ_EXPR_TOO_COSTLY/);
  });

  it('a call charges what it copies to the running budget', () => {
    const many = Array.from({ length: 90_000 }, (_, i) => `p${i}`); // under the 100,000 items a list may hold
    const big = { ...directory, groups: new Map([['all', { id: 'all', name: '全体', ownerOrg: null, disabled: false, members: many }]]) };
    expect(compileExpr("size(members('all'))").evaluate({}, { directory: big })).toBe(90_000);
    const copies = Array(23).fill("size(members('all'))").join(' + '); // 23 × 90,000 copied: past 2,000,000 steps
    expect(messageOf(() => compileExpr(copies).evaluate({}, { directory: big }))).toMatch(/^LVZ_EXPR_LIMIT .*超过 2,000,000 步/);
  });
});

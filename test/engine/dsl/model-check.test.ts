// model-check.test.ts: `lvzhi check`'s findings on purpose-built broken workflows (test/fixtures/check/), each
// opening with `# expect: [warning] CODE line:col` lines or `# expect: ok` and `# paths: N`.
import { describe, expect, it } from 'vitest';
import { demoDirectory } from '../../../cli/check.ts';
import { compileWorkflow, sortByPlace } from '../../../engine/dsl/compile.ts';
import { enumeratePaths, modelCheck, statesWithoutEnd } from '../../../engine/dsl/model-check.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import { read, shippedForms, shippedWorkflows, yamlFiles } from './load-shipped.ts';

const forms = shippedForms();
const directory = demoDirectory();
const fixtures = yamlFiles('test/fixtures/check');

function expected(text: string): string[] {
  const lines = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!.trim());
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

function findings(file: string): string[] {
  const r = compileWorkflow(read(file), file, { forms });
  if (!r.ok) return r.errors.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`);
  const m = modelCheck(r.workflow, { forms, directory });
  return [
    ...sortByPlace(m.errors).map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`),
    ...sortByPlace(m.warnings).map((e) => `warning ${e.code} ${e.where?.line}:${e.where?.col}`),
  ];
}

function compiled(file: string): CompiledWorkflow {
  const r = compileWorkflow(read(file), file, { forms });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.workflow;
}

describe('lvzhi check fixtures', () => {
  it.each(fixtures)('%s', (file) => {
    const text = read(file);
    expect(text.startsWith('# expect: '), `${file} must open with an # expect: line`).toBe(true);
    expect(findings(file)).toEqual(expected(text));
    const paths = /^# paths: (\d+)$/m.exec(text);
    if (paths) expect(modelCheck(compiled(file), { forms, directory }).paths).toBe(Number(paths[1]));
  });

  it('covers each kind of finding the issue names', () => {
    const codes = new Set(fixtures.flatMap((f) => expected(read(f)).map((e) => e.replace(/^warning /, '').split(' ')[0])));
    for (const c of ['LVZ_DSL_UNREACHABLE_STATE', 'LVZ_DSL_NO_WAY_OUT', 'LVZ_DSL_NO_PATH_TO_END', 'LVZ_DSL_NOBODY_CAN_DO', 'LVZ_DSL_DEADLINE_NO_HANDLER']) {
      expect(codes.has(c), c).toBe(true);
    }
  });
});

describe('modelCheck on the shipped workflows', () => {
  it('finds nothing, and enumerates the paths (each state at most twice on a path)', () => {
    for (const w of shippedWorkflows(forms)) {
      const m = modelCheck(w, { forms, directory });
      expect(m.errors.map((e) => e.format()), w.def.id).toEqual([]);
      expect(m.warnings.map((e) => e.format()), w.def.id).toEqual([]);
      expect(m.paths, w.def.id).toBeGreaterThan(0);
    }
    const suggestion = shippedWorkflows(forms).find((w) => w.def.id === 'suggestion')!;
    expect(enumeratePaths(suggestion.def).paths.map((p) => p.join('→'))).toEqual([
      'draft→review→handle→evaluate→handle→evaluate→closed',
      'draft→review→handle→evaluate→closed',
    ]);
  });

  it('stops at maxPaths and says so', () => {
    const bill = shippedWorkflows(forms).find((w) => w.def.id === 'bill')!;
    const m = modelCheck(bill, { forms, directory, maxPaths: 1 });
    expect([m.paths, m.truncated]).toEqual([1, true]);
  });

  it('without a directory skips the who-can-do-it check', () => {
    const w = compiled('test/fixtures/check/nobody-can-do.yaml');
    expect(modelCheck(w, { forms }).errors).toEqual([]);
    expect(statesWithoutEnd(w.def)).toEqual([]);
  });
});

describe('ids written into the directory functions', () => {
  it('are checked against the groups when the directory has them (the studio\'s live one): unknown is an error, disabled a warning', () => {
    const w = compiled('test/fixtures/check/not-in-directory.yaml');
    const codes = (groups: { id: string; disabled: boolean }[]) => {
      const m = modelCheck(w, { forms, directory: { ...directory, groups } });
      return [...m.errors.map((e) => `${e.code} ${e.message}`), ...m.warnings.map((e) => `warning ${e.message}`)].filter((s) => s.includes('分组'));
    };
    expect(codes([{ id: 'liaisons', disabled: false }])).toEqual([]);
    expect(codes([{ id: 'standing_members', disabled: false }])).toEqual([
      "LVZ_DSL_NOT_IN_DIRECTORY 表达式“[user('ghost').id, user('deputy1').id] + members('liaisons')”中的分组“liaisons”不在通讯录中：请在通讯录管理中建立该分组，或改用已有的分组：standing_members",
    ]);
    expect(codes([{ id: 'liaisons', disabled: true }])[0]).toMatch(/^warning .*分组“liaisons”已停用/);
  });
});

describe('the names a selector gives (a group step\'s to:, a ballot\'s electorate:)', () => {
  const w = compiled('test/fixtures/check/selector-not-in-directory.yaml');
  const selectorFindings = (dir: typeof directory) => {
    const m = modelCheck(w, { forms, directory: dir });
    return [...sortByPlace(m.errors).map((e) => `${e.path} ${e.message}`), ...m.warnings.map((e) => `warning ${e.path} ${e.message}`)];
  };

  it('say what is missing and what to do, at the name', () => {
    expect(selectorFindings(directory)).toEqual([
      '/states/ask/group/to/group 步骤“ask”的 to: 中的分组“liaisons”不在通讯录中，这一步将没有人收到：请在通讯录管理中建立该分组，或改用已有的分组：standing_members',
      '/states/vote/ballot/electorate/role 表决“verdict”的 electorate: 中的角色“liaison”在通讯录中没有人担任，这一步将没有人收到：请在通讯录中为相应人员分配该角色，或改用其他角色',
      '/states/units/group/to/orgs/district 步骤“units”的 to: 中的区县“zibo”不在通讯录中（没有这个编码的区县人大常委会）：请改用区县的组织编码：zhangdian、linzi，或写 data.district 取表单中的区县',
    ]);
  });

  it('hold an org kind to the orgs there are, and warn of a disabled group', () => {
    const noTowns = { ...directory, orgs: directory.orgs.filter((o) => o.kind !== 'town'), groups: [{ id: 'liaisons', disabled: true }] };
    const found = selectorFindings(noTowns);
    expect(found).toContainEqual(expect.stringMatching(/^\/states\/units\/group\/to\/orgs\/kind 步骤“units”的 to: 中的组织类型“town”在通讯录中没有任何组织，这一步将没有单位收到：请先在通讯录中添加这类组织，或改用已有的类型：/));
    expect(found).toContainEqual('warning /states/ask/group/to/group 步骤“ask”的 to: 中的分组“liaisons”已停用，这一步将没有人收到：请在通讯录管理中启用该分组，或改用其他分组');
    expect(found.filter((f) => f.includes('/to/group') && !f.startsWith('warning'))).toEqual([]);
  });

  it('pass when the directory has them (the role held, the group made, the district a district)', () => {
    const full = {
      ...directory,
      users: [...directory.users, { id: 'liaison1', roles: ['liaison'], orgId: 'zibo' }],
      orgs: [...directory.orgs, { id: 'zibo', kind: 'district' as const }],
      groups: [{ id: 'liaisons', disabled: false }],
    };
    expect(selectorFindings(full)).toEqual([]);
  });
});

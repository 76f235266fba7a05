// roles.test.ts: `lvzhi validate` and `lvzhi check` read directory/roles.yaml: a role removed while a workflow names it,
// a broken roles file, and a declared role nobody holds, each named at file:line:col with what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFiles } from '../../cli/check.ts';
import { validateFiles, type Io } from '../../cli/validate.ts';
import { ROOT } from '../helpers/cli.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A project folder: the shipped definitions, with directory/roles.yaml edited by `edit`. */
function project(edit: (roles: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-roles-cli-'));
  dirs.push(dir);
  for (const d of ['calendars', 'forms', 'workflows', 'directory']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  const file = path.join(dir, 'directory/roles.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  return dir;
}

function io(cwd: string): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { cwd, out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) }, stdout: () => out, stderr: () => err };
}

const LEADER = /  - id: leader\n    label: 督办领导\n    description: [^\n]*\n/;

describe('roles in lvzhi validate and check', () => {
  it('a role removed from roles.yaml while a workflow still names it fails validate, naming the workflow and line', async () => {
    const dir = project((t) => { expect(t).toMatch(LEADER); return t.replace(LEADER, ''); });
    const o = io(dir);
    expect(await validateFiles([], o)).toBe(1);
    const line = fs.readFileSync(path.join(dir, 'workflows/suggestion.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('roles:')) + 1;
    expect(o.stderr()).toMatch(new RegExp(`^workflows/suggestion\\.yaml:${line}:\\d+: LVZ_DSL_UNDECLARED_ROLE 未声明的角色“leader”：已声明的角色有 admin（系统管理员）、deputy（人大代表）`, 'm'));
    expect(o.stderr()).toContain('请在 directory/roles.yaml 中声明');
  });

  it('a duplicate id in roles.yaml fails validate at its line', async () => {
    const dir = project((t) => `${t}  - id: deputy\n    label: 代表\n    description: 又一次\n`);
    const o = io(dir);
    expect(await validateFiles([], o)).toBe(1);
    const line = fs.readFileSync(path.join(dir, 'directory/roles.yaml'), 'utf8').trimEnd().split('\n').length - 2;
    expect(o.stderr()).toMatch(new RegExp(`^directory/roles\\.yaml:${line}:5: LVZ_DIR_ROLE_DUPLICATE`, 'm'));
  });

  it('a roles.yaml without admin fails validate and check alike', async () => {
    const dir = project((t) => t.replace(/  - id: admin\n(    [^\n]*\n){2}/, ''));
    const v = io(dir);
    expect(await validateFiles([], v)).toBe(1);
    expect(v.stderr()).toMatch(/^directory\/roles\.yaml:\d+:\d+: LVZ_DIR_ROLE_BUILTIN_MISSING 缺少内置角色“admin”/m);
    const c = io(dir);
    expect(await checkFiles([], c)).toBe(1);
    expect(c.stderr()).toContain('LVZ_DIR_ROLE_BUILTIN_MISSING');
  });

  it('check names a declared role nobody holds by its label and says how to assign it', async () => {
    const dir = project((t) => `${t}  - id: liaison\n    label: 民情联络员\n    description: 联系选民、收集民情\n`);
    const wf = path.join(dir, 'workflows/suggestion.yaml');
    fs.writeFileSync(wf, fs.readFileSync(wf, 'utf8').replace(/^roles: \[([^\]]*)\]/m, 'roles: [$1, liaison]').replace('role: review_office', 'role: liaison'));
    expect(await validateFiles(['workflows/suggestion.yaml'], io(dir))).toBe(0);
    const c = io(dir);
    expect(await checkFiles(['workflows/suggestion.yaml'], c)).toBe(1);
    expect(c.stderr()).toMatch(/LVZ_DSL_NOBODY_CAN_DO .*没有用户具有角色 liaison（民情联络员）；请在通讯录中为相应人员分配该角色（.*docs\/dsl\.md/);
  });

  it('a form whose person picker is limited to an undeclared role fails validate at the filter', async () => {
    const dir = project((t) => t.replace(LEADER, ''));
    const o = io(dir);
    expect(await validateFiles(['forms/suggestion.yaml'], o)).toBe(1);
    expect(o.stderr()).toMatch(/^forms\/suggestion\.yaml:\d+:\d+: LVZ_DSL_UNDECLARED_ROLE 字段“supervisor”的 filter\.role 使用了未声明的角色“leader”/m);
  });
});

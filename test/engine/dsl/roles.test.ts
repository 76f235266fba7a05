// roles.test.ts: directory/roles.yaml loads, and each way it can be wrong is one clear error at file:line:col.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES_SCHEMA_PATH, renderRolesSchema } from '../../../engine/dsl/build-schema.ts';
import { BUILTIN_ROLES, compileRoles } from '../../../engine/dsl/roles.ts';
import { demoDirectory } from '../../../engine/runtime/directory/import/demo-files.ts';
import { read, ROOT, shippedRoles } from './load-shipped.ts';

const ok = (extra = ''): string => `roles:
  - { id: admin, label: 系统管理员, description: 内置 }
  - { id: handling_unit, label: 承办单位, description: 内置 }
  - { id: deputy, label: 人大代表, description: 提出建议 }
${extra}`;

describe('directory/roles.yaml', () => {
  it('the shipped file declares today\'s eleven roles, the built-in ones among them, each with a label and a purpose', () => {
    const r = compileRoles(read('directory/roles.yaml'), 'directory/roles.yaml');
    expect(r.ok, r.ok ? '' : r.errors.map((e) => e.format()).join('\n')).toBe(true);
    if (!r.ok) return;
    expect(r.roles.list.map((x) => x.id)).toEqual(['admin', 'deputy', 'review_office', 'handling_unit', 'committee', 'presidium', 'leader', 'staff', 'standing_member', 'chair', 'organ_liaison']);
    for (const id of BUILTIN_ROLES) expect(r.roles.has(id)).toBe(true);
    expect(r.roles.labelOf('deputy')).toBe('人大代表');
    expect(r.roles.labelOf('gone')).toBe('gone'); // a stored task of a role since removed: its id, not a blank
    expect(read('directory/roles.yaml').startsWith('# yaml-language-server: $schema=../schema/roles.schema.json')).toBe(true);
  });

  it('every role a demo account holds is declared (the demo directory keeps its roles)', () => {
    const roles = shippedRoles();
    expect(demoDirectory(roles).users.flatMap((u) => u.roles).filter((r) => !roles.has(r))).toEqual([]);
  });

  it('the generated schema/roles.schema.json is up to date (npm run build:schema)', () => {
    expect(fs.readFileSync(`${ROOT}/${ROLES_SCHEMA_PATH}`, 'utf8')).toBe(renderRolesSchema());
  });

  it('declares a new role (民情联络员) by adding it to the file', () => {
    const r = compileRoles(ok('  - { id: liaison, label: 民情联络员, description: 联系群众 }\n'), 'r.yaml');
    expect(r.ok && r.roles.labelOf('liaison')).toBe('民情联络员');
  });

  it.each([
    ['malformed YAML', 'roles: [ { id: admin', ['LVZ_DSL_YAML_SYNTAX 1:21', 'LVZ_DSL_YAML_SYNTAX 1:21']],
    ['a role without a label', ok('  - { id: liaison, description: 联系群众 }\n'), ['LVZ_DSL_SCHEMA 5:5']],
    ['an id that is not latin', ok('  - { id: 联络员, label: 民情联络员, description: 联系群众 }\n'), ['LVZ_DSL_SCHEMA 5:7']],
    ['an unknown key', ok('  - { id: liaison, label: 民情联络员, description: 联系群众, color: red }\n'), ['LVZ_DSL_SCHEMA 5:53']],
    ['a duplicate id', ok('  - { id: deputy, label: 代表, description: 又一个 }\n'), ['LVZ_DIR_ROLE_DUPLICATE 5:7']],
    ['no admin', 'roles:\n  - { id: handling_unit, label: 承办单位, description: 内置 }\n', ['LVZ_DIR_ROLE_BUILTIN_MISSING 1:1']],
    ['no handling_unit', 'roles:\n  - { id: admin, label: 系统管理员, description: 内置 }\n', ['LVZ_DIR_ROLE_BUILTIN_MISSING 1:1']],
    ['no roles at all', 'roles: []\n', ['LVZ_DSL_SCHEMA 1:1']],
  ])('refuses %s', (_what, text, want) => {
    const r = compileRoles(text, 'directory/roles.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`)).toEqual(want);
    for (const e of r.errors) expect(e.where?.file).toBe('directory/roles.yaml');
  });

  it('says which built-in role is missing and that its label may change', () => {
    const r = compileRoles('roles:\n  - { id: handling_unit, label: 承办单位, description: 内置 }\n', 'directory/roles.yaml');
    expect(!r.ok && r.errors[0]!.message).toMatch(/缺少内置角色“admin”.*可以修改它的 label/);
  });
});

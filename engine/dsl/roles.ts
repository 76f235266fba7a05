// roles.ts: directory/roles.yaml -> the declared roles (id, zh-CN label, what it is for), or every problem at file:line:col.
// Roles are data: workflows may name only these (checks/undeclared-role.ts), and every page shows a role by its label.

import { Ajv, type ValidateFunction } from 'ajv';
import { LvzError } from '../errors.ts';
import { NAME_PATTERN } from './schema.ts';
import { schemaErrors } from './schema-errors.ts';
import { parseSource } from '../yaml/source.ts';
import { list, q } from '../yaml/zh.ts';

/** The engine's own roles: it grants the studio and 终止 to admin, and a task 转办'd to a unit falls to handling_unit. */
export const ADMIN_ROLE = 'admin';
export const HANDLING_UNIT_ROLE = 'handling_unit';
export const BUILTIN_ROLES: readonly string[] = [ADMIN_ROLE, HANDLING_UNIT_ROLE];

/** Where the declared roles live, relative to the project root. */
export const ROLES_FILE = 'directory/roles.yaml';

export interface RoleDef {
  id: string;
  label: string;
  description: string;
}

export interface RoleSet {
  readonly list: readonly RoleDef[];
  has(id: string): boolean;
  /** The zh-CN label; an id nobody declared (a stored task of a removed role) is shown as it is. */
  labelOf(id: string): string;
  /** "deputy（人大代表）、…", for messages that list what may be used. */
  summary(): string;
}

const str = (description: string): Record<string, unknown> => ({ type: 'string', minLength: 1, description });

export const rolesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lvzhi.example/schema/roles.schema.json',
  title: 'lvzhi roles (directory/roles.yaml)',
  type: 'object',
  additionalProperties: false,
  required: ['roles'],
  properties: {
    roles: {
      type: 'array',
      description: 'Every role a workflow may name',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'description'],
        properties: {
          id: { ...str('Id used in workflows (roles:, starters:, role:): lower-case latin, digits, _'), pattern: NAME_PATTERN, maxLength: 64 },
          label: { ...str('Name shown on every page, zh-CN (e.g. 民情联络员)'), maxLength: 40 },
          description: { ...str('What the role is for'), maxLength: 500 },
        },
      },
    },
  },
} as const;

export function roleSet(defs: readonly RoleDef[]): RoleSet {
  const byId = new Map(defs.map((r) => [r.id, r]));
  return {
    list: defs,
    has: (id) => byId.has(id),
    labelOf: (id) => byId.get(id)?.label ?? id,
    summary: () => list(defs.map((r) => `${r.id}（${r.label}）`)),
  };
}

let validator: ValidateFunction | undefined;

export type RolesResult = { ok: true; roles: RoleSet } | { ok: false; errors: LvzError[] };

export function compileRoles(text: string, file: string = ROLES_FILE): RolesResult {
  const { source, errors } = parseSource(text, file, 'dsl');
  if (errors.length > 0) return { ok: false, errors };
  validator ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(rolesSchema);
  if (!validator(source.value)) return { ok: false, errors: schemaErrors(validator.errors ?? [], source) };
  const defs = (source.value as { roles: RoleDef[] }).roles;
  const out: LvzError[] = [];
  const seen = new Map<string, number>();
  defs.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first === undefined) { seen.set(r.id, i); return; }
    out.push(new LvzError('LVZ_DIR_ROLE_DUPLICATE', `角色 id ${q(r.id)} 重复（第 ${first + 1} 项已声明）：请删去一项，或改用另一个 id`, { where: source.at(`/roles/${i}/id`), path: `/roles/${i}/id`, params: { role: r.id } }));
  });
  for (const id of BUILTIN_ROLES.filter((b) => !seen.has(b))) {
    out.push(new LvzError('LVZ_DIR_ROLE_BUILTIN_MISSING', `缺少内置角色${q(id)}：引擎依赖它（${list(BUILTIN_ROLES)} 必须声明），请把它加回 ${file}；可以修改它的 label 和 description`, { where: source.at('/roles'), path: '/roles', params: { role: id } }));
  }
  if (out.length > 0) return { ok: false, errors: out };
  return { ok: true, roles: roleSet(defs.map(({ id, label, description }) => ({ id, label, description }))) };
}

interface RoleFilteredField {
  name: string;
  path: string;
  filter?: { role?: string };
  fields?: RoleFilteredField[];
}

/** A form's person pickers limited to a role (`filter: { role: leader }`) name declared roles, groups' fields too. */
export function undeclaredFilterRoles(form: { def: { fields: RoleFilteredField[] }; source: { at(path: string): LvzError['where'] } }, roles: RoleSet): LvzError[] {
  const walk = (fields: RoleFilteredField[]): LvzError[] => fields.flatMap((f) => {
    const own = f.filter?.role !== undefined && !roles.has(f.filter.role)
      ? [new LvzError('LVZ_DSL_UNDECLARED_ROLE',
        `字段${q(f.name)}的 filter.role 使用了未声明的角色${q(f.filter.role)}：已声明的角色有 ${roles.summary()}；请在 ${ROLES_FILE} 中声明，或改用已声明的角色`,
        { where: form.source.at(`${f.path}/filter/role`), path: `${f.path}/filter/role`, params: { role: f.filter.role } })]
      : [];
    return [...own, ...walk(f.fields ?? [])];
  });
  return walk(form.def.fields);
}

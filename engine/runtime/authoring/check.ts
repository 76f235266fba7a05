// check.ts: what the studio's editor shows as you type: compile a workflow or form text against the
// stored definitions (forms, the parents a district extends, the live directory), model-check it as
// `lvzhi check` does, and hand back findings placed at line:col, the diagram or the form's preview.
// Nothing is stored.

import type { Knex } from 'knex';
import { checkAcrossFiles, compileWorkflow, sortByPlace } from '../../dsl/compile.ts';
import { diagramSteps, renderDiagram } from '../../dsl/diagram.ts';
import { effectiveText, type ParentText } from '../../dsl/extends.ts';
import { modelCheck, type Directory } from '../../dsl/model-check.ts';
import type { CompiledWorkflow, WorkflowDef } from '../../dsl/types.ts';
import { LvzError } from '../../errors.ts';
import { compileForm } from '../../forms/compile.ts';
import { buildFormModel } from '../../forms/model.ts';
import type { CompiledForm, DirectoryOptions } from '../../forms/types.ts';
import { listOrgs, listUsers } from '../../store/directory.ts';
import { listMemberGroups } from '../../store/directory-data.ts';
import { listDefinitions, type DefinitionRow } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { CheckResult, StudioFinding, StudioKind } from './types.ts';
import { undeclaredFilterRoles, type RoleSet } from '../../dsl/roles.ts';

/** What a check compiles against: read once per request. */
export interface StudioContext {
  rows: DefinitionRow[];
  forms: Map<string, CompiledForm>;
  /** By `id` (newest) and `id@version`: the text a definition may extend (a district's own text, with its extends). */
  parents: Map<string, ParentText>;
  /** Newest row of each workflow. */
  latest: Map<string, DefinitionRow>;
  directory: Directory;
  /** directory/roles.yaml: what a workflow may name, and each role's label. */
  roles: RoleSet;
}

export const fileOf = (kind: StudioKind, id: string): string => `${kind === 'form' ? 'forms' : 'workflows'}/${id}.yaml`;
export const editableText = (row: DefinitionRow): string => row.sourceText ?? row.text;

export async function studioContext(rc: RuntimeContext, db: Knex = rc.db): Promise<StudioContext> {
  const rows = await listDefinitions(db, 'workflow');
  return contextOf(rows, rc.registry.forms, await checkDirectory(db), rc.registry.roles);
}

/** The live directory as the model check reads it: who holds which role where, and the member groups. */
export async function checkDirectory(db: Knex): Promise<Directory> {
  const [users, orgs, groups] = await Promise.all([listUsers(db), listOrgs(db), listMemberGroups(db)]);
  return {
    users: users.map((u) => ({ id: u.id, roles: u.roles, orgId: u.orgId })),
    orgs: orgs.map((o) => ({ id: o.id, kind: o.kind })),
    groups: groups.map((g) => ({ id: g.id, disabled: g.disabled })),
  };
}

/** The context from plain rows: the check worker (check-worker.ts) builds it from what the pool sent. */
export function contextOf(rows: DefinitionRow[], forms: Map<string, CompiledForm>, directory: Directory, roles: RoleSet): StudioContext {
  const parents = new Map<string, ParentText>();
  const latest = new Map<string, DefinitionRow>();
  for (const r of rows) {
    const t = { text: editableText(r), file: `${r.id}@${r.version}` };
    parents.set(`${r.id}@${r.version}`, t);
    if ((latest.get(r.id)?.version ?? 0) < r.version) {
      latest.set(r.id, r);
      parents.set(r.id, t);
    }
  }
  return { rows, forms, parents, latest, directory, roles };
}

export function findingOf(e: LvzError, file: string, severity: StudioFinding['severity'] = 'error'): StudioFinding {
  return {
    severity, code: e.code, message: e.message, line: e.where?.line ?? 1, col: e.where?.col ?? 1,
    file: e.where?.file ?? file, isOwnFile: !e.where || e.where.file === file, ...(e.path && { path: e.path }),
  };
}

function idMismatch(found: unknown, id: string, file: string, kind: StudioKind): LvzError {
  return new LvzError(kind === 'form' ? 'LVZ_FORM_SCHEMA' : 'LVZ_DSL_SCHEMA',
    `id 必须保持为 "${id}"（现为 "${String(found)}"）：改名会成为另一个定义；如需新的流程，请复制为新文件`, { where: { file, line: 1, col: 1 }, path: '/id' });
}

export interface WorkflowCheck {
  result: CheckResult;
  workflow?: CompiledWorkflow;
}

/** Compile + model check; `parents` may be overridden (a district checked against a city text not yet stored). */
export function checkWorkflowText(ctx: StudioContext, id: string, text: string, forms: Map<string, CompiledForm> = ctx.forms): WorkflowCheck {
  const file = fileOf('workflow', id);
  const r = compileWorkflow(text, file, { forms, parents: ctx.parents, roles: ctx.roles });
  if (!r.ok) return { result: { ok: false, errors: r.errors.map((e) => findingOf(e, file)), warnings: [] } };
  const wf = r.workflow;
  const errors: LvzError[] = [];
  if (wf.def.id !== id) errors.push(idMismatch(wf.def.id, id, file, 'workflow'));
  const m = modelCheck(wf, { forms, directory: ctx.directory, roles: ctx.roles, clock: () => performance.now() });
  errors.push(...m.errors);
  errors.push(...checkAcrossFiles([...otherLatest(ctx, id, forms), wf], { forms }).filter((e) => e.where?.file === file));
  const result: CheckResult = {
    ok: errors.length === 0,
    errors: sortByPlace(errors).map((e) => findingOf(e, file)),
    warnings: sortByPlace(m.warnings).map((e) => findingOf(e, file, 'warning')),
    paths: m.paths,
    diagram: { svg: renderDiagram(wf.def, { roleLabel: ctx.roles.labelOf }), steps: diagramSteps(wf.def) },
    title: wf.def.title,
    ...(wf.def.parent && { effectiveText: effectiveText(wf.source, wf.def.parent) }),
  };
  return { result, workflow: wf };
}

/** The newest compiled version of every other workflow (for spawn targets). */
function otherLatest(ctx: StudioContext, id: string, forms: Map<string, CompiledForm>): CompiledWorkflow[] {
  const out: CompiledWorkflow[] = [];
  for (const row of ctx.latest.values()) {
    if (row.id === id) continue;
    const r = compileWorkflow(row.text, `${row.id}@${row.version}`, { forms });
    if (r.ok) out.push(r.workflow);
  }
  return out;
}

export function usesForm(def: WorkflowDef, formId: string): boolean {
  return def.record === formId || Object.values(def.states).some((s) => s.tasks.some((g) => g.form === formId));
}

export interface FormCheck {
  result: CheckResult;
  form?: CompiledForm;
}

/**
 * A form is checked alone and then with every workflow that uses it (their newest versions): a removed
 * field a step still names is an error here, reported under that workflow's name.
 */
export function checkFormText(choices: DirectoryOptions, ctx: StudioContext, id: string, text: string): FormCheck {
  const file = fileOf('form', id);
  const r = compileForm(text, file);
  if (!r.ok) return { result: { ok: false, errors: r.errors.map((e) => findingOf(e, file)), warnings: [] } };
  const errors: StudioFinding[] = [];
  if (r.form.def.id !== id) errors.push(findingOf(idMismatch(r.form.def.id, id, file, 'form'), file));
  errors.push(...undeclaredFilterRoles(r.form, ctx.roles).map((e) => findingOf(e, file)));
  const forms = new Map(ctx.forms).set(id, r.form);
  for (const row of ctx.latest.values()) {
    const before = compileWorkflow(row.text, `${row.id}@${row.version}`, { forms: ctx.forms });
    if (before.ok && !usesForm(before.workflow.def, id)) continue;
    const after = compileWorkflow(row.text, `${row.id}@${row.version}`, { forms });
    if (after.ok) continue;
    for (const e of after.errors) {
      const f = findingOf(e, file);
      errors.push({ ...f, message: `流程“${row.id}”第 ${row.version} 版：${f.message}`, isOwnFile: false });
    }
  }
  const all = new Set(r.form.def.fields.map((f) => f.name));
  const preview = buildFormModel(r.form, {}, { edit: all, read: all }, [], choices);
  return { result: { ok: errors.length === 0, errors, warnings: [], preview, title: r.form.def.title }, form: r.form };
}

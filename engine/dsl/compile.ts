// compile.ts: workflow YAML text -> checked CompiledWorkflow, or every error in the file at once.
//
// Layers: YAML (with positions) -> JSON Schema (ajv, compiled once) -> normalise shorthands ->
// semantic checks (checks/). The later layers trust the shape, so after a schema error they run on
// the document with the failing parts taken out (schema-prune.ts): every problem in one pass. Results are cached by (id, version, text hash) and the forms they were checked against.

import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { compileExpr, type CompiledExpr } from '../expr/index.ts';
import { LvzError, type Where } from '../errors.ts';
import type { CompiledForm } from '../forms/types.ts';
import { CHECKS, type CheckContext } from './checks/index.ts';
import { exprSites } from './expr-sites.ts';
import { constructUsesOf } from './walk.ts';
import { resolveSource } from './extends.ts';
import { normaliseWorkflow } from './normalise.ts';
import { workflowSchema } from './schema.ts';
import { schemaErrors } from './schema-errors.ts';
import { pruneInvalid } from './schema-prune.ts';
import type { Source } from '../yaml/source.ts';
import { parseSource } from '../yaml/source.ts';
import { list, q } from '../yaml/zh.ts';
import type { CompileResult, CompiledWorkflow, WorkflowDef } from './types.ts';

let validator: ValidateFunction | undefined;

/** ajv in strict mode: a mistake in our own schema is a startup error, not a silent pass. */
function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(workflowSchema);
  return validator;
}

interface CacheEntry {
  workflow: CompiledWorkflow;
  /** The forms it was checked against; a different form object means a re-check. */
  forms: Map<string, CompiledForm | undefined>;
  /** The declared roles it was checked against (none: not checked). */
  roles: CheckContext['roles'];
}

const MAX_CACHE = 256;
const cache = new Map<string, CacheEntry>();

export function compileWorkflow(text: string, file: string, ctx: CheckContext): CompileResult {
  const { source: own, errors: yamlErrors } = parseSource(text, file, 'dsl');
  if (yamlErrors.length > 0) return { ok: false, errors: yamlErrors };
  // District customisation: the effective document (the city's with the district's overrides) is what is checked.
  const resolved = resolveSource(own, text, ctx.parents);
  if (resolved.errors.length > 0) return { ok: false, errors: sortByPlace(resolved.errors.map((e) => inherited(e, file))) };
  const source = resolved.source;
  const raw = source.value as { id?: unknown; version?: unknown } | null;
  const hash = createHash('sha256').update(file);
  for (const t of resolved.texts) hash.update('\0').update(t);
  const key = `${String(raw?.id)}@${String(raw?.version)}#${hash.digest('hex')}`;
  const hit = cache.get(key);
  if (hit && hit.roles === ctx.roles && [...hit.forms].every(([id, f]) => ctx.forms.get(id) === f)) {
    return { ok: true, workflow: hit.workflow, warnings: [] };
  }

  const check = validate();
  if (!check(source.value)) {
    const errors = [...schemaErrors(check.errors ?? [], source), ...checksOfSoundPart(source, check.errors ?? [], ctx)];
    return { ok: false, errors: sortByPlace(errors.map((e) => inherited(e, file))) };
  }
  const { def, errors } = normaliseWorkflow(source.value as Record<string, unknown>, source);
  if (resolved.parent) def.parent = { id: resolved.parent.id, version: resolved.parent.version };
  for (const c of CHECKS) errors.push(...c(def, source, ctx));
  if (errors.length > 0) return { ok: false, errors: sortByPlace(errors.map((e) => inherited(e, file))) };

  const workflow: CompiledWorkflow = { def, source, exprs: parseExprs(def) };
  remember(key, { workflow, forms: formsUsed(def, ctx), roles: ctx.roles });
  return { ok: true, workflow, warnings: [] };
}

/**
 * The semantic problems of what passed the schema: the failing parts are taken out (and the result
 * validated again, as taking out a required key fails its parent) until the rest is sound.
 */
function checksOfSoundPart(source: Source, schemaFailures: readonly ErrorObject[], ctx: CheckContext): LvzError[] {
  const check = validate();
  let failures = [...schemaFailures];
  let doc: unknown = source.value;
  for (let round = 0; round < 8; round++) {
    doc = pruneInvalid(doc, failures);
    if (doc === undefined) return [];
    if (check(doc)) {
      const { def, errors } = normaliseWorkflow(doc as Record<string, unknown>, source);
      for (const c of CHECKS) errors.push(...c(def, source, ctx));
      return errors;
    }
    failures = [...(check.errors ?? [])];
  }
  return [];
}

/** An error placed in the city's file while compiling a district's: say so, and where the district can override it. */
function inherited(e: LvzError, file: string): LvzError {
  if (!e.where || e.where.file === file) return e;
  return new LvzError(e.code, `${e.message}（此处继承自 ${e.where.file}：如需修改，请在 ${file} 中覆盖这一部分）`, {
    where: e.where,
    path: e.path,
    params: { ...e.params, inheritedBy: file },
    cause: e.cause,
  });
}

/** The checks passed, so every expression parses; parse each distinct text once. */
function parseExprs(def: WorkflowDef): Map<string, CompiledExpr> {
  const exprs = new Map<string, CompiledExpr>();
  for (const site of exprSites(def)) if (!exprs.has(site.source)) exprs.set(site.source, compileExpr(site.source));
  return exprs;
}

function formsUsed(def: WorkflowDef, ctx: CheckContext): Map<string, CompiledForm | undefined> {
  const ids = [def.record, ...Object.values(def.states).flatMap((s) => s.tasks.map((g) => g.form ?? def.record))];
  return new Map(ids.map((id) => [id, ctx.forms.get(id)]));
}

function remember(key: string, entry: CacheEntry): void {
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
}

/** Errors in file order, so an admin reads them top to bottom. */
export function sortByPlace(errors: LvzError[]): LvzError[] {
  const rank = (w?: Where): [string, number, number] => [w?.file ?? '', w?.line ?? 0, w?.col ?? 0];
  return [...errors].sort((a, b) => {
    const [fa, la, ca] = rank(a.where);
    const [fb, lb, cb] = rank(b.where);
    return fa.localeCompare(fb) || la - lb || ca - cb;
  });
}

/**
 * Checks that need every workflow at once: one (id, version) per definition, no two numbering their
 * cases alike, and each construct's checks across files (a spawn's: the spawned workflow exists and,
 * given the forms, has the fields its data: fills and results: copies back).
 */
export function checkAcrossFiles(workflows: readonly CompiledWorkflow[], ctx?: CheckContext): LvzError[] {
  const errors: LvzError[] = [];
  const byKey = new Map<string, CompiledWorkflow>();
  const latest = new Map<string, WorkflowDef>();
  for (const w of workflows) {
    const key = `${w.def.id}@${w.def.version}`;
    const first = byKey.get(key);
    if (first) {
      const at = first.source.at('/id');
      errors.push(
        new LvzError('LVZ_DSL_DUPLICATE_ID', `流程${q(w.def.id)}第 ${w.def.version} 版已在 ${at.file}:${at.line} 定义过：请提高 version，或更换 id`, {
          where: w.source.at('/id'),
          path: '/id',
          params: { id: w.def.id, version: w.def.version },
        }),
      );
    } else byKey.set(key, w);
    if ((latest.get(w.def.id)?.version ?? 0) < w.def.version) latest.set(w.def.id, w.def);
  }
  for (const w of workflows) errors.push(...constructCrossChecks(w, latest, ctx));
  errors.push(...checkNumberClash(workflows, latest));
  return sortByPlace(errors);
}

/** Two workflows' newest versions with one declared `number:` format would number their cases alike. */
function checkNumberClash(workflows: readonly CompiledWorkflow[], latest: Map<string, WorkflowDef>): LvzError[] {
  const newest = workflows.filter((w) => latest.get(w.def.id) === w.def && w.def.number !== undefined);
  return newest.flatMap((w) => {
    const other = newest.find((o) => o.def.id !== w.def.id && o.def.number === w.def.number);
    if (!other) return [];
    const at = other.source.at('/number');
    return [new LvzError('LVZ_DSL_NUMBER_CLASH', `编号格式${q(w.def.number!)}与流程${q(other.def.id)}（${at.file}:${at.line}）相同，两个流程的件会有相同的编号：请改写其中一个的文字，例如在前面加上流程名称`, {
      where: w.source.at('/number'),
      path: '/number',
      params: { number: w.def.number, other: other.def.id },
    })];
  });
}

/** Each construct's checks across files (a spawned workflow exists and has the fields named), on its source. */
function constructCrossChecks(w: CompiledWorkflow, latest: Map<string, WorkflowDef>, ctx?: CheckContext): LvzError[] {
  const workflows = new Map([...latest.values()].map((def) => {
    const form = ctx?.forms.get(def.record);
    return [def.id, { record: def.record, ...(form && { fields: new Set(form.byName.keys()) }) }];
  }));
  return constructUsesOf(w.def).flatMap(({ construct, def, site }) => construct.crossChecks?.(def, site, { src: w.source, workflows }) ?? []);
}

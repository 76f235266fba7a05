// compile.ts: form YAML text -> a checked, normalised form, or every error with file:line:col.
//
// Pure: the caller reads the file. Same shape as compileWorkflow: parse with positions, schema
// (ajv, compiled once at load), semantic checks, normalise.

import { Ajv } from 'ajv';
import formSchema from '../../schema/form.schema.json' with { type: 'json' };
import { parseSource, type Source } from '../yaml/source.ts';
import { totalCostError, type CompiledExpr } from '../expr/index.ts';
import type { Choice, CompiledForm, FieldDef, FormCompileResult, FormDef } from './types.ts';
import { schemaErrors } from './schema-errors.ts';
import { checkDuplicates, checkField, type CheckContext, type RawField } from './checks.ts';

// verbose: errors carry parentSchema, so an unknown key can be answered with "did you mean".
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
const validateSchema = ajv.compile(formSchema);

interface RawForm {
  id: string;
  version: number;
  title: string;
  description?: string;
  fields: RawField[];
}

export function compileForm(text: string, file: string): FormCompileResult {
  const parsed = parseSource(text, file, 'form');
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  const { source } = parsed;
  if (!validateSchema(source.value)) {
    return { ok: false, errors: sortByPosition(schemaErrors(validateSchema.errors ?? [], source.value, source)) };
  }
  const raw = source.value as unknown as RawForm;
  const ctx: CheckContext = { source, names: new Set(raw.fields.map((f) => f.name)), errors: [], visible: new Map() };
  checkDuplicates(raw.fields, '/fields', ctx);
  raw.fields.forEach((f, i) => checkField(f, `/fields/${i}`, ctx));
  const total = totalCostError([...ctx.visible.values()], '各字段的 visible_when');
  if (total) ctx.errors.push(total);
  if (ctx.errors.length > 0) return { ok: false, errors: sortByPosition(ctx.errors) };
  return { ok: true, form: toCompiled(raw, source, ctx.visible) };
}

function sortByPosition<T extends { where?: { line: number; col: number } }>(errors: T[]): T[] {
  return [...errors].sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.col ?? 0) - (b.where?.col ?? 0));
}

function toCompiled(raw: RawForm, source: Source, visible: Map<string, CompiledExpr>): CompiledForm {
  const def: FormDef = {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    fields: raw.fields.map((f, i) => normaliseField(f, `/fields/${i}`)),
  };
  return { def, source, byName: new Map(def.fields.map((f) => [f.name, f])), visible };
}

function toChoice(o: unknown): Choice {
  return typeof o === 'string' ? { value: o, label: o } : { value: (o as Choice).value, label: (o as Choice).label };
}

/** YAML field -> FieldDef: keys kept as written, options as {value, label}, required false by default. */
function normaliseField(f: RawField, path: string): FieldDef {
  const out: Record<string, unknown> = { ...f, required: f.required === true, path };
  if (Array.isArray(f.options)) out.options = f.options.map(toChoice);
  if (Array.isArray(f.fields)) out.fields = (f.fields as RawField[]).map((s, i) => normaliseField(s, `${path}/fields/${i}`));
  if (f.filter) out.filter = { ...(f.filter as object) };
  if (Array.isArray(f.accept)) out.accept = [...(f.accept as string[])];
  return out as unknown as FieldDef;
}

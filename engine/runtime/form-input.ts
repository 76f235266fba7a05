// form-input.ts: a step's submitted body -> the record patch, or LVZ_FORM_INVALID carrying the
// errors and a re-render model that keeps what the user typed. Nothing is written on failure.

import type { Knex } from 'knex';
import type { CompiledWorkflow, TaskGroupDef } from '../dsl/types.ts';
import type { CompiledForm, FieldAccess } from '../forms/types.ts';
import { validateInput } from '../forms/validate.ts';
import { jsonTypeMessage, jsonTypeProblem } from '../forms/json-types.ts';
import { buildFormModel } from '../forms/model.ts';
import { LvzError } from '../errors.ts';
import { getFiles } from '../store/process/index.ts';
import type { FormInvalidParams, RawInput } from './types.ts';
import { formOf, type RuntimeContext } from './context.ts';

/** Edit and read sets of a step; with no `read:` list, everything not edited or hidden is readable. */
export function accessOf(form: CompiledForm, g: TaskGroupDef): FieldAccess {
  const edit = new Set(g.fields.edit);
  const hidden = new Set(g.fields.hidden);
  const read = g.fields.read.length > 0
    ? new Set(g.fields.read)
    : new Set(form.def.fields.map((f) => f.name).filter((n) => !edit.has(n) && !hidden.has(n)));
  return { edit, read };
}

export function stepForm(rc: RuntimeContext, wf: CompiledWorkflow, g: TaskGroupDef): CompiledForm {
  return formOf(rc, g.form ?? wf.def.record);
}

/**
 * File ids in the body -> refs. An id is believed only when the record already holds it or it is
 * an unattached upload of the submitter, so a forged id cannot pull in someone else's file.
 */
export async function resolveUploads(tx: Knex, form: CompiledForm, access: FieldAccess, raw: RawInput, current: Record<string, unknown>, uploaders: string[]): Promise<{ raw: RawInput; fileIds: string[] }> {
  const out: RawInput = { ...raw };
  const fileIds: string[] = [];
  for (const f of form.def.fields) {
    if (f.type !== 'file' || !access.edit.has(f.name)) continue;
    const key = Object.hasOwn(raw, f.name) ? f.name : `${f.name}[]`;
    const given = raw[key];
    if (given === undefined) continue;
    const list = (Array.isArray(given) ? given : [given]).map((v) => (v && typeof v === 'object' ? String((v as { id?: unknown }).id ?? '') : String(v)));
    const held = Array.isArray(current[f.name]) ? (current[f.name] as { id: string }[]).map((r) => r.id) : [];
    const rows = await getFiles(tx, list.filter((id) => !held.includes(id)));
    out[key] = list.map((id) => {
      if (held.includes(id)) return id;
      const row = rows.find((r) => r.id === id && r.instanceId === null && uploaders.includes(r.uploadedBy) && r.field === f.name);
      if (!row) return id; // stays bare: validation says the file is invalid
      fileIds.push(row.id);
      return { id: row.id, name: row.name, size: row.size };
    });
  }
  return { raw: out, fileIds };
}

/** JSON input (the API) must carry each editable field's own type; nothing is coerced. */
export function ensureJsonTypes(form: CompiledForm, access: FieldAccess, raw: RawInput): void {
  const p = jsonTypeProblem(form.def.fields, access.edit, raw);
  if (p) throw new LvzError('LVZ_RUN_BAD_REQUEST', jsonTypeMessage(p), { params: { field: p.field, expected: p.expected, got: p.got } });
}

/**
 * The API completes a task with PATCH meaning: an editable field the JSON body leaves out keeps
 * what the record (or the task's draft) holds, as the task showed it; `null` empties it. A web form
 * sends every field it shows, so there an absent field is an empty one and this does not apply.
 */
function keepOmitted(form: CompiledForm, access: FieldAccess, raw: RawInput, current: Record<string, unknown>): RawInput {
  const out: RawInput = { ...raw };
  for (const f of form.def.fields) {
    if (!access.edit.has(f.name) || Object.hasOwn(raw, f.name) || current[f.name] === undefined) continue;
    out[f.name] = current[f.name] as RawInput[string];
  }
  return out;
}

export interface Validated {
  patch: Record<string, unknown>;
  fileIds: string[];
}

export async function validateStep(
  rc: RuntimeContext, tx: Knex, wf: CompiledWorkflow, g: TaskGroupDef, raw: RawInput, current: Record<string, unknown>, uploaders: string[], typed = false,
): Promise<Validated> {
  const form = stepForm(rc, wf, g);
  const access = accessOf(form, g);
  if (typed) ensureJsonTypes(form, access, raw);
  const dir = await rc.directory(tx);
  const resolved = await resolveUploads(tx, form, access, typed ? keepOmitted(form, access, raw, current) : raw, current, uploaders);
  const { data, errors } = validateInput(form, resolved.raw, access, current, dir);
  if (errors.length > 0) {
    const params: FormInvalidParams = { errors, form: buildFormModel(form, current, access, errors, dir, resolved.raw) };
    throw new LvzError('LVZ_FORM_INVALID', `表单有 ${errors.length} 处需要修改：请按提示改正后再提交`, { params: params as unknown as Record<string, unknown> });
  }
  return { patch: data, fileIds: resolved.fileIds };
}

/** Merge a patch into the record; undefined deletes (a field visible_when now hides). */
export function mergeData(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

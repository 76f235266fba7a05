// step-input.ts: a step's submitted body -> the record patch, or LVZ_FORM_INVALID carrying the
// errors and a re-render model that keeps what the user typed. Nothing is written on failure.
// The step adds to the form's checks: the fields it requires (`fields.require`) and its `rules:`.

import type { Knex } from 'knex';
import type { CompiledWorkflow, TaskGroupDef } from '../dsl/types.ts';
import type { CompiledForm, DirectoryOptions, FieldAccess, FieldError } from '../forms/types.ts';
import { fieldErrors, validateInput } from '../forms/validate.ts';
import { isTrue } from '../expr/index.ts';
import { jsonTypeMessage, jsonTypeProblem } from '../forms/json-types.ts';
import { buildFormModel } from '../forms/model.ts';
import { isLvzError, LvzError } from '../errors.ts';
import { getFiles } from '../store/process/index.ts';
import { rowFileFields, rowFileName, rowKeyOf } from '../forms/upload-fields.ts';
import { isFileRef, type FileRef } from '../forms/fields/file.ts';
import type { FormInvalidParams, RawInput } from './types.ts';
import { formOf, type RuntimeContext } from './runtime-context.ts';
import { exprOf, type CelActor } from './machine.ts';

/**
 * Edit and read sets of a step; with no `read:` list, everything not edited or hidden is readable.
 * Its form shows the fields `read:` lists, and any other readable field once it holds a value.
 */
export function accessOf(form: CompiledForm, g: TaskGroupDef): FieldAccess {
  const edit = new Set(g.fields.edit);
  const hidden = new Set(g.fields.hidden);
  const listed = new Set(g.fields.read);
  const read = listed.size > 0
    ? listed
    : new Set(form.def.fields.map((f) => f.name).filter((n) => !edit.has(n) && !hidden.has(n)));
  return { edit, read, listed };
}

/**
 * 保存草稿 is offered (and taken) only where the step edits a field: a step that only reads the
 * record and records a decision by its button (代表附议: 同意附议 / 不同意), with an opinion box at
 * most, has nothing worth keeping for later. A 加签 signer gives only an opinion.
 */
export function isDraftable(g: TaskGroupDef, kind: 'task' | 'delegated' | 'signer' | 'cc'): boolean {
  return (kind === 'task' || kind === 'delegated') && g.fields.edit.length > 0;
}

const requiring = new WeakMap<TaskGroupDef, { base: CompiledForm; form: CompiledForm }>();

/** The step's form, with the fields its `fields.require` lists required here (and marked 必填 on its page). */
export function stepForm(rc: RuntimeContext, wf: CompiledWorkflow, g: TaskGroupDef): CompiledForm {
  const base = formOf(rc, g.form ?? wf.def.record);
  const require = new Set(g.fields.require ?? []); // a definition normalised before `require` existed has none
  if (require.size === 0) return base;
  const hit = requiring.get(g);
  if (hit?.base === base) return hit.form;
  const fields = base.def.fields.map((f) => (require.has(f.name) && !f.required ? { ...f, required: true } : f));
  const form: CompiledForm = { ...base, def: { ...base.def, fields }, byName: new Map(fields.map((f) => [f.name, f])) };
  requiring.set(g, { base, form });
  return form;
}

/**
 * File ids in the body -> refs. An id is believed only when the record already holds it or it is
 * an unattached upload of the submitter into the same field, so a forged id cannot pull in someone
 * else's file. A group's file column (`roster[i][report]`, or `report` in a JSON row) counts every
 * file the group holds as held, whichever row: rows move when one is removed.
 */
export async function resolveUploads(tx: Knex, form: CompiledForm, access: FieldAccess, raw: RawInput, current: Record<string, unknown>, uploaders: string[]): Promise<{ raw: RawInput; fileIds: string[] }> {
  const out: RawInput = { ...raw };
  const fileIds: string[] = [];
  // A held file comes back as the record's ref; a new upload as its own; anything else stays a bare id.
  const resolve = async (given: unknown, held: FileRef[], stored: string): Promise<unknown[]> => {
    const list = (Array.isArray(given) ? given : [given]).map((v) => (v && typeof v === 'object' ? String((v as { id?: unknown }).id ?? '') : String(v)));
    const rows = await getFiles(tx, list.filter((id) => !held.some((r) => r.id === id)));
    return list.map((id) => {
      const kept = held.find((r) => r.id === id);
      if (kept) return kept;
      const row = rows.find((r) => r.id === id && r.instanceId === null && uploaders.includes(r.uploadedBy) && r.field === stored);
      if (!row) return id; // stays bare: validation says the file is invalid
      fileIds.push(row.id);
      return { id: row.id, name: row.name, size: row.size };
    });
  };
  for (const f of form.def.fields) {
    if (f.type !== 'file' || !access.edit.has(f.name)) continue;
    const key = Object.hasOwn(raw, f.name) ? f.name : `${f.name}[]`;
    if (raw[key] === undefined) continue;
    const held = Array.isArray(current[f.name]) ? (current[f.name] as unknown[]).filter(isFileRef) : [];
    out[key] = await resolve(raw[key], held, f.name);
  }
  for (const { group, sub } of rowFileFields(form, access.edit)) {
    const rows = Array.isArray(current[group.name]) ? (current[group.name] as Record<string, unknown>[]) : [];
    const held = rows.flatMap((r) => (Array.isArray(r?.[sub.name]) ? (r[sub.name] as unknown[]).filter(isFileRef) : []));
    await resolveRowFiles(out, group.name, sub.name, (given) => resolve(given, held, rowFileName(group.name, sub.name)));
  }
  return { raw: out, fileIds };
}

/** One file column of a group, in `out` as posted: flat keys `<group>[i][<sub>]` (a web form) or rows (JSON). */
async function resolveRowFiles(out: RawInput, group: string, sub: string, resolve: (given: unknown) => Promise<unknown[]>): Promise<void> {
  for (const key of Object.keys(out)) {
    const k = rowKeyOf(key);
    if (k?.group === group && k.sub === sub && out[key] !== undefined) out[key] = await resolve(out[key]);
  }
  const nested = out[group];
  if (!nested || typeof nested !== 'object') return;
  // A JSON list stays a list, a `{ "0": row }` object stays one; each row is copied, never changed in place.
  const copy: unknown[] | Record<string, unknown> = Array.isArray(nested) ? [...(nested as unknown[])] : { ...(nested as Record<string, unknown>) };
  for (const [i, row] of Object.entries(copy)) {
    const given = row && typeof row === 'object' ? (row as Record<string, unknown>)[sub] : undefined;
    if (given !== undefined && given !== null) (copy as Record<string, unknown>)[i] = { ...(row as Record<string, unknown>), [sub]: await resolve(given) };
  }
  out[group] = copy;
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
    out[f.name] = current[f.name];
  }
  return out;
}

export interface Validated {
  patch: Record<string, unknown>;
  fileIds: string[];
}

/** Who is acting and who started the instance: what a step's `rules:` may read besides the record. */
export interface RuleVars {
  actor: CelActor;
  initiator: { id: string };
}

export async function validateStep(
  rc: RuntimeContext, tx: Knex, wf: CompiledWorkflow, g: TaskGroupDef, raw: RawInput, current: Record<string, unknown>, uploaders: string[], typed = false, who?: RuleVars,
): Promise<Validated> {
  const form = stepForm(rc, wf, g);
  const access = accessOf(form, g);
  if (typed) ensureJsonTypes(form, access, raw);
  const dir = await rc.directory(tx);
  const resolved = await resolveUploads(tx, form, access, typed ? keepOmitted(form, access, raw, current) : raw, current, uploaders);
  const { data, errors } = validateInput(form, resolved.raw, access, current, dir);
  if (errors.length === 0 && who) errors.push(...ruleErrors(wf, g, mergeData(current, data), who));
  if (errors.length > 0) throw formInvalid(form, access, errors, current, dir, resolved.raw);
  return { patch: data, fileIds: resolved.fileIds };
}

/** LVZ_FORM_INVALID with the errors and a re-render model that keeps what the user typed. */
function formInvalid(form: CompiledForm, access: FieldAccess, errors: FieldError[], current: Record<string, unknown>, dir: DirectoryOptions, raw: RawInput): LvzError {
  const params: FormInvalidParams = { errors, form: buildFormModel(form, current, access, errors, dir, raw) };
  return new LvzError('LVZ_FORM_INVALID', `表单有 ${errors.length} 处需要修改：请按提示改正后再提交`, { params: params as unknown as Record<string, unknown> });
}

/**
 * The step's `rules:` over the record as this submit would leave it, once its fields are each valid.
 * A rule that cannot be evaluated (a field it reads is empty) fails like a false one: the record may not go on.
 */
function ruleErrors(wf: CompiledWorkflow, g: TaskGroupDef, data: Record<string, unknown>, who: RuleVars): FieldError[] {
  const vars = { data, actor: who.actor, initiator: who.initiator };
  const failed = (g.rules ?? []).filter((r) => !isTrue(exprOf(wf, r.check), vars));
  const first = new Map<string, FieldError>();
  for (const r of failed) if (!first.has(r.field)) first.set(r.field, { id: `f-${r.field}`, name: r.field, message: r.message });
  return [...first.values()];
}

/**
 * A next step whose 办理单位 or 办理人 comes from a field this step edits and left empty (entry-rows.ts,
 * LVZ_RUN_UNASSIGNED) is that field's error (请选择审议委员会), shown with what the user typed.
 * Anything else is returned unchanged.
 */
export async function unassignedAsFieldError(rc: RuntimeContext, tx: Knex, wf: CompiledWorkflow, g: TaskGroupDef, e: unknown, raw: RawInput, current: Record<string, unknown>): Promise<unknown> {
  if (!isLvzError(e) || e.code !== 'LVZ_RUN_UNASSIGNED') return e;
  const form = stepForm(rc, wf, g);
  const access = accessOf(form, g);
  const field = form.byName.get(String(e.params?.field ?? ''));
  if (!field || !access.edit.has(field.name)) return e;
  const dir = await rc.directory(tx);
  const [required] = fieldErrors({ ...field, required: true }, undefined, dir);
  const errors = [{ id: `f-${field.name}`, name: field.name, message: required?.message ?? e.message }];
  return formInvalid(form, access, errors, current, dir, raw);
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

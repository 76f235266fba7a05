// validate.ts: a submitted body -> the values a step may write, and zh-CN errors in field order.
//
// Only fields the step may edit are read (a forged extra key writes nothing). Fields that
// visible_when hides are not validated and come back as undefined so the caller deletes them.

import type { CompiledForm, DirectoryOptions, FieldAccess, FieldDef, FieldError } from './types.ts';
import { fieldTypes } from './fields/index.ts';
import { groupRowErrors, groupRowId } from './fields/group.ts';
import { parseField } from './raw-input.ts';
import { evaluateVisibility } from './visibility.ts';
import { badCharacterIn, badCharacterMessage } from './text-safety.ts';

export interface ValidateResult {
  data: Record<string, unknown>;
  errors: FieldError[];
}

/** A character no input may carry (text-safety.ts), in the field or, for a group, in one of its rows' cells. */
export function characterError(field: FieldDef, value: unknown): FieldError | undefined {
  if (field.type !== 'group') {
    const bad = badCharacterIn(value, field.type === 'textarea');
    return bad ? { id: `f-${field.name}`, name: field.name, message: badCharacterMessage(field.label, bad) } : undefined;
  }
  const rows = Array.isArray(value) ? value : [];
  for (const [i, row] of rows.entries()) {
    for (const sub of field.fields ?? []) {
      const bad = badCharacterIn((row as Record<string, unknown> | undefined)?.[sub.name], sub.type === 'textarea');
      if (bad) return { id: groupRowId(field.name, i, sub.name), name: field.name, message: `${field.label}第${i + 1}项：${badCharacterMessage(sub.label, bad)}` };
    }
  }
  return undefined;
}

/** Errors of one field's parsed value: the field's own, then (for a group) its rows'. */
export function fieldErrors(field: FieldDef, value: unknown, dir: DirectoryOptions): FieldError[] {
  const bad = characterError(field, value);
  if (bad) return [bad];
  const ctx = { dir };
  const message = fieldTypes[field.type].validate(field, value, ctx);
  const own = message ? [{ id: `f-${field.name}`, name: field.name, message }] : [];
  return field.type === 'group' ? [...own, ...groupRowErrors(field, value, ctx)] : own;
}

export function validateInput(
  form: CompiledForm,
  raw: Record<string, unknown>,
  access: FieldAccess,
  current: Record<string, unknown>,
  dir: DirectoryOptions,
): ValidateResult {
  const parsed: Record<string, unknown> = {};
  for (const f of form.def.fields) if (access.edit.has(f.name)) parsed[f.name] = parseField(f, raw, current, dir);
  const { visible } = evaluateVisibility(form, { ...current, ...parsed });
  const data: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const f of form.def.fields) {
    const isEditable = access.edit.has(f.name);
    if (visible.get(f.name) === false) {
      // Hidden now: drop what it held, even if this step cannot edit it (its condition changed).
      if (isEditable || current[f.name] !== undefined) data[f.name] = undefined;
      continue;
    }
    if (!isEditable) continue;
    // A draft keeps what parses (errors and all) but never what no database may store.
    if (!characterError(f, parsed[f.name])) data[f.name] = parsed[f.name];
    errors.push(...fieldErrors(f, parsed[f.name], dir));
  }
  return { data, errors };
}

/** The htmx inline check of one field: other fields keep their stored values for visible_when. */
export function validateField(
  form: CompiledForm,
  name: string,
  raw: Record<string, unknown>,
  access: FieldAccess,
  current: Record<string, unknown>,
  dir: DirectoryOptions,
): { value: unknown; errors: FieldError[] } {
  const field = form.byName.get(name);
  if (!field || !access.edit.has(name)) return { value: undefined, errors: [] };
  const value = parseField(field, raw, current, dir);
  const { visible } = evaluateVisibility(form, { ...current, [name]: value });
  if (visible.get(name) === false) return { value: undefined, errors: [] };
  return { value, errors: fieldErrors(field, value, dir) };
}

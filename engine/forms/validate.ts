// validate.ts: a submitted body -> the values a step may write, and zh-CN errors in field order.
//
// Only fields the step may edit are read (a forged extra key writes nothing). Fields that
// visible_when hides are not validated and come back as undefined so the caller deletes them.

import type { CompiledForm, DirectoryOptions, FieldAccess, FieldDef, FieldError } from './types.ts';
import { fieldTypes } from './fields/index.ts';
import { groupRowErrors } from './fields/group.ts';
import { parseField } from './raw-input.ts';
import { evaluateVisibility } from './visibility.ts';

export interface ValidateResult {
  data: Record<string, unknown>;
  errors: FieldError[];
}

/** Errors of one field's parsed value: the field's own, then (for a group) its rows'. */
export function fieldErrors(field: FieldDef, value: unknown, dir: DirectoryOptions): FieldError[] {
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
  for (const f of form.def.fields) if (access.edit.has(f.name)) parsed[f.name] = parseField(f, raw, current);
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
    data[f.name] = parsed[f.name];
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
  const value = parseField(field, raw, current);
  const { visible } = evaluateVisibility(form, { ...current, [name]: value });
  if (visible.get(name) === false) return { value: undefined, errors: [] };
  return { value, errors: fieldErrors(field, value, dir) };
}

// model.ts: a form, its data and a step's field rights -> the render model the partials place.
//
// Editable fields get inputs (after a 422, filled from what was typed); readable fields get
// their display text; fields the step may not see are left out, so no page can leak them. A step's
// form shows a read-only field only when it holds a value or the step lists it to read.

import type { CompiledForm, DirectoryOptions, FieldAccess, FieldDef, FieldError, FieldModel, FormModel } from './types.ts';
import { fieldTypes } from './fields/index.ts';
import { isBlank } from './fields/field-type.ts';
import { addRequests, parseField } from './raw-input.ts';
import { evaluateVisibility } from './visibility.ts';
import { rowFileFields } from './upload-fields.ts';

/** An editable group shows at least one row, and one more when its 添加一项 button was pressed. */
function groupRows(field: FieldDef, value: unknown, isAdding: boolean): unknown {
  const rows = Array.isArray(value) ? value : [];
  const wanted = Math.max(rows.length + (isAdding ? 1 : 0), 1, field.min_items ?? 0);
  return [...rows, ...Array.from({ length: wanted - rows.length }, () => ({}))];
}

function fieldModel(
  field: FieldDef,
  value: unknown,
  opts: { readonly: boolean; errors: readonly FieldError[]; dir: DirectoryOptions },
): FieldModel {
  const id = `f-${field.name}`;
  const error = opts.readonly ? undefined : opts.errors.find((e) => e.id === id)?.message;
  return fieldTypes[field.type].model(field, value, { id, inputName: field.name, dir: opts.dir, readonly: opts.readonly, error, errors: opts.errors });
}

export function buildFormModel(
  form: CompiledForm,
  data: Record<string, unknown>,
  access: FieldAccess,
  errors: FieldError[],
  dir: DirectoryOptions,
  raw?: Record<string, unknown>,
): FormModel {
  const adding = addRequests(raw);
  const values: Record<string, unknown> = { ...data };
  for (const f of form.def.fields) {
    if (!access.edit.has(f.name)) continue;
    if (raw) values[f.name] = parseField(f, raw, data, dir);
    if (f.type === 'group') values[f.name] = groupRows(f, values[f.name], adding.has(f.name));
  }
  const { visible } = evaluateVisibility(form, values);
  const fields: FieldModel[] = [];
  for (const f of form.def.fields) {
    const isVisible = visible.get(f.name) !== false;
    if (access.edit.has(f.name)) {
      // Rendered even when hidden: the page's script toggles it, and without script it stays usable.
      const m = fieldModel(f, values[f.name], { readonly: false, errors, dir });
      if (f.visible_when) Object.assign(m, { visibleWhen: f.visible_when, isVisible });
      fields.push(m);
    } else if (access.read.has(f.name) && isVisible && (!access.listed || access.listed.has(f.name) || !isBlank(values[f.name]))) {
      fields.push(fieldModel(f, values[f.name], { readonly: true, errors: [], dir }));
    }
  }
  const hasFile = form.def.fields.some((f) => f.type === 'file' && access.edit.has(f.name)) || rowFileFields(form, access.edit).length > 0;
  return { fields, errors, hasFile };
}

/** The read-only / print view: every visible field, as text. */
export function printModel(form: CompiledForm, data: Record<string, unknown>, dir: DirectoryOptions): FormModel {
  const all = new Set(form.def.fields.map((f) => f.name));
  return buildFormModel(form, data, { edit: new Set(), read: all }, [], dir);
}

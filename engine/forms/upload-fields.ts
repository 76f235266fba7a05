// upload-fields.ts: the file fields a step may upload into, top-level (`report`) or one per row of a
// group (`roster[2][report]`), and the name an upload is stored under, which leaves out the row: rows
// are added and removed between an upload and the submit that attaches it.

import type { CompiledForm, FieldDef } from './types.ts';

const ROW_KEY = /^([a-z][a-z0-9_]*)\[(\d{1,4})\]\[([a-z_][a-z0-9_]*)\]$/;

/** A file sub-field of a group. */
export interface RowFileField {
  group: FieldDef;
  sub: FieldDef;
}

/** `<group>[<i>][<sub>]` as its parts, else undefined. */
export function rowKeyOf(key: string): { group: string; index: number; sub: string } | undefined {
  const m = ROW_KEY.exec(key);
  return m ? { group: m[1]!, index: Number(m[2]), sub: m[3]! } : undefined;
}

/** What a stored upload of a group's file sub-field records as its field (files.field holds 100). */
export function rowFileName(group: string, sub: string): string {
  return `${group}.${sub}`.slice(0, 100);
}

/** The file sub-fields of the groups this step edits. */
export function rowFileFields(form: CompiledForm, edit: ReadonlySet<string>): RowFileField[] {
  return form.def.fields
    .filter((g) => g.type === 'group' && edit.has(g.name))
    .flatMap((group) => (group.fields ?? []).filter((s) => s.type === 'file').map((sub) => ({ group, sub })));
}

/**
 * The field an upload posted as `name` goes into, and the name it is stored under; undefined when
 * the step edits no such file field.
 */
export function uploadFieldOf(form: CompiledForm, edit: ReadonlySet<string>, name: string): { field: FieldDef; stored: string } | undefined {
  const top = form.byName.get(name);
  if (top) return top.type === 'file' && edit.has(name) ? { field: top, stored: name } : undefined;
  const k = rowKeyOf(name);
  const hit = k ? rowFileFields(form, edit).find((r) => r.group.name === k.group && r.sub.name === k.sub) : undefined;
  return hit ? { field: hit.sub, stored: rowFileName(hit.group.name, hit.sub.name) } : undefined;
}

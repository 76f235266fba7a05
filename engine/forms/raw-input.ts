// raw-input.ts: find one field's input in a request body, flat (`items[0][name]`) or nested.
//
// fastify's urlencoded parser gives `key -> string | string[]` and leaves bracketed keys alone,
// so repeating groups are put together here; a JSON body may already be nested.

import type { DirectoryOptions, FieldDef } from './types.ts';
import { fieldTypes } from './fields/index.ts';
import { resolveFileRefs } from './fields/file.ts';
import { rowKeyOf } from './upload-fields.ts';

/** The raw input of one top-level field: `name`, `name[]`, or for a group its rows gathered from `name[i][sub]`. */
export function rawFor(raw: Record<string, unknown>, field: FieldDef): unknown {
  const direct = Object.hasOwn(raw, field.name) ? raw[field.name] : raw[`${field.name}[]`];
  if (field.type !== 'group' || (direct !== undefined && typeof direct === 'object')) return direct;
  const rows: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const k = rowKeyOf(key);
    if (!k || k.group !== field.name) continue;
    (rows[String(k.index)] ??= {})[k.sub] = value;
  }
  return Object.keys(rows).length > 0 ? rows : undefined;
}

/**
 * Parse one field from the body; bare file ids are matched against the files the record holds,
 * and names typed into a picker's plain input against the directory.
 */
export function parseField(field: FieldDef, raw: Record<string, unknown>, current: Record<string, unknown>, dir: DirectoryOptions): unknown {
  const type = fieldTypes[field.type];
  const value = type.parse(rawFor(raw, field), field);
  if (field.type === 'file') return resolveFileRefs(value, current[field.name]);
  return type.resolve ? type.resolve(field, value, dir) : value;
}

/** Groups whose 添加一项 button was pressed (`_add_<group>` in the body): re-render with one more row. */
export function addRequests(raw: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  for (const key of Object.keys(raw ?? {})) if (key.startsWith('_add_')) out.add(key.slice('_add_'.length));
  return out;
}

/** True when the body is a 添加一项 press, not a submit: the caller re-renders instead of completing. */
export function isAddRowRequest(raw: Record<string, unknown>): boolean {
  return addRequests(raw).size > 0;
}

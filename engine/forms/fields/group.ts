// group.ts: a repeating group of sub-fields; the value is a list of row objects.
//
// Rows arrive as `items[0][name]` keys (a plain urlencoded POST) or as nested objects (JSON);
// raw-input.ts turns both into an array before parse. Sub-fields are the simple types and `file`
// (one upload per row: its refs are resolved with the record's by step-input.ts resolveUploads),
// imported one by one so this file does not depend on the registry that lists it.

import type { FieldDef, FieldError, FieldModel, FieldTypeName, GroupRow } from '../types.ts';
import type { FieldType, ModelContext, ValidateContext } from './field-type.ts';
import { baseModel, firstString } from './field-type.ts';
import { text } from './text.ts';
import { textarea } from './textarea.ts';
import { number } from './number.ts';
import { date } from './date.ts';
import { radios } from './radios.ts';
import { select } from './select.ts';
import { checkboxes } from './checkboxes.ts';
import { org } from './org.ts';
import { person } from './person.ts';
import { fileType } from './file.ts';

export const DEFAULT_MAX_ITEMS = 50;
export const REMOVE_KEY = '_remove';

const SUB_TYPES: Partial<Record<FieldTypeName, FieldType>> = { text, textarea, number, date, radios, select, checkboxes, org, person, file: fileType };

function subType(sub: FieldDef): FieldType {
  const t = SUB_TYPES[sub.type];
  if (!t) throw new Error(`group sub-field type ${sub.type} is not allowed (compile should have refused it)`);
  return t;
}

export type Row = Record<string, unknown>;

function rowsOf(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (raw && typeof raw === 'object') {
    // { "0": {...}, "1": {...} }: order by index, not by key insertion.
    return Object.entries(raw as Record<string, unknown>)
      .filter(([k]) => /^\d+$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  }
  return [];
}

export function groupRowId(group: string, i: number, sub: string): string {
  return `f-${group}-${i}-${sub}`;
}

export function groupRowName(group: string, i: number, sub: string): string {
  return `${group}[${i}][${sub}]`;
}

/** Sub-field errors of every row, ids `f-<group>-<i>-<name>`, rows in order, fields in order. */
export function groupRowErrors(field: FieldDef, value: unknown, ctx: ValidateContext): FieldError[] {
  const errors: FieldError[] = [];
  const rows = Array.isArray(value) ? (value as Row[]) : [];
  rows.forEach((row, i) => {
    for (const sub of field.fields ?? []) {
      const message = subType(sub).validate(sub, row?.[sub.name], ctx);
      if (message) errors.push({ id: groupRowId(field.name, i, sub.name), name: field.name, message: `${field.label}第${i + 1}项：${message}` });
    }
  });
  return errors;
}

function rowModels(field: FieldDef, row: Row, i: number, ctx: ModelContext): FieldModel[] {
  return (field.fields ?? []).map((sub) => {
    const id = groupRowId(field.name, i, sub.name);
    const error = ctx.errors.find((e) => e.id === id)?.message;
    return subType(sub).model(sub, row[sub.name], { ...ctx, id, inputName: groupRowName(field.name, i, sub.name), error });
  });
}

export const group: FieldType = {
  name: 'group',
  partial: 'fields/group',
  keys: ['fields', 'min_items', 'max_items'],
  parse(raw, field) {
    const rows: Row[] = [];
    for (const r of rowsOf(raw)) {
      if (!r || typeof r !== 'object') continue;
      const input = r as Record<string, unknown>;
      if (firstString(input[REMOVE_KEY])) continue; // the row's 删除 box was ticked
      const row: Row = {};
      for (const sub of field.fields ?? []) {
        const v = subType(sub).parse(input[sub.name], sub);
        if (v !== undefined) row[sub.name] = v;
      }
      if (Object.keys(row).length > 0) rows.push(row); // a blank row (from 添加一项) is not an item
    }
    return rows.length > 0 ? rows : undefined;
  },
  validate(field, value) {
    const n = Array.isArray(value) ? value.length : 0;
    const min = field.min_items ?? (field.required ? 1 : 0);
    if (n < min) return min === 1 ? `请至少添加一项${field.label}` : `${field.label}至少需要${min}项`;
    const max = field.max_items ?? DEFAULT_MAX_ITEMS;
    if (n > max) return `${field.label}最多${max}项`;
    return undefined;
  },
  model(field, value, ctx) {
    const rows = Array.isArray(value) ? (value as Row[]) : [];
    const m = baseModel(field, rows, ctx, 'fields/group', rows.length > 0 ? `共${rows.length}项` : '');
    m.groupRows = rows.map((row, i): GroupRow => ({
      index: i,
      title: `第${i + 1}项`,
      removeName: groupRowName(field.name, i, REMOVE_KEY),
      removeId: groupRowId(field.name, i, 'remove'),
      fields: rowModels(field, row, i, ctx),
    }));
    m.rows = m.groupRows.map((r) => r.fields);
    if (!ctx.readonly) {
      m.template = rowModels(field, {}, rows.length, { ...ctx, errors: [] });
      if (rows.length < (field.max_items ?? DEFAULT_MAX_ITEMS)) m.addName = `_add_${field.name}`;
    }
    return m;
  },
  examples: [
    {
      title: 'two rows',
      field: { label: '联系人', fields: [{ name: 'name', type: 'text', label: '姓名', required: true, path: '' }, { name: 'phone', type: 'text', label: '电话', required: false, path: '' }] },
      value: [{ name: '张三', phone: '13800000000' }, { name: '李四' }],
    },
  ],
};

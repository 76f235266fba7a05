// json-types.ts: the JSON type each field's value must have when it arrives as JSON (the API).
//
// A web form sends strings, and each field type parses them (`firstString` takes the first of a
// repeated key, numbers arrive as text). JSON carries types of its own, so the API takes each value
// as it is: `["a","b"]` or `true` for a title is refused, naming the field and the type it needs,
// instead of becoming "a" or "true". null stands for "empty" wherever a value may be left out.

import type { FieldDef } from './types.ts';
import { rawFor } from './raw-input.ts';

export type JsonType = 'string' | 'number' | 'array of strings' | 'array of objects';

export interface JsonTypeProblem {
  /** `title`, or `items[0].amount` inside a group. */
  field: string;
  label: string;
  expected: JsonType;
  got: string;
}

/** The JSON type a field's value has; a picker with `multiple` takes a list. */
export function jsonTypeOf(field: FieldDef): JsonType {
  switch (field.type) {
    case 'number': return 'number';
    case 'checkboxes': case 'file': return 'array of strings';
    case 'group': return 'array of objects';
    case 'org': case 'person': return field.multiple ? 'array of strings' : 'string';
    default: return 'string';
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

function fits(expected: JsonType, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (expected === 'string') return typeof v === 'string';
  if (expected === 'number') return typeof v === 'number' && Number.isFinite(v);
  if (!Array.isArray(v)) return false;
  return expected === 'array of strings'
    ? v.every((x) => typeof x === 'string')
    : v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
}

function problemOf(field: FieldDef, path: string, label: string, v: unknown): JsonTypeProblem | undefined {
  const expected = jsonTypeOf(field);
  if (!fits(expected, v)) return { field: path, label, expected, got: kindOf(v) };
  if (field.type !== 'group' || !Array.isArray(v)) return undefined;
  for (const [i, row] of (v as Record<string, unknown>[]).entries()) {
    for (const sub of field.fields ?? []) {
      const p = problemOf(sub, `${path}[${i}].${sub.name}`, `${label}第${i + 1}项的${sub.label}`, row[sub.name]);
      if (p) return p;
    }
  }
  return undefined;
}

/** The first editable field whose JSON value has the wrong type, in form order, else undefined. */
export function jsonTypeProblem(fields: readonly FieldDef[], editable: ReadonlySet<string>, raw: Record<string, unknown>): JsonTypeProblem | undefined {
  for (const f of fields) {
    if (!editable.has(f.name)) continue;
    const p = problemOf(f, f.name, f.label, rawFor(raw, f));
    if (p) return p;
  }
  return undefined;
}

const TYPE_WORDS: Record<JsonType, string> = {
  string: '文字（JSON 字符串）',
  number: '数字（JSON 数值）',
  'array of strings': '字符串列表（JSON 数组）',
  'array of objects': '由对象组成的列表（JSON 数组）',
};

export function jsonTypeMessage(p: JsonTypeProblem): string {
  return `data.${p.field}（${p.label}）应为${TYPE_WORDS[p.expected]}，收到的是 ${p.got}：请按 GET /api/v1/workflows/{id}/form 或 /api/v1/tasks/{id} 列出的字段类型提交`;
}

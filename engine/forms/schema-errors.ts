// schema-errors.ts: ajv's errors for a form file -> LVZ_FORM_SCHEMA errors an admin can act on.
//
// ajv reports every branch of an anyOf (a plain-string option *and* the {value, label} object);
// we keep the branch that matches the kind of value written, so one mistake is one message.

import type { ErrorObject } from 'ajv';
import { LvzError } from '../errors.ts';
import type { Source } from '../dsl/source.ts';
import { toPathArray } from '../dsl/source.ts';

const ANY_OF_MESSAGES: Record<string, string> = {
  options: 'write an option as a plain string (是) or as { value: ..., label: ... }',
  min: 'write a number (for number fields) or a date YYYY-MM-DD (for date fields)',
  max: 'write a number (for number fields) or a date YYYY-MM-DD (for date fields)',
};

const PATTERN_MESSAGES: Record<string, string> = {
  name: 'must start with a lower-case letter and use only a-z, 0-9 and _ (it is the key in data.<name>)',
  id: 'must start with a lower-case letter and use only a-z, 0-9, - and _',
  accept: 'is not a file type: write an extension such as .pdf or a MIME type such as image/*',
  min: 'is not a date: write YYYY-MM-DD',
  max: 'is not a date: write YYYY-MM-DD',
};

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** `field "title" max_length`, `field "items" → field "name"`: a path as the admin thinks of it. */
export function describePath(root: unknown, path: (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (p === 'fields' && typeof path[i + 1] === 'number') {
      const name = (valueAt(root, path.slice(0, i + 2)) as { name?: unknown } | undefined)?.name;
      parts.push(typeof name === 'string' ? `field "${name}"` : `fields[${path[i + 1]}]`);
      i++;
    } else parts.push(typeof p === 'number' ? `[${p}]` : p);
  }
  return parts.join(' → ').replace(/ → \[/g, '[') || 'the form';
}

function lastKey(path: (string | number)[]): string {
  const k = [...path].reverse().find((p) => typeof p === 'string');
  return typeof k === 'string' ? k : '';
}

/** Edit distance, for "did you mean": max_lenght -> max_length. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function suggest(key: string, allowed: string[]): string {
  const best = allowed.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? `; did you mean "${best.k}"?` : `; allowed keys: ${allowed.join(', ')}`;
}

function messageFor(e: ErrorObject, root: unknown, path: (string | number)[]): string {
  const key = lastKey(path);
  const value = valueAt(root, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `unknown key "${String(p.additionalProperty)}": remove it or fix the spelling${suggest(String(p.additionalProperty), allowed)}`;
    }
    case 'required':
      return path.length === 0 && (root === null || root === undefined)
        ? 'the file is empty: write id:, version:, title: and fields:'
        : `missing key "${String(p.missingProperty)}": add it`;
    case 'type':
      return path.length === 0 ? 'the file must be a mapping with id:, version:, title: and fields:' : `must be ${article(String(p.type))}, not ${JSON.stringify(value)}`;
    case 'enum':
      return `${JSON.stringify(value)} is not a valid ${key}: use one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return `${JSON.stringify(value)} ${PATTERN_MESSAGES[key] ?? `must match ${String(p.pattern)}`}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `is longer than ${String(p.limit)} characters: shorten it`;
    case 'minItems':
      return `needs at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`;
    case 'maxItems':
      return `has more than ${String(p.limit)} entries: remove some`;
    case 'uniqueItems':
      return 'lists the same value twice: remove one';
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}, not ${JSON.stringify(value)}`;
    default:
      return e.message ?? 'is not valid';
  }
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** Keep one message per mistake: resolve anyOf to the branch the written value aimed at. */
function collapseAnyOf(errors: ErrorObject[], root: unknown): ErrorObject[] {
  let out = errors;
  for (const any of errors.filter((e) => e.keyword === 'anyOf')) {
    const at = any.instancePath;
    const inside = (e: ErrorObject) => e.instancePath === at || e.instancePath.startsWith(`${at}/`);
    const value = valueAt(root, toPathArray(at));
    const isObject = !!value && typeof value === 'object' && !Array.isArray(value);
    const deeper = out.filter((e) => inside(e) && e !== any && !(e.instancePath === at && e.keyword === 'type'));
    if (isObject && deeper.length > 0) out = out.filter((e) => e !== any && !(inside(e) && e.instancePath === at && e.keyword === 'type'));
    else out = out.filter((e) => !inside(e) || e === any);
  }
  return out;
}

export function schemaErrors(errors: readonly ErrorObject[], root: unknown, source: Source): LvzError[] {
  return collapseAnyOf([...errors], root).map((e) => {
    const path = toPathArray(e.instancePath);
    const at = e.keyword === 'additionalProperties' ? [...path, String((e.params as { additionalProperty: string }).additionalProperty)] : path;
    const anyKey = lastKey(path);
    const message = e.keyword === 'anyOf'
      ? `${JSON.stringify(valueAt(root, path))} is not valid here: ${ANY_OF_MESSAGES[anyKey] ?? ANY_OF_MESSAGES[lastKey(path.slice(0, -1))] ?? 'check the value'}`
      : messageFor(e, root, path);
    const where = describePath(root, path);
    return new LvzError('LVZ_FORM_SCHEMA', path.length === 0 ? message : `${where}: ${message}`, {
      where: source.at(at),
      path: e.instancePath || '/',
      params: { keyword: e.keyword, ...e.params },
    });
  });
}

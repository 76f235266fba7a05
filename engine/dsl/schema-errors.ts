// schema-errors.ts: ajv errors -> LvzError('LVZ_DSL_SCHEMA') that say what is wrong and what is allowed.
//
// ajv's own messages ("must NOT have additional properties") name neither the key nor the
// choices; an admin fixing a file needs both, and the position of the key itself.

import type { ErrorObject } from 'ajv';
import { LvzError } from '../errors.ts';
import type { Source } from './source.ts';
import { toPathArray, toPointer } from './source.ts';
import { NAME_PATTERN, ID_PATTERN } from './schema.ts';

type Schema = Record<string, unknown>;

/** Convert the errors of one failed validation; propertyNames' inner duplicates are dropped. */
export function schemaErrors(errors: readonly ErrorObject[], src: Source): LvzError[] {
  return errors
    .filter((e) => !('propertyName' in e) && e.keyword !== 'if')
    .map((e) => toLvzError(e, src));
}

function toLvzError(e: ErrorObject, src: Source): LvzError {
  const { message, path } = describe(e);
  return new LvzError('LVZ_DSL_SCHEMA', message, {
    where: src.at(path),
    path,
    params: { keyword: e.keyword, ...e.params },
  });
}

function describe(e: ErrorObject): { message: string; path: string } {
  const at = e.instancePath;
  const here = humanPath(at);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as Schema)?.properties as Schema) ?? {});
      return {
        path: child(at, key),
        message: `unknown key "${key}" in ${here}: allowed keys are ${allowed.join(', ')}`,
      };
    }
    case 'required':
      return { path: at, message: `${here} is missing the required key "${String(p.missingProperty)}": add it` };
    case 'type':
      return { path: at, message: `${here} must be ${typeWords(p.type)}, not ${typeOf(e.data)}` };
    case 'enum':
      return { path: at, message: `${here} is ${JSON.stringify(e.data)}: use one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { path: at, message: `${here} is ${JSON.stringify(e.data)}: ${patternHint(String(p.pattern))}` };
    case 'propertyNames': {
      const key = String(p.propertyName);
      return { path: child(at, key), message: `"${key}" in ${here} is not a valid name: ${patternHint(NAME_PATTERN)}` };
    }
    case 'uniqueItems':
      return { path: at, message: `${here} lists the same value twice (items ${String(p.j)} and ${String(p.i)}): remove one` };
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { path: at, message: `${here} is empty: give at least ${String(p.limit)} ${e.keyword === 'minLength' ? 'character' : 'entry'}` };
    case 'maxProperties':
      return { path: at, message: `${here} must have exactly one key: ${describeSchema(e.parentSchema)}` };
    default:
      return { path: at, message: `${here} ${e.message ?? 'is not allowed'}${hint(e.parentSchema)}` };
  }
}

function child(pointer: string, key: string): string {
  return toPointer([...toPathArray(pointer), key]);
}

/** `/states/review/task` -> `states.review.task`: the way an admin reads the file. */
export function humanPath(pointer: string): string {
  const parts = toPathArray(pointer);
  if (parts.length === 0) return 'the top level';
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function typeWords(t: unknown): string {
  const words: Record<string, string> = {
    string: 'text',
    object: 'a map of keys',
    array: 'a list',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  const list = Array.isArray(t) ? t : String(t).split(',');
  return list.map((x) => words[String(x)] ?? String(x)).join(' or ');
}

function typeOf(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the text ${JSON.stringify(v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

function patternHint(pattern: string): string {
  const choice = /^\^\(([\w|]+)\)\$$/.exec(pattern);
  if (choice) return `use one of ${choice[1]!.split('|').join(', ')}`;
  if (pattern === NAME_PATTERN) return 'use lower-case letters, digits and _, starting with a letter (e.g. lead_unit)';
  if (pattern === ID_PATTERN) return 'use lower-case letters, digits, _ and -, starting with a letter (e.g. suggestion)';
  return `must match ${pattern}`;
}

function hint(parent: unknown): string {
  const d = (parent as Schema | undefined)?.description;
  return typeof d === 'string' ? ` (${d})` : '';
}

function describeSchema(parent: unknown): string {
  const d = (parent as Schema | undefined)?.description;
  return typeof d === 'string' ? d : 'see docs/dsl.md';
}

// schema-errors.ts: ajv errors -> LvzError('LVZ_DSL_SCHEMA') that say what is wrong and what is allowed.
//
// ajv's own messages ("must NOT have additional properties") name neither the key nor the
// choices; an admin fixing a file needs both, and the position of the key itself.

import type { ErrorObject } from 'ajv';
import { LvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import { toPathArray, toPointer } from '../yaml/source.ts';
import { NAME_PATTERN, ID_PATTERN } from './schema.ts';
import { comparisonWords, didYouMean, list, q, typeWords } from '../yaml/zh.ts';

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
  const here = subject(at);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as Schema)?.properties as Schema) ?? {});
      return {
        path: child(at, key),
        message: `${here}下有未知的键${q(key)}：此处允许的键为 ${list(allowed)}${didYouMean(key, allowed)}`,
      };
    }
    case 'required':
      return { path: at, message: `${here}缺少必填的键${q(p.missingProperty)}：请补上` };
    case 'type':
      return { path: at, message: `${here}应为${typeWords(p.type)}，而不是${typeOf(e.data)}` };
    case 'enum':
      return { path: at, message: `${here}的值 ${JSON.stringify(e.data)} 无效：请改用以下之一：${list(p.allowedValues as unknown[])}` };
    case 'pattern':
      return { path: at, message: `${here}的值 ${JSON.stringify(e.data)} 不合规：${patternHint(String(p.pattern))}` };
    case 'propertyNames': {
      const key = String(p.propertyName);
      return { path: child(at, key), message: `${here}下的名称${q(key)}不合规：${patternHint(NAME_PATTERN)}` };
    }
    case 'uniqueItems': {
      const [first, second] = [Number(p.i), Number(p.j)].sort((x, y) => x - y);
      return { path: at, message: `${here}中有重复的值（第 ${first! + 1} 项和第 ${second! + 1} 项）：请删去其中一个` };
    }
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { path: at, message: `${here}不能为空：请至少写 ${String(p.limit)} ${e.keyword === 'minLength' ? '个字符' : '项'}` };
    case 'maxProperties':
      return { path: at, message: `${here}只能有一个键：${describeSchema(e.parentSchema)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { path: at, message: `${here}应${comparisonWords(p.comparison)} ${String(p.limit)}，而不是 ${JSON.stringify(e.data)}：请改正` };
    default:
      return { path: at, message: `${here}不符合要求（${e.message ?? 'is not allowed'}）${hint(e.parentSchema)}` };
  }
}

function child(pointer: string, key: string): string {
  return toPointer([...toPathArray(pointer), key]);
}

/** `/states/review/task` -> `states.review.task`: the way an admin reads the file. */
export function humanPath(pointer: string): string {
  const parts = toPathArray(pointer);
  if (parts.length === 0) return '顶层';
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The subject of a message: a path is followed by a space before the Chinese that follows it. */
function subject(pointer: string): string {
  return pointer === '' ? '顶层' : `${humanPath(pointer)} `;
}

function typeOf(v: unknown): string {
  if (v === null) return '空值';
  if (Array.isArray(v)) return '列表';
  if (typeof v === 'object') return '键值映射';
  if (typeof v === 'string') return `文本 ${JSON.stringify(v)}`;
  return `${typeWords(typeof v)} ${JSON.stringify(v)}`;
}

function patternHint(pattern: string): string {
  const choice = /^\^\(([\w|]+)\)\$$/.exec(pattern);
  if (choice) return `请改用以下之一：${list(choice[1]!.split('|'))}`;
  if (pattern === NAME_PATTERN) return '请只用小写字母、数字和 _，并以字母开头（如 lead_unit）';
  if (pattern === ID_PATTERN) return '请只用小写字母、数字、_ 和 -，并以字母开头（如 suggestion）';
  return `须符合正则表达式 ${pattern}`;
}

/** The schema's description (English, as the editor shows it) as a hint, for the rare errors without a zh-CN wording. */
function hint(parent: unknown): string {
  const d = (parent as Schema | undefined)?.description;
  return typeof d === 'string' ? `：${d}` : '';
}

/** `{ ratio: 0.5 }` or `{ count: 10 }`: name the keys to pick from. */
function describeSchema(parent: unknown): string {
  const keys = Object.keys(((parent as Schema | undefined)?.properties as Schema | undefined) ?? {});
  return keys.length > 0 ? `请从 ${list(keys)} 中选一个` : '见 docs/dsl.md';
}

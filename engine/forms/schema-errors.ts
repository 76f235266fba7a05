// schema-errors.ts: ajv's errors for a form file -> LVZ_FORM_SCHEMA errors an admin can act on.
//
// ajv reports every branch of an anyOf (a plain-string option *and* the {value, label} object);
// we keep the branch that matches the kind of value written, so one mistake is one message.

import type { ErrorObject } from 'ajv';
import { LvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import { toPathArray } from '../yaml/source.ts';
import { comparisonWords, didYouMean, list, q, typeWords } from '../yaml/zh.ts';

const ANY_OF_MESSAGES: Record<string, string> = {
  options: '选项请写成纯文本（如 是），或写成 { value: ..., label: ... }',
  min: '数字字段请写数字，日期字段请写 YYYY-MM-DD 格式的日期',
  max: '数字字段请写数字，日期字段请写 YYYY-MM-DD 格式的日期',
};

const PATTERN_MESSAGES: Record<string, string> = {
  name: '不合规：须以小写字母开头，只能使用 a-z、0-9 和 _（它就是 data.<name> 中的键）',
  id: '不合规：须以小写字母开头，只能使用 a-z、0-9、- 和 _',
  accept: '不是文件类型：请写扩展名（如 .pdf）或 MIME 类型（如 image/*）',
  min: '不是日期：请写成 YYYY-MM-DD',
  max: '不是日期：请写成 YYYY-MM-DD',
};

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** `字段“title” → max_length`, `字段“items” → 字段“name”`: a path as the admin thinks of it. */
export function describePath(root: unknown, path: (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (p === 'fields' && typeof path[i + 1] === 'number') {
      const name = (valueAt(root, path.slice(0, i + 2)) as { name?: unknown } | undefined)?.name;
      parts.push(typeof name === 'string' ? `字段${q(name)}` : `fields[${path[i + 1]}]`);
      i++;
    } else parts.push(typeof p === 'number' ? `[${p}]` : p);
  }
  return parts.join(' → ').replace(/ → \[/g, '[') || '表单';
}

function lastKey(path: (string | number)[]): string {
  const k = [...path].reverse().find((p) => typeof p === 'string');
  return typeof k === 'string' ? k : '';
}

/** "Did you mean" for a typo (max_lenght -> max_length), else the keys allowed here. */
function suggest(key: string, allowed: string[]): string {
  return didYouMean(key, allowed) || `；此处允许的键为 ${list(allowed)}`;
}

function messageFor(e: ErrorObject, root: unknown, path: (string | number)[]): string {
  const key = lastKey(path);
  const value = valueAt(root, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `未知的键${q(p.additionalProperty)}：请删除它或改正拼写${suggest(String(p.additionalProperty), allowed)}`;
    }
    case 'required':
      return path.length === 0 && (root === null || root === undefined)
        ? '文件是空的：请写上 id:、version:、title: 和 fields:'
        : `缺少键${q(p.missingProperty)}：请补上`;
    case 'type':
      return path.length === 0 ? '文件应为包含 id:、version:、title: 和 fields: 的键值映射' : `应为${typeWords(p.type)}，而不是 ${JSON.stringify(value)}`;
    case 'enum':
      return `${JSON.stringify(value)} 不是有效的 ${key}：请改用以下之一：${list(p.allowedValues as unknown[])}`;
    case 'pattern':
      return `${JSON.stringify(value)} ${PATTERN_MESSAGES[key] ?? `不符合格式 ${String(p.pattern)}`}`;
    case 'minLength':
      return p.limit === 1 ? '不能为空：请填写内容' : `至少需要 ${String(p.limit)} 个字符`;
    case 'maxLength':
      return `超过了 ${String(p.limit)} 个字符：请缩短`;
    case 'minItems':
      return `至少需要 ${String(p.limit)} 项：请补上`;
    case 'maxItems':
      return `超过了 ${String(p.limit)} 项：请删去一些`;
    case 'uniqueItems':
      return '有重复的值：请删去其中一个';
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `应${comparisonWords(p.comparison)} ${String(p.limit)}，而不是 ${JSON.stringify(value)}`;
    default:
      return `不符合要求（${e.message ?? 'is not valid'}）`;
  }
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
      ? `${JSON.stringify(valueAt(root, path))} 在这里无效：${ANY_OF_MESSAGES[anyKey] ?? ANY_OF_MESSAGES[lastKey(path.slice(0, -1))] ?? '请检查取值'}`
      : messageFor(e, root, path);
    const where = describePath(root, path);
    return new LvzError('LVZ_FORM_SCHEMA', path.length === 0 ? message : `${where}：${message}`, {
      where: source.at(at),
      path: e.instancePath || '/',
      params: { keyword: e.keyword, ...e.params },
    });
  });
}

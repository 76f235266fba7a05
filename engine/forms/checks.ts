// checks.ts: what the schema cannot say about a form: per-type keys, duplicates, ranges, regexes, visible_when.
//
// Runs on a document the schema accepted, so shapes are known; every problem is collected.

import { LvzError, isLvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import { compileExpr, type CompiledExpr } from '../expr/index.ts';
import { needsUnicode, unsafeRegex } from '../expr/regex-check.ts';
import { list, q } from '../yaml/zh.ts';
import type { FieldTypeName } from './types.ts';
import { fieldTypes } from './fields/index.ts';
import { COMMON_KEYS } from './fields/field-type.ts';
import { isIsoDate } from './fields/date.ts';

/** A field as written in YAML (after the schema accepted it). */
export interface RawField {
  name: string;
  type: FieldTypeName;
  label: string;
  [key: string]: unknown;
}

const CHOICE_TYPES: readonly FieldTypeName[] = ['radios', 'select', 'checkboxes'];

export interface CheckContext {
  source: Source;
  /** Top-level field names, for visible_when references. */
  names: ReadonlySet<string>;
  errors: LvzError[];
  /** Compiled visible_when conditions, by field name. */
  visible: Map<string, CompiledExpr>;
}

function err(ctx: CheckContext, code: 'LVZ_FORM_SCHEMA' | 'LVZ_FORM_DUPLICATE_FIELD' | 'LVZ_FORM_UNKNOWN_FIELD' | 'LVZ_EXPR_UNSAFE_REGEX', message: string, path: string, params: Record<string, unknown> = {}): void {
  ctx.errors.push(new LvzError(code, message, { where: ctx.source.at(path), path, params }));
}

export function checkDuplicates(fields: readonly RawField[], base: string, ctx: CheckContext): void {
  const seen = new Map<string, number>();
  fields.forEach((f, i) => {
    const first = seen.get(f.name);
    if (first === undefined) seen.set(f.name, i);
    else {
      const line = ctx.source.at(`${base}/${first}/name`).line;
      err(ctx, 'LVZ_FORM_DUPLICATE_FIELD', `字段名${q(f.name)}用了两次（第一次在第 ${line} 行）：请给其中一个改名`, `${base}/${i}/name`, { name: f.name });
    }
  });
}

function checkKeys(f: RawField, path: string, ctx: CheckContext): void {
  const allowed = new Set<string>([...COMMON_KEYS, ...fieldTypes[f.type].keys]);
  for (const key of Object.keys(f)) {
    if (!allowed.has(key)) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：键${q(key)}不适用于 ${f.type} 类型的字段：请删除它`, `${path}/${key}`, { key, type: f.type });
  }
  if (CHOICE_TYPES.includes(f.type) && f.options === undefined) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：${f.type} 类型的字段需要 options:，请列出可选项`, path);
  if (f.type === 'group' && f.fields === undefined) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：group 类型的字段需要 fields:，请列出它的子字段`, path);
  const filter = f.filter as { kind?: string; role?: string } | undefined;
  if (f.type === 'org' && filter?.role) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：filter.role 只适用于 person 字段；org 字段请改用 filter.kind`, `${path}/filter/role`);
  if (f.type === 'person' && filter?.kind) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：filter.kind 只适用于 org 字段；person 字段请改用 filter.role`, `${path}/filter/kind`);
}

function checkOptions(f: RawField, path: string, ctx: CheckContext): void {
  if (!Array.isArray(f.options)) return;
  const seen = new Set<string>();
  f.options.forEach((o: unknown, i) => {
    const value = typeof o === 'string' ? o : (o as { value: string }).value;
    if (seen.has(value)) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：选项${q(value)}列出了两次：请删去一个`, `${path}/options/${i}`);
    seen.add(value);
  });
}

function checkRanges(f: RawField, path: string, ctx: CheckContext): void {
  const pairs: [string, string][] = [['min_length', 'max_length'], ['min', 'max'], ['min_items', 'max_items']];
  for (const [lo, hi] of pairs) {
    const a = f[lo];
    const b = f[hi];
    if (a !== undefined && b !== undefined && typeof a === typeof b && (a as number) > (b as number)) {
      err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：${lo}（${String(a)}）大于 ${hi}（${String(b)}）：请对调或改正这两个值`, `${path}/${lo}`);
    }
  }
  for (const key of ['min', 'max'] as const) {
    const v = f[key];
    if (v === undefined) continue;
    if (f.type === 'number' && typeof v !== 'number') err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：number 字段的 ${key} 必须是数字：请改正`, `${path}/${key}`);
    if (f.type === 'date' && (typeof v !== 'string' || !isIsoDate(v))) err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：date 字段的 ${key} 必须是真实存在的日期：请写成 YYYY-MM-DD`, `${path}/${key}`);
  }
}

function checkPattern(f: RawField, path: string, ctx: CheckContext): void {
  if (typeof f.pattern !== 'string') return;
  try {
    new RegExp(f.pattern, 'u');
  } catch (e) {
    err(ctx, 'LVZ_FORM_SCHEMA', `字段${q(f.name)}：pattern ${JSON.stringify(f.pattern)} 不是有效的正则表达式（${(e as Error).message}）：请改正`, `${path}/pattern`);
    return;
  }
  const problem = unsafeRegex(f.pattern, needsUnicode(f.pattern));
  if (problem) err(ctx, 'LVZ_EXPR_UNSAFE_REGEX', `字段${q(f.name)}：pattern ${JSON.stringify(f.pattern)}：${problem.message}`, `${path}/pattern`, { index: problem.index });
}

function checkVisibleWhen(f: RawField, path: string, ctx: CheckContext): void {
  if (typeof f.visible_when !== 'string') return;
  const at = `${path}/visible_when`;
  let expr: CompiledExpr;
  try {
    expr = compileExpr(f.visible_when, ctx.source.at(at));
  } catch (e) {
    if (!isLvzError(e)) throw e;
    ctx.errors.push(new LvzError(e.code, `字段${q(f.name)}的 visible_when：${e.message}`, { where: e.where, path: at, cause: e }));
    return;
  }
  const dirCall = expr.directoryCalls[0];
  if (dirCall) {
    err(ctx, 'LVZ_FORM_UNKNOWN_FIELD', `字段${q(f.name)}：visible_when 使用了通讯录函数 ${dirCall.fn}()，但显示条件只能读取 data.<字段>：请改写成只用本表单字段的条件（通讯录函数用于流程的表达式）`, at, { fn: dirCall.fn });
  }
  for (const ref of expr.refs) {
    const [head, name] = ref.split('.');
    if (head !== 'data') {
      err(ctx, 'LVZ_FORM_UNKNOWN_FIELD', `字段${q(f.name)}：visible_when 使用了${q(ref)}，但显示条件只能读取 data.<字段>：请改写成只用本表单字段的条件`, at, { ref });
    } else if (name !== undefined && !ctx.names.has(name)) {
      err(ctx, 'LVZ_FORM_UNKNOWN_FIELD', `字段${q(f.name)}：visible_when 引用的 data.${name} 不是本表单的字段：请改用以下字段之一：${list(ctx.names)}`, at, { ref, name });
    }
  }
  ctx.visible.set(f.name, expr);
}

/** Every check for one field (and its sub-fields, for a group). */
export function checkField(f: RawField, path: string, ctx: CheckContext): void {
  checkKeys(f, path, ctx);
  checkOptions(f, path, ctx);
  checkRanges(f, path, ctx);
  checkPattern(f, path, ctx);
  checkVisibleWhen(f, path, ctx);
  if (f.type === 'group' && Array.isArray(f.fields)) {
    const subs = f.fields as RawField[];
    checkDuplicates(subs, `${path}/fields`, ctx);
    subs.forEach((s, i) => checkField(s, `${path}/fields/${i}`, ctx));
  }
}

// expr/index.ts: guards and computed values in CEL, parsed once when a definition loads.
//
// CEL (via @marcbachmann/cel-js) has no eval, no loops and no prototype access, which is what an
// admin-written condition needs. Its cost is bounded twice: a static estimate when the expression
// loads (cost.ts, LVZ_EXPR_TOO_COSTLY) and a step budget while it runs (budget.ts, LVZ_EXPR_LIMIT).
// CEL integers are BigInt; numbers in our data are JS numbers (CEL double), and results are
// converted back to plain JSON values.

import { Environment } from '@marcbachmann/cel-js';
import { LvzError, isLvzError, type Where } from '../errors.ts';
import { BudgetExceeded, instrument, MAX_OPERATION_STEPS, MAX_STEPS, withBudget } from './budget.ts';
import { DATA_LIST, estimateCost, MAX_BUILT, MAX_COST, MAX_TOTAL_COST } from './cost.ts';
import { DIRECTORY_FUNCTIONS, membersOf, orgOf, userOf, withDirectory, type ExprDirectory } from './directory.ts';
import './linear-regexp.ts';
import { unsafeRegex } from './regex-check.ts';

const env = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 2000, maxDepth: 40, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 8 },
});

env
  .registerFunction('user(string): map', userOf)
  .registerFunction('org(string): map', orgOf)
  .registerFunction('members(string): list', membersOf);

/** Functions an expression may call by name (CEL's own and the directory's): any other never loads. */
const FUNCTIONS: ReadonlySet<string> = new Set(env.getDefinitions().functions.filter((f) => !f.receiverType).map((f) => f.name));

export type { ExprDirectory } from './directory.ts';
export { DIRECTORY_FUNCTIONS, withDirectory } from './directory.ts';
export type DirectoryFunction = (typeof DIRECTORY_FUNCTIONS)[number];

export const MAX_EXPR_LENGTH = 2000;

export interface EvaluateOptions {
  /** The directory user(), org() and members() read during this evaluation (else the one in scope, if any). */
  directory?: ExprDirectory;
}

export interface CompiledExpr {
  source: string;
  /** Top-level variables and their first member, e.g. `data.units` -> ["data.units"]. */
  refs: string[];
  /** Calls of the directory functions, with the id when it is written as a literal (`members('liaisons')`). */
  directoryCalls: { fn: DirectoryFunction; id?: string }[];
  /** Estimated steps (cost.ts), at most MAX_COST. */
  cost: number;
  /** The YAML node it was compiled from, when given. */
  where?: Where;
  evaluate(vars: Record<string, unknown>, opts?: EvaluateOptions): unknown;
}

/** Parse an expression; throws LVZ_EXPR_SYNTAX with the position of the YAML node. */
export function compileExpr(source: string, where?: Where): CompiledExpr {
  if (source.length > MAX_EXPR_LENGTH) {
    throw new LvzError('LVZ_EXPR_SYNTAX', `表达式超过 ${MAX_EXPR_LENGTH} 个字符：请把这条规则拆短`, { where });
  }
  let fn: ReturnType<typeof env.parse>;
  try {
    fn = env.parse(source);
  } catch (e) {
    throw new LvzError('LVZ_EXPR_SYNTAX', `表达式“${source}”无法解析：${firstLine(e)}`, { where, cause: e });
  }
  const calls = collectCalls(fn.ast);
  refuseUnknownFunctions(source, calls, where);
  const cost = refuseCostly(source, fn.ast, where);
  refuseUnsafeRegex(source, fn.ast, where);
  instrument(fn.ast);
  const refs = collectRefs(fn.ast);
  return {
    source,
    refs,
    directoryCalls: calls.filter((c): c is { fn: DirectoryFunction; id?: string } => (DIRECTORY_FUNCTIONS as readonly string[]).includes(c.fn)),
    cost,
    ...(where && { where }),
    evaluate(vars, opts) {
      const run = (): unknown => fn(toCel(vars) as Record<string, unknown>);
      try {
        return fromCel(withBudget(opts?.directory ? () => withDirectory(opts.directory, run) : run));
      } catch (e) {
        if (e instanceof BudgetExceeded) throw overBudget(source, e, where);
        throw new LvzError('LVZ_EXPR_EVAL', `表达式“${source}”运行出错：${firstLine(e)}`, { where, cause: e });
      }
    },
  };
}

/** LVZ_EXPR_SYNTAX for a call of a function nobody defines (`lookup(x)`): it could only fail when it runs. */
function refuseUnknownFunctions(source: string, calls: { fn: string }[], where?: Where): void {
  const unknown = calls.find((c) => !FUNCTIONS.has(c.fn));
  if (!unknown) return;
  throw new LvzError('LVZ_EXPR_SYNTAX', `表达式“${source}”使用了未知的函数“${unknown.fn}”：可用的函数有 ${[...FUNCTIONS].join('、')}（见 docs/dsl.md“表达式”）`,
    { where, params: { name: unknown.fn } });
}

/** Every call of a global function, with its first argument when that is a string literal. */
function collectCalls(ast: unknown): { fn: string; id?: string }[] {
  const out: { fn: string; id?: string }[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as AstNode;
    if (n.op === 'call' && Array.isArray(n.args) && typeof n.args[0] === 'string') {
      const first = (n.args[1] as AstNode[] | undefined)?.[0];
      out.push({ fn: n.args[0], ...(first?.op === 'value' && typeof first.args === 'string' && { id: first.args }) });
    }
    if (Array.isArray(n.args)) n.args.forEach(walk);
    else if (n.args && typeof n.args === 'object') walk(n.args);
  };
  walk(ast);
  return out;
}

/** LVZ_EXPR_TOO_COSTLY when the static estimate (cost.ts) is over its limit. */
function refuseCostly(source: string, ast: unknown, where?: Where): number {
  const { cost, built } = estimateCost(ast);
  if (cost <= MAX_COST && built <= MAX_BUILT) return cost;
  const what = cost > MAX_COST ? `计算量估计约 ${approx(cost)} 步，上限 ${approx(MAX_COST)} 步` : `可能生成约 ${approx(built)} 项的列表，上限 ${approx(MAX_BUILT)} 项`;
  throw new LvzError('LVZ_EXPR_TOO_COSTLY',
    `表达式“${source}”${what}：请减少嵌套的 all/exists/exists_one/map/filter，或缩短其中的列表（来自数据的列表按 ${approx(DATA_LIST)} 项估算）`,
    { where, params: { cost, built, maxCost: MAX_COST } });
}

/**
 * LVZ_EXPR_UNSAFE_REGEX when a `matches` call's pattern is not a string literal (it could not be checked
 * here, and data could then supply any pattern) or has a shape that can backtrack for minutes.
 */
function refuseUnsafeRegex(source: string, ast: unknown, where?: Where): void {
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as AstNode;
    if ((n.op === 'rcall' || n.op === 'call') && Array.isArray(n.args) && n.args[0] === 'matches') {
      const params = (n.op === 'rcall' ? n.args[2] : n.args[1]) as AstNode[] | undefined;
      const pattern = params?.[params.length - 1];
      if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
        throw new LvzError('LVZ_EXPR_UNSAFE_REGEX', `表达式“${source}”中 matches 的正则表达式必须直接写成字符串（如 matches('^[0-9]+$')），不能来自数据或运算：请改写`, { where });
      }
      const problem = unsafeRegex(pattern.args);
      if (problem) {
        throw new LvzError('LVZ_EXPR_UNSAFE_REGEX', `表达式“${source}”中 matches 的正则表达式 ${JSON.stringify(pattern.args)}：${problem.message}`, { where, params: { index: problem.index } });
      }
    }
    if (Array.isArray(n.args)) n.args.forEach(walk);
    else if (n.args && typeof n.args === 'object') walk(n.args);
  };
  walk(ast);
}

/**
 * LVZ_EXPR_TOO_COSTLY at the costliest expression when all of a definition's together are estimated over
 * MAX_TOTAL_COST: each may be within its own limit, yet one operation may run many of them.
 */
export function totalCostError(exprs: readonly CompiledExpr[], what: string): LvzError | undefined {
  const total = exprs.reduce((n, e) => n + e.cost, 0);
  if (total <= MAX_TOTAL_COST || exprs.length === 0) return undefined;
  const costliest = exprs.reduce((a, b) => (b.cost > a.cost ? b : a));
  return new LvzError('LVZ_EXPR_TOO_COSTLY',
    `${what}的表达式合计计算量估计约 ${approx(total)} 步，上限 ${approx(MAX_TOTAL_COST)} 步（这一条约 ${approx(costliest.cost)} 步，是其中最大的）：请简化这些规则，减少嵌套的 all/exists/map/filter`,
    { where: costliest.where, params: { total, maxTotal: MAX_TOTAL_COST } });
}

/** Run several evaluations as one operation (a form's visibility, every pass) under MAX_OPERATION_STEPS together. */
export function asOneOperation<T>(fn: () => T, what: string): T {
  try {
    return withBudget(fn, MAX_OPERATION_STEPS);
  } catch (e) {
    if (e instanceof BudgetExceeded) throw overBudget(what, e);
    throw e;
  }
}

function overBudget(source: string, e: BudgetExceeded, where?: Where): LvzError {
  const what = e.what === 'steps' ? `超过 ${approx(MAX_STEPS)} 步` : e.what === 'items' ? '生成的列表过长' : '生成的文字过长';
  return new LvzError('LVZ_EXPR_LIMIT', `规则“${source}”按本件的数据计算时${what}，已中止，本次操作未执行：请联系管理员简化这条规则`, { where, params: { what: e.what } });
}

const approx = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '∞');

/**
 * Evaluate as a condition: anything but `true` is false, and an evaluation error is false too, except a
 * run over budget: it is thrown, so the operation is refused instead of silently taking another branch.
 */
export function isTrue(expr: CompiledExpr, vars: Record<string, unknown>, opts?: EvaluateOptions): boolean {
  // A condition over a field not filled in (`data.is_key == '是'` on a new record) fails with an
  // error that is never shown; capturing its stack was most of evaluating it (docs/benchmarks.md,
  // "What we tried"). The budget's LVZ_EXPR_LIMIT is thrown on without one: its message says it all.
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return expr.evaluate(vars, opts) === true;
  } catch (e) {
    if (isLvzError(e) && e.code === 'LVZ_EXPR_LIMIT') throw e;
    return false;
  } finally {
    Error.stackTraceLimit = depth;
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.trim();
}

interface AstNode { op: string; args: unknown }

/** Comprehension macros bind their first argument (`list.all(u, u != '')`): `u` is no reference. */
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function collectRefs(ast: unknown): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, bound: ReadonlySet<string>): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((x) => walk(x, bound)); // call arguments come as a list
    const n = node as AstNode;
    if (n.op === '.' && Array.isArray(n.args)) {
      const [obj, key] = n.args as [AstNode, unknown];
      if (obj?.op === 'id' && typeof key === 'string') {
        if (!bound.has(String(obj.args))) out.add(`${String(obj.args)}.${key}`);
        return;
      }
    }
    if (n.op === 'id' && typeof n.args === 'string') {
      if (!bound.has(n.args)) out.add(n.args);
      return;
    }
    if (n.op === 'rcall' && Array.isArray(n.args) && MACROS.has(n.args[0] as string)) {
      const [, receiver, params] = n.args as [string, unknown, AstNode[]];
      const v = params?.[0];
      walk(receiver, bound);
      if (v?.op === 'id' && typeof v.args === 'string') {
        const inner = new Set(bound).add(v.args);
        params.slice(1).forEach((p) => walk(p, inner));
        return;
      }
    }
    if (Array.isArray(n.args)) n.args.forEach((a) => walk(a, bound));
    else if (n.args && typeof n.args === 'object') walk(n.args, bound);
  };
  walk(ast, new Set());
  return [...out];
}

/** JSON-ish value -> CEL value: integers stay doubles (JS numbers) so `data.n > 1` works with 1.0 or 1. */
function toCel(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toCel);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = toCel(x);
    return out;
  }
  return v;
}

function fromCel(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromCel);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), fromCel(x)]));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromCel(x)]));
  }
  return v;
}

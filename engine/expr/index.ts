// expr/index.ts: guards and computed values in CEL, parsed once when a definition loads.
//
// CEL (via @marcbachmann/cel-js) has no eval, no loops, no prototype access and bounded
// cost, which is what an admin-written condition needs. CEL integers are BigInt; numbers in
// our data are JS numbers (CEL double), and results are converted back to plain JSON values.

import { Environment } from '@marcbachmann/cel-js';
import { LvzError, type Where } from '../errors.ts';

const env = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 2000, maxDepth: 40, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 8 },
});

export const MAX_EXPR_LENGTH = 2000;

export interface CompiledExpr {
  source: string;
  /** Top-level variables and their first member, e.g. `data.units` -> ["data.units"]. */
  refs: string[];
  evaluate(vars: Record<string, unknown>): unknown;
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
  const refs = collectRefs(fn.ast);
  return {
    source,
    refs,
    evaluate(vars) {
      try {
        return fromCel(fn(toCel(vars) as Record<string, unknown>));
      } catch (e) {
        throw new LvzError('LVZ_EXPR_EVAL', `表达式“${source}”运行出错：${firstLine(e)}`, { where, cause: e });
      }
    },
  };
}

/** Evaluate as a condition: anything but `true` is false, and an evaluation error is false too. */
export function isTrue(expr: CompiledExpr, vars: Record<string, unknown>): boolean {
  try {
    return expr.evaluate(vars) === true;
  } catch {
    return false;
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

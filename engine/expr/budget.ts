// budget.ts: the runtime budget of one evaluation: a count of evaluation steps and a cap on the lists and
// text an expression builds, so that no data can make an accepted expression run away.
//
// cel-js 8 has limits on the parsed AST only (maxAstNodes, maxDepth, list and map literal sizes) and no hook
// into evaluation. Every node it evaluates is an ASTNode whose `evaluate(ev, ast, ctx)` dispatches on its
// meta (an expanded macro, a macro object or the operator's function); instrument() gives each node of a
// parsed tree its own `evaluate` that counts a step and checks the size of what it built, then dispatches
// the same way. A comprehension's body is re-run per item, so the count covers iterations too.

/** Steps one evaluation may take: twice the static limit (cost.ts), so only data larger than assumed hits it. */
export const MAX_STEPS = 2_000_000;
/** The longest list or map an evaluation may build. */
export const MAX_ITEMS = 100_000;
/** The longest text an evaluation may build. */
export const MAX_CHARS = 1_000_000;

export class BudgetExceeded extends Error {
  constructor(readonly what: 'steps' | 'items' | 'chars') {
    super(`evaluation budget exceeded (${what})`);
  }
}

/** Steps all evaluations of one operation may take together (a form's visible_when, every pass). */
export const MAX_OPERATION_STEPS = 8_000_000;

interface Budget {
  steps: number;
  max: number;
  exceeded?: BudgetExceeded;
}

let current: Budget | undefined;

/**
 * Run `fn` under a fresh budget of `max` steps; throws BudgetExceeded when it ran out, even if cel-js caught
 * the error. Budgets nest: an evaluation's steps also count against the operation around it.
 */
export function withBudget<T>(fn: () => T, max = MAX_STEPS): T {
  const outer = current;
  const budget: Budget = { steps: 0, max };
  current = budget;
  try {
    const result = fn();
    if (budget.exceeded) throw budget.exceeded;
    return result;
  } catch (e) {
    // `||`, `&&` and all/exists turn errors into values (CEL's error semantics): the budget's error wins.
    throw budget.exceeded ?? e;
  } finally {
    current = outer;
    if (outer && (outer.steps += budget.steps) > outer.max) fail(outer, 'steps');
  }
}

/** Count `n` steps of work a function did inside the running evaluation (a directory lookup's copy). */
export function charge(n: number): void {
  const budget = current;
  if (budget && (budget.steps += n) > budget.max) fail(budget, 'steps');
}

function fail(budget: Budget, what: BudgetExceeded['what']): never {
  throw (budget.exceeded ??= new BudgetExceeded(what));
}

/** Ops whose result is a list, map or text the expression made (not a value read from the data). */
const BUILDS = new Set(['+', 'list', 'map', 'call', 'rcall', 'accuPush', 'comprehension']);

function sizeOf(v: unknown): [number, 'items' | 'chars'] {
  if (typeof v === 'string') return [v.length, 'chars'];
  if (Array.isArray(v)) return [v.length, 'items'];
  if (v instanceof Map) return [v.size, 'items'];
  return [0, 'items'];
}

type Evaluate = (ev: unknown, ast: unknown, ctx: unknown) => unknown;
interface Meta { alternate?: InstrumentedNode; macro?: { evaluate: Evaluate } & Record<string, unknown>; evaluate: Evaluate }
interface InstrumentedNode { op: string; args: unknown; meta: Meta; evaluate: Evaluate }

const isAstNode = (x: unknown): x is InstrumentedNode =>
  !!x && typeof x === 'object' && typeof (x as InstrumentedNode).op === 'string' && typeof (x as InstrumentedNode).evaluate === 'function' && 'meta' in x;

/** Give every node of a parsed tree (expanded macros included) a counting `evaluate`. */
export function instrument(root: unknown): void {
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) return x.forEach(walk);
    if (!isAstNode(x)) return Object.values(x).forEach(walk); // a comprehension's {iterable, step, ...}
    countSteps(x);
    walk(x.args);
    walk(x.meta.alternate);
    if (x.meta.macro) Object.values(x.meta.macro).forEach(walk);
  };
  walk(root);
}

function countSteps(node: InstrumentedNode): void {
  const meta = node.meta;
  const checksSize = BUILDS.has(node.op);
  // An own property: ASTNode.prototype.evaluate would replace itself on first use and skip the count.
  node.evaluate = function counted(ev, ast, ctx) {
    const budget = current;
    if (budget && ++budget.steps > budget.max) fail(budget, 'steps');
    // The dispatch of ASTNode.prototype.evaluate, read at each call: type checking may swap meta.evaluate.
    const alt = meta.alternate;
    const result = alt ? alt.evaluate(ev, alt, ctx) : meta.macro ? meta.macro.evaluate(ev, meta.macro, ctx) : meta.evaluate(ev, ast, ctx);
    if (budget && checksSize) {
      const [n, what] = sizeOf(result);
      if (n > (what === 'chars' ? MAX_CHARS : MAX_ITEMS)) fail(budget, what);
    }
    return result;
  };
}

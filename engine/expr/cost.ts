// cost.ts: a static upper bound on what one expression can cost, worked out from its AST when it loads.
//
// CEL has no loops, but comprehensions (all, exists, exists_one, map, filter) nest: four maps over a
// literal list of 200 are 1.6e9 steps, eight `all` over ten items 1e8. The estimate multiplies each
// comprehension's body by the size of the list it walks: a literal's own length, and DATA_LIST for a list
// that comes from data or the directory (members(); the directory holds about 6,000 deputies, so one
// comprehension over data stays allowed and two nested ones do not). The runtime budget (budget.ts) catches whatever data breaks this.

/** Steps one expression may be estimated to take (about 20-50 ms of evaluation). */
export const MAX_COST = 1_000_000;
/** All expressions of one definition together (a form's visible_when, a workflow's guards and values). */
export const MAX_TOTAL_COST = 4_000_000;
/** Items assumed for a list that comes from data (`data.x`, `item`, `actor.roles`, a split). */
export const DATA_LIST = 10_000;
/** The most items a list or map an expression builds may be estimated to hold. */
export const MAX_BUILT = 100_000;

/** The most items a value may hold (n), and the shape of its items. */
interface Shape {
  n: number;
  elem?: Shape;
}

const SCALAR: Shape = { n: 0 };
const DATA: Shape = { n: DATA_LIST };
DATA.elem = DATA; // a list from data may hold lists from data, all the way down

interface Estimate {
  cost: number;
  shape: Shape;
  /** The largest collection built anywhere in the expression. */
  built: number;
}

interface Node {
  op: string;
  args: unknown;
  meta?: { alternate?: unknown; macro?: unknown };
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

export interface CostEstimate {
  cost: number;
  built: number;
}

/** The estimated steps of a parsed expression and the largest list it could build. */
export function estimateCost(ast: unknown): CostEstimate {
  const e = estimate(ast as Node, new Map());
  return { cost: e.cost, built: e.built };
}

function join(a: Shape, b: Shape): Shape {
  if (a === b) return a;
  const elem = a.elem && b.elem ? join(a.elem, b.elem) : a.elem ?? b.elem;
  return { n: Math.max(a.n, b.n), ...(elem && { elem }) };
}

const isNode = (x: unknown): x is Node => !!x && typeof x === 'object' && typeof (x as Node).op === 'string';

function sum(parts: Estimate[], extra: number, shape: Shape): Estimate {
  const built = Math.max(shape.n, ...parts.map((p) => p.built));
  return { cost: parts.reduce((n, p) => n + p.cost, extra), shape, built };
}

function estimate(node: Node, vars: ReadonlyMap<string, Shape>): Estimate {
  const sub = (x: unknown): Estimate => (isNode(x) ? estimate(x, vars) : { cost: 0, shape: SCALAR, built: 0 });
  const args = Array.isArray(node.args) ? (node.args as unknown[]) : [];
  switch (node.op) {
    case 'value':
      return { cost: 1, shape: SCALAR, built: 0 };
    case 'id':
      return { cost: 1, shape: vars.get(String(node.args)) ?? DATA, built: 0 };
    case 'list': case 'map':
      return literal(node.op, args, sub);
    case '.': case '.?': case '[]': case '[?]': {
      const [obj, key] = [sub(args[0]), sub(args[1])];
      return sum([obj, key], 1, obj.shape.elem ?? DATA);
    }
    case 'rcall':
      return rcall(node, args, vars, sub);
    case 'call':
      return sum(((args[1] as unknown[]) ?? []).map(sub), 1, args[0] === 'dyn' ? sub((args[1] as unknown[])[0]).shape : callShape(args[0]));
    case '+': case 'in': case '==': case '!=':
      return binary(node.op, sub(args[0]), sub(args[1]));
    case '?:': {
      const [c, l, r] = args.map(sub) as [Estimate, Estimate, Estimate];
      return { cost: c.cost + Math.max(l.cost, r.cost) + 1, shape: join(l.shape, r.shape), built: Math.max(c.built, l.built, r.built) };
    }
    default: {
      // Operators over scalars (&&, ||, <, !, -, ...) and anything unforeseen: the sum of the parts.
      const parts = (Array.isArray(node.args) ? args : [node.args]).filter(isNode).map(sub);
      return sum(parts, 1, SCALAR);
    }
  }
}

/**
 * What a global call gives: members() a list from the directory (DATA_LIST), the rest a value. user() and
 * org() give maps whose lists (`user(x).works_for`) are data to whoever reads them, as `.` below assumes.
 */
function callShape(name: unknown): Shape {
  return name === 'members' ? { n: DATA_LIST, elem: SCALAR } : SCALAR;
}

function literal(op: string, args: unknown[], sub: (x: unknown) => Estimate): Estimate {
  if (op === 'list') {
    const items = args.map(sub);
    return sum(items, 1, { n: items.length, elem: items.map((i) => i.shape).reduce(join, SCALAR) });
  }
  const entries = (args as unknown[][]).map((kv) => [sub(kv[0]), sub(kv[1])] as const);
  return sum(entries.flat(), 1, { n: entries.length, elem: entries.map(([, v]) => v.shape).reduce(join, SCALAR) });
}

function binary(op: string, a: Estimate, b: Estimate): Estimate {
  // A value from data is mostly a number or text: `i.amount + i.fee`, `u.kind == 'unit'` cost one step, and
  // what they give is as unknown as data itself. Only lists the expression builds are charged their length.
  const fromData = a.shape === DATA || b.shape === DATA;
  if (op === 'in') return sum([a, b], 1 + b.shape.n, SCALAR); // a scan of the list
  if (op !== '+') return sum([a, b], 1 + (fromData ? 0 : Math.max(a.shape.n, b.shape.n)), SCALAR); // == walks lists
  if (fromData) return sum([a, b], 1, DATA);
  const n = a.shape.n + b.shape.n; // concatenation copies both lists
  return sum([a, b], 1 + n, n > 0 ? { n, elem: join(a.shape.elem ?? SCALAR, b.shape.elem ?? SCALAR) } : SCALAR);
}

function rcall(node: Node, args: unknown[], vars: ReadonlyMap<string, Shape>, sub: (x: unknown) => Estimate): Estimate {
  const [name, receiver, params] = args as [string, unknown, unknown[]];
  const variable = isNode(params[0]) && params[0].op === 'id' ? String(params[0].args) : undefined;
  if (node.meta?.alternate && COMPREHENSIONS.has(name) && variable !== undefined) {
    const over = sub(receiver);
    const inner = new Map(vars).set(variable, over.shape.elem ?? DATA);
    const bodies = params.slice(1).map((p) => (isNode(p) ? estimate(p, inner) : sub(p)));
    const rounds = over.shape.n;
    const each = bodies.reduce((n, b) => n + b.cost, 2);
    const shape = name === 'map' ? { n: rounds, elem: bodies[bodies.length - 1]!.shape } : name === 'filter' ? over.shape : SCALAR;
    return { cost: over.cost + 1 + rounds * each, shape, built: Math.max(over.built, shape.n, ...bodies.map((b) => b.built)) };
  }
  if (node.meta?.macro && name === 'bind' && variable !== undefined) {
    const value = sub(params[1]);
    const body = isNode(params[2]) ? estimate(params[2], new Map(vars).set(variable, value.shape)) : sub(params[2]);
    return { cost: value.cost + body.cost + 1, shape: body.shape, built: Math.max(value.built, body.built) };
  }
  const parts = [sub(receiver), ...params.map(sub)];
  const shape = name === 'split' ? { n: DATA_LIST, elem: SCALAR } : SCALAR;
  // join walks its list; size() and the string functions are counted as one step
  return sum(parts, 1 + (name === 'join' ? parts[0]!.shape.n : 0), shape);
}

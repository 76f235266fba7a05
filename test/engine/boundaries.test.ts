// boundaries.test.ts: the rules of docs/architecture.md ("Layers and rules"), checked on every run.
// Each rule is a function over the import graph. It runs on the tree (no finding expected) and on
// a small graph that breaks it (its finding expected), so no rule can pass by reading nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** A source file: what it imports (a repository path for a relative import, else the package name) and its text. */
interface SourceFile { imports: string[]; text: string }
type Graph = Map<string, SourceFile>;

/**
 * The engine's layers, bottom first. A folder imports only folders of lower layers (and itself);
 * folders of one layer never import each other. A new folder under engine/ gets its line here.
 */
const LAYERS: string[][] = [
  ['engine/errors.ts'],
  ['engine/model'],
  ['engine/yaml', 'engine/expr'],
  ['engine/calendar', 'engine/forms'],
  ['engine/constructs'],
  ['engine/dsl'],
  ['engine/store'],
  ['engine/auth'],
  ['engine/runtime'],
  ['engine/index.ts'],
];

/**
 * Folders that are pure functions of their arguments: no I/O, no environment, no clock. node:crypto is
 * allowed (not matched below): a SHA-256 digest is a function of its input (constructs/ballot/chain.ts).
 */
const PURE = ['engine/model', 'engine/yaml', 'engine/expr', 'engine/calendar', 'engine/forms', 'engine/constructs', 'engine/dsl'];
const IO_MODULE = /^(node:)?(fs|net|http|https|http2|child_process|worker_threads|cluster|dgram|dns|tls|readline)(\/|$)|^(knex|sqlite3|pg|better-sqlite3)$/;
const DB_DRIVER = /^(knex|sqlite3|pg|better-sqlite3)$/;
const WEB = /^(fastify|@fastify\/|handlebars)/;
/** The clock is read in runtime/clock.ts; the store times its own waits (a lock retry) and bench ids, not dates. */
const CLOCK_READERS = ['engine/runtime/clock.ts'];
const WAIT_TIMERS = ['engine/store/db.ts', 'engine/store/bench-seed.ts'];
/** What server/ may import from engine/: the entry, the errors, the shared types and the contract's type files. */
const SERVER_MAY_IMPORT = (to: string): boolean =>
  to === 'engine/index.ts' || to === 'engine/errors.ts' || to.startsWith('engine/model/') ||
  /\/(view-)?types\.ts$/.test(to) ||
  to === 'engine/runtime/clock.ts'; // server/main.ts reads the rehearsal settings before it loads the engine

function readTree(dirs: string[]): Graph {
  const graph: Graph = new Map();
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        const from = path.relative(root, p);
        graph.set(from, { text, imports: specifiersOf(text).map((s) => resolve(from, s)) });
      }
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return graph;
}

function specifiersOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

function resolve(from: string, spec: string): string {
  return spec.startsWith('.') ? path.posix.join(path.posix.dirname(from), spec) : spec;
}

const isLocal = (to: string): boolean => /^(engine|server|cli|bin|bench|schema|templates)\//.test(to);

/**
 * A construct's runtime half (engine/constructs/<name>/run/) and the list of them (engine/constructs/runs.ts)
 * belong to the runtime layer: they live in the construct's folder but write rows as runtime/ does
 * (docs/constructs.md, "Runtime halves").
 */
const RUNTIME_HALF = /^engine\/constructs\/(runs\.ts$|[^/]+\/run\/)/;

/** engine/dsl for engine/dsl/checks/x.ts, engine/errors.ts for itself, server for server/…. */
function unitOf(file: string): string {
  if (RUNTIME_HALF.test(file)) return 'engine/runtime';
  const parts = file.split('/');
  return parts[0] === 'engine' ? parts.slice(0, 2).join('/') : parts[0]!;
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((l) => l.includes(unit));
}

const rules = {
  /** Every folder of engine/ has a layer: a new one is placed before it is used. */
  placed(g: Graph): string[] {
    const units = new Set([...g.keys()].filter((f) => f.startsWith('engine/')).map(unitOf));
    return [...units].filter((u) => layerOf(u) < 0).map((u) => `${u} has no layer in LAYERS (docs/architecture.md)`);
  },

  /** No upward import, and none sideways between folders of one layer. */
  downward(g: Graph): string[] {
    return [...g].filter(([f]) => f.startsWith('engine/')).flatMap(([f, s]) => s.imports
      .filter((to) => to.startsWith('engine/') && unitOf(to) !== unitOf(f))
      .filter((to) => layerOf(unitOf(to)) >= layerOf(unitOf(f)))
      .map((to) => `${f} imports ${to}: ${unitOf(to)} is not below ${unitOf(f)}`));
  },

  /** engine/model/ holds types only: it imports no package and nothing of the engine but errors.ts. */
  modelImportsNothing(g: Graph): string[] {
    return [...g].filter(([f]) => f.startsWith('engine/model/')).flatMap(([f, s]) => s.imports
      .filter((to) => unitOf(to) !== 'engine/model' && to !== 'engine/errors.ts')
      .map((to) => `${f} imports ${to}`));
  },

  /** The folder graph (engine's folders, server, cli) has no circle. */
  folderCycles(g: Graph): string[] {
    const edges = new Map<string, Set<string>>();
    for (const [f, s] of g) {
      for (const to of s.imports.filter(isLocal)) {
        if (unitOf(to) !== unitOf(f)) edges.set(unitOf(f), (edges.get(unitOf(f)) ?? new Set()).add(unitOf(to)));
      }
    }
    return circles(edges).map((c) => `folders import each other: ${c.join(' -> ')}`);
  },

  /** No file imports itself through others (a type-only import counts too). */
  fileCycles(g: Graph): string[] {
    const edges = new Map([...g].map(([f, s]) => [f, new Set(s.imports.filter((to) => g.has(to)))]));
    return circles(edges).map((c) => `files import each other: ${c.join(' -> ')}`);
  },

  /** engine/ never imports fastify, handlebars, server/ or cli/. */
  engineKnowsNoWeb(g: Graph): string[] {
    return [...g].filter(([f]) => f.startsWith('engine/')).flatMap(([f, s]) => s.imports
      .filter((to) => WEB.test(to) || /^(server|cli|bin)\//.test(to)).map((to) => `${f} imports ${to}`));
  },

  /** server/ never imports a database driver or engine/store, and reaches the engine only through its contract. */
  serverThroughContract(g: Graph): string[] {
    return [...g].filter(([f]) => f.startsWith('server/')).flatMap(([f, s]) => s.imports
      .filter((to) => DB_DRIVER.test(to) || to.startsWith('engine/store/') || (to.startsWith('engine/') && !SERVER_MAY_IMPORT(to)))
      .map((to) => `${f} imports ${to}`));
  },

  /** model, yaml, expr, calendar, forms and dsl do no I/O, read no environment and no clock. */
  pure(g: Graph): string[] {
    return [...g].filter(([f]) => PURE.includes(unitOf(f))).flatMap(([f, s]) => [
      ...s.imports.filter((to) => IO_MODULE.test(to)).map((to) => `${f}: I/O import ${to}`),
      ...(/\bprocess\.env\b/.test(s.text) ? [`${f}: reads process.env`] : []),
      ...(/\bDate\.now\(|new Date\(\)/.test(s.text) ? [`${f}: reads the clock`] : []),
    ]);
  },

  /** In engine/, only runtime/clock.ts reads the system clock. */
  oneClock(g: Graph): string[] {
    return [...g].filter(([f]) => f.startsWith('engine/') && !CLOCK_READERS.includes(f)).flatMap(([f, s]) => [
      ...(/new Date\(\)/.test(s.text) ? [`${f}: new Date() (take \`now\` from the caller)`] : []),
      ...(/\bDate\.now\(/.test(s.text) && !WAIT_TIMERS.includes(f) ? [`${f}: Date.now() (take \`now\` from the caller)`] : []),
    ]);
  },
};

/** The circles of a directed graph (Tarjan's strongly connected components of more than one node, or a self-loop). */
function circles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || edges.get(v)?.has(v)) found.push(scc.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** A graph from `file: import, import` lines, for the cases below. */
function graphOf(files: Record<string, string[] | { imports?: string[]; text: string }>): Graph {
  return new Map(Object.entries(files).map(([f, s]) => [f, Array.isArray(s) ? { imports: s, text: '' } : { imports: s.imports ?? [], text: s.text }]));
}

/** For each rule, a graph that breaks it: the rule must report it. */
const BROKEN: Record<keyof typeof rules, Graph> = {
  placed: graphOf({ 'engine/misc/x.ts': [] }),
  downward: graphOf({
    'engine/store/types.ts': ['engine/runtime/types.ts'], 'engine/forms/a.ts': ['engine/calendar/index.ts'],
    // A construct's pure part never reaches its own runtime half, which stands on the runtime layer.
    'engine/constructs/x/index.ts': ['engine/constructs/x/run/enter.ts'],
  }),
  modelImportsNothing: graphOf({ 'engine/model/actor.ts': ['engine/dsl/types.ts', 'yaml'] }),
  folderCycles: graphOf({ 'engine/calendar/a.ts': ['engine/dsl/b.ts'], 'engine/dsl/b.ts': [], 'engine/dsl/c.ts': ['engine/calendar/a.ts'] }),
  fileCycles: graphOf({ 'engine/runtime/a.ts': ['engine/runtime/b.ts'], 'engine/runtime/b.ts': ['engine/runtime/a.ts'] }),
  engineKnowsNoWeb: graphOf({ 'engine/runtime/a.ts': ['fastify', 'server/page.ts'] }),
  serverThroughContract: graphOf({ 'server/a.ts': ['knex', 'engine/store/db.ts', 'engine/runtime/views.ts'] }),
  pure: graphOf({ 'engine/dsl/a.ts': { imports: ['node:fs'], text: 'const t = Date.now(); process.env.X' } }),
  oneClock: graphOf({ 'engine/runtime/a.ts': { text: 'const now = new Date();' } }),
};

describe('import boundaries (docs/architecture.md, "Layers and rules")', () => {
  const tree = readTree(['engine', 'server', 'cli', 'bin']);

  it('reads the tree', () => {
    expect(tree.size).toBeGreaterThan(200);
    expect(tree.get('engine/runtime/types.ts')?.imports).toContain('engine/model/actor.ts');
  });

  for (const [name, rule] of Object.entries(rules) as [keyof typeof rules, (g: Graph) => string[]][]) {
    it(`${name}: holds in the tree`, () => {
      expect(rule(tree)).toEqual([]);
    });
    it(`${name}: reports a graph that breaks it`, () => {
      expect(rule(BROKEN[name]).length).toBeGreaterThan(0);
    });
  }
});

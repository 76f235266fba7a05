// registry.test.ts: a DSL construct is one folder (docs/constructs.md). Only the registry
// (engine/constructs/index.ts) imports a construct's folder, besides the folder itself and its tests
// (test/engine/constructs/<name>/); every folder has its registry line, and each line is whole.
// Like test/engine/boundaries.test.ts, each rule runs on the tree and on a small graph that breaks it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSTRUCTS } from '../../../engine/constructs/index.ts';
import { CONSTRUCT_RUNS } from '../../../engine/constructs/runs.ts';
import type { AnyConstruct } from '../../../engine/constructs/index.ts';
import { workflowSchema } from '../../../engine/dsl/schema.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const REGISTRY = 'engine/constructs/index.ts';
/** The list of the constructs' runtime halves: it may import a folder's run/ (docs/constructs.md, "Runtime halves"). */
const RUN_REGISTRY = 'engine/constructs/runs.ts';

/** file -> the repository paths it imports (relative imports only: a construct is never a package). */
type Graph = Map<string, string[]>;

function readTree(dirs: string[]): Graph {
  const graph: Graph = new Map();
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (/\.[cm]?[jt]s$/.test(e.name)) {
        const from = path.relative(root, p);
        const text = fs.readFileSync(p, 'utf8');
        const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
        graph.set(from, specs.filter((s) => s.startsWith('.')).map((s) => path.posix.join(path.posix.dirname(from), s)));
      }
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return graph;
}

/** The folders under engine/constructs/: one per construct. */
function constructFolders(): string[] {
  return fs.readdirSync(path.join(root, 'engine/constructs'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Imports of a construct's folder from outside it, other than the registry's and its own tests'. */
function foreignImports(g: Graph, folders: string[]): string[] {
  return folders.flatMap((name) => {
    const inside = `engine/constructs/${name}/`;
    const tests = `test/engine/constructs/${name}/`;
    return [...g].flatMap(([from, imports]) => imports
      .filter((to) => to.startsWith(inside))
      .filter((to) => from !== REGISTRY && !(from === RUN_REGISTRY && to.startsWith(`${inside}run/`)) && !from.startsWith(inside) && !from.startsWith(tests))
      .map((to) => `${from} imports ${to}: go through ${REGISTRY}`));
  });
}

/** Folders without a registry line (a construct whose key is the folder's name). */
function unregistered(folders: string[], registered: readonly AnyConstruct[]): string[] {
  const keys = new Set(registered.map((c) => c.key));
  return folders.filter((f) => !keys.has(f)).map((f) => `engine/constructs/${f}/ has no line in ${REGISTRY}`);
}

/** Folders without tests of their own (a test file in test/engine/constructs/<name>/). */
function untested(folders: string[], g: Graph): string[] {
  return folders
    .filter((f) => ![...g.keys()].some((file) => file.startsWith(`test/engine/constructs/${f}/`) && file.endsWith('.test.ts')))
    .map((f) => `engine/constructs/${f}/ has no tests in test/engine/constructs/${f}/`);
}

/** Lines that are not whole: a key twice, a site without its schema fragment, a fragment for a site not listed. */
function malformed(registered: readonly AnyConstruct[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of registered) {
    if (seen.has(c.key)) out.push(`${c.key}: registered twice`);
    seen.add(c.key);
    for (const [site, hook] of [['state', c.stateSchema], ['group', c.groupSchema]] as const) {
      if (c.sites.includes(site) !== (hook !== undefined)) out.push(`${c.key}: sites says ${site} ${c.sites.includes(site) ? 'but' : 'without'} ${site}Schema`);
    }
    if (c.sites.length > 0 && !c.normalise) out.push(`${c.key}: written somewhere but never normalised`);
  }
  return out;
}

describe('constructs are folders (docs/constructs.md)', () => {
  const tree = readTree(['engine', 'server', 'cli', 'bin', 'bench', 'test']);
  const folders = constructFolders();

  it('reads the tree and the folders', () => {
    expect(folders).toEqual(expect.arrayContaining(['ballot', 'deadline']));
    expect(tree.get(REGISTRY)).toContain('engine/constructs/deadline/index.ts');
  });

  it('only the registry, the folder itself and its tests import a construct', () => {
    expect(foreignImports(tree, folders)).toEqual([]);
  });

  it('reports a graph that imports a construct around the registry', () => {
    const g: Graph = new Map([
      [REGISTRY, ['engine/constructs/deadline/index.ts']],
      ['engine/constructs/deadline/index.ts', ['engine/constructs/deadline/checks.ts', 'engine/constructs/types.ts']],
      ['test/engine/constructs/deadline/checks.test.ts', ['engine/constructs/deadline/checks.ts']],
      ['engine/runtime/entry-rows.ts', ['engine/constructs/deadline/types.ts']],
      ['engine/constructs/ballot/index.ts', ['engine/constructs/deadline/normalise.ts']],
      ['test/engine/constructs/ballot/x.test.ts', ['engine/constructs/deadline/index.ts']],
      [RUN_REGISTRY, ['engine/constructs/deadline/run/index.ts', 'engine/constructs/deadline/checks.ts']],
    ]);
    expect(foreignImports(g, ['ballot', 'deadline'])).toEqual([
      'engine/runtime/entry-rows.ts imports engine/constructs/deadline/types.ts: go through engine/constructs/index.ts',
      'engine/constructs/ballot/index.ts imports engine/constructs/deadline/normalise.ts: go through engine/constructs/index.ts',
      'test/engine/constructs/ballot/x.test.ts imports engine/constructs/deadline/index.ts: go through engine/constructs/index.ts',
      'engine/constructs/runs.ts imports engine/constructs/deadline/checks.ts: go through engine/constructs/index.ts',
    ]);
  });

  it('every runtime half belongs to a registered construct, once, and lives in its folder', () => {
    const keys = CONSTRUCT_RUNS.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => !CONSTRUCTS.some((c) => c.key === k))).toEqual([]);
    const halves = (tree.get(RUN_REGISTRY) ?? []).filter((to) => /\/run\/index\.ts$/.test(to));
    expect([...new Set(halves.map((to) => to.split('/')[2]))].sort()).toEqual([...keys].sort());
  });

  it('every folder has its registry line, and a folder without one is reported', () => {
    expect(unregistered(folders, CONSTRUCTS)).toEqual([]);
    expect(unregistered([...folders, 'schedule'], CONSTRUCTS)).toEqual([`engine/constructs/schedule/ has no line in ${REGISTRY}`]);
  });

  it('every folder has its tests, and a folder without them is reported', () => {
    expect(untested(folders, tree)).toEqual([]);
    expect(untested(['deadline', 'schedule'], tree)).toEqual(['engine/constructs/schedule/ has no tests in test/engine/constructs/schedule/']);
  });

  it('every registry line is whole, and a broken one is reported', () => {
    expect(malformed(CONSTRUCTS)).toEqual([]);
    const broken: AnyConstruct[] = [
      { key: 'x', sites: ['state', 'group'], stateSchema: () => ({}), normalise: (r) => r },
      { key: 'x', sites: [] },
      { key: 'y', sites: ['state'], stateSchema: () => ({}) },
    ];
    expect(malformed(broken)).toEqual([
      'x: sites says group but groupSchema',
      'x: registered twice',
      'y: written somewhere but never normalised',
    ]);
  });

  it("a construct's key is in the schema where its sites say", () => {
    const state = (workflowSchema.properties as Record<string, { additionalProperties: { properties: Record<string, unknown> } }>).states!
      .additionalProperties.properties;
    const task = (state.task as { properties: Record<string, unknown> }).properties;
    const group = (state.tasks as { items: { properties: Record<string, unknown> } }).items.properties;
    for (const c of CONSTRUCTS as readonly AnyConstruct[]) {
      expect(c.key in state, `${c.key} under a state`).toBe(c.sites.includes('state'));
      expect(c.key in task && c.key in group, `${c.key} under a task group`).toBe(c.sites.includes('group'));
    }
  });
});

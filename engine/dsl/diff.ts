// diff.ts: a district's differences from the city's definition, for the studio's "differences from the city's" page.
//
// Compares the effective documents (what runs), not the district's file: a difference is what a user of the
// district would notice. Task groups are matched by id, so removing one group does not shift the others.

import { isMap } from './extends.ts';

export interface Difference {
  /** JSON pointer into the effective document; task groups appear by id: `/states/handle/tasks/lead/deadline`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The city's value (removed, changed). */
  from?: unknown;
  /** The district's value (added, changed). */
  to?: unknown;
}

/** Keys that say whose definition it is, not how the process runs. */
const IDENTITY = new Set(['id', 'version', 'extends', 'owner']);

/**
 * Differences between two raw workflow documents, in the parent's key order: pass the effective district
 * document (`compiled.source.value`) and the city's (`cityCompiled.source.value`).
 */
export function diffFromParent(child: unknown, parent: unknown): Difference[] {
  const out: Difference[] = [];
  const strip = (v: unknown): unknown => (isMap(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !IDENTITY.has(k))) : v);
  walk(comparable(strip(parent)), comparable(strip(child)), '', out);
  return out;
}

/** Task group lists as maps by group id. */
function comparable(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) {
    if (key === 'tasks' && v.every((g) => isMap(g) && typeof g.id === 'string')) {
      return Object.fromEntries(v.map((g) => [g.id as string, comparable(g)]));
    }
    return v.map((x) => comparable(x));
  }
  if (!isMap(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x, k)]));
}

function walk(from: unknown, to: unknown, path: string, out: Difference[]): void {
  if (same(from, to)) return;
  if (isMap(from) && isMap(to)) {
    for (const [k, v] of Object.entries(from)) {
      const p = `${path}/${esc(k)}`;
      if (k in to) walk(v, to[k], p, out);
      else out.push({ path: p, kind: 'removed', from: v });
    }
    for (const [k, v] of Object.entries(to)) if (!(k in from)) out.push({ path: `${path}/${esc(k)}`, kind: 'added', to: v });
    return;
  }
  // Lists of objects of one length (transition candidates, deadline cases) compare item by item.
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length && from.every(isMap) && to.every(isMap)) {
    from.forEach((x, i) => walk(x, to[i], `${path}/${i}`, out));
    return;
  }
  out.push({ path: path || '/', kind: 'changed', from, to });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function esc(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

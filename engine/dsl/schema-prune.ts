// schema-prune.ts: a document with schema errors, the parts that failed taken out, so the semantic
// checks still run on the rest and `validate` reports every problem of a file in one pass (docs/dsl.md).
//
// Only keys of objects are removed, never items of a list (an item fails: its whole list goes), so
// every remaining node keeps its path and so its line and column. The root's identity keys get a
// stand-in; any other required key missing at the top leaves nothing sound to check.

import type { ErrorObject } from 'ajv';
import { toPathArray } from '../yaml/source.ts';

type Node = Record<string, unknown> | unknown[];

/** Stand-ins for top-level keys no semantic check reads. */
const ROOT_STAND_INS: Record<string, unknown> = { id: 'invalid', version: 1, title: '—' };

/** A copy of `doc` without what `errors` point at, or undefined when the top level itself is unsound. */
export function pruneInvalid(doc: unknown, errors: readonly ErrorObject[]): unknown {
  const out = structuredClone(doc) as Record<string, unknown>;
  for (const e of errors) {
    // A failed `if` is reported through its `then`; propertyNames' inner error through the outer one.
    if (e.keyword === 'if' || 'propertyName' in e) continue;
    const p = e.params as Record<string, unknown>;
    const path = toPathArray(e.instancePath);
    if (e.keyword === 'additionalProperties') path.push(String(p.additionalProperty));
    else if (e.keyword === 'propertyNames') path.push(String(p.propertyName));
    else if (e.keyword === 'required' && path.length === 0) {
      const key = String(p.missingProperty);
      if (!(key in ROOT_STAND_INS)) return undefined;
      out[key] = ROOT_STAND_INS[key];
      continue;
    }
    if (!removeAt(out, path)) return undefined;
  }
  return out;
}

/** Remove the object key at `path`, climbing past list items; false when that reaches the top level's own keys' parent. */
function removeAt(root: Record<string, unknown>, path: (string | number)[]): boolean {
  const parts = [...path];
  while (parts.length > 0) {
    const key = parts.pop()!;
    const parent = nodeAt(root, parts);
    if (parent === undefined) return true; // already removed with an ancestor
    if (Array.isArray(parent)) continue; // a list item: remove the list instead
    if (parts.length === 0 && key in ROOT_STAND_INS) parent[String(key)] = ROOT_STAND_INS[String(key)];
    else if (parts.length === 0 && !OPTIONAL_ROOT.has(String(key))) return false;
    else delete parent[String(key)];
    return true;
  }
  return false;
}

/** Top-level keys the checks can do without. */
const OPTIONAL_ROOT = new Set(['description', 'extends', 'owner', 'starters', 'viewers', 'title_from', 'number']);

function nodeAt(root: unknown, path: (string | number)[]): Node | undefined {
  let n: unknown = root;
  for (const k of path) {
    if (n === null || typeof n !== 'object') return undefined;
    n = (n as Record<string, unknown>)[String(k)];
  }
  return n !== null && typeof n === 'object' ? (n as Node) : undefined;
}

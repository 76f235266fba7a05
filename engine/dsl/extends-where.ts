// extends-where.ts: positions in an effective (merged) document: a part the district wrote points at the
// district's file, a part inherited from the city points at the city's file.

import { toPathArray, type Source } from '../yaml/source.ts';

type Seg = string | number;
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Walk {
  node: unknown;
  path: Seg[];
  ok: boolean;
}

/** The `at` of an effective document: walks it alongside the child and the parent to find who wrote each node. */
export function effectiveWhere(effective: unknown, child: Source, parent: Source): Source['at'] {
  return (at) => {
    let e: unknown = effective;
    const c: Walk = { node: child.value, path: [], ok: true };
    const p: Walk = { node: parent.value, path: [], ok: true };
    for (const seg of toPathArray(at)) {
      const elem = Array.isArray(e) && typeof seg === 'number' ? e[seg] : isMap(e) ? e[String(seg)] : undefined;
      // A node the child wrote as a whole (a list or a scalar) replaced the parent's: the parent has nothing below it.
      if (c.ok && c.node !== undefined && !isMap(c.node)) p.ok = false;
      step(c, childKey(c.node, seg, elem));
      if (p.ok) step(p, parentKey(p.node, seg, elem));
      e = elem;
    }
    if (c.ok) return child.at(c.path);
    if (p.ok) return parent.at(p.path);
    return p.path.length > c.path.length ? parent.at(p.path) : child.at(c.path);
  };
}

function step(w: Walk, key: Seg | undefined): void {
  if (!w.ok) return;
  if (key === undefined) {
    w.ok = false;
    return;
  }
  w.path.push(key);
  w.node = (w.node as Record<Seg, unknown>)[key];
}

/** A district's `tasks:` may be a map by group id where the effective document has a list. */
function childKey(node: unknown, seg: Seg, elem: unknown): Seg | undefined {
  if (Array.isArray(node)) return typeof seg === 'number' && seg < node.length ? seg : undefined;
  if (!isMap(node)) return undefined;
  if (typeof seg === 'number') {
    const id = isMap(elem) ? elem.id : undefined;
    return typeof id === 'string' && id in node ? id : undefined;
  }
  return seg in node ? seg : undefined;
}

/** Groups keep their id when others are removed or added, so list items are matched by id when they have one. */
function parentKey(node: unknown, seg: Seg, elem: unknown): Seg | undefined {
  if (Array.isArray(node)) {
    if (typeof seg !== 'number') return undefined;
    const id = isMap(elem) ? elem.id : undefined;
    if (typeof id === 'string') {
      const i = node.findIndex((x) => isMap(x) && x.id === id);
      return i >= 0 ? i : undefined;
    }
    return seg < node.length ? seg : undefined;
  }
  if (!isMap(node) || typeof seg === 'number') return undefined;
  return seg in node ? seg : undefined;
}

// final-tree.ts: the org tree as it will be once the file is applied (stored rows overlaid by the
// file's), for the checks: does a parent or an org exist, which district is an org in (before and
// after), and which rows form a cycle.

import type { ImportRecords, StoredDirectory, StoredOrg } from './types.ts';

/** The role a 服务代表 must hold (directory/roles.yaml). */
export const DEPUTY_ROLE_ID = 'deputy';

export interface FinalTree {
  has(id: string): boolean;
  get(id: string): Pick<StoredOrg, 'name' | 'kind' | 'parentId' | 'disabled'> | undefined;
  /** The district (kind district) an org lies in after the import; undefined for the city's own. */
  districtOf(id: string): string | undefined;
  /** The same in the stored tree, before the import. */
  storedDistrictOf(id: string): string | undefined;
  /** Each cycle among the file's orgs once, as the ids along it. */
  cycles(): string[][];
}

type Node = Pick<StoredOrg, 'name' | 'kind' | 'parentId' | 'disabled'>;

function districtIn(nodes: Map<string, Node>, id: string): string | undefined {
  const seen = new Set<string>();
  for (let at: string | null = id; at && !seen.has(at); at = nodes.get(at)?.parentId ?? null) {
    seen.add(at);
    if (nodes.get(at)?.kind === 'district') return at;
  }
  return undefined;
}

export function finalTree(records: ImportRecords, stored: StoredDirectory): FinalTree {
  const nodes = new Map<string, Node>(stored.orgs);
  const fromFile = new Set<string>();
  for (const o of records.orgs) {
    if (fromFile.has(o.id)) continue; // a duplicate row (reported by the check): the first counts
    fromFile.add(o.id);
    nodes.set(o.id, { name: o.name, kind: o.kind, parentId: o.parentId, disabled: o.disabled ?? stored.orgs.get(o.id)?.disabled ?? false });
  }
  return {
    has: (id) => nodes.has(id),
    get: (id) => nodes.get(id),
    districtOf: (id) => districtIn(nodes, id),
    storedDistrictOf: (id) => districtIn(stored.orgs, id),
    cycles() {
      // Walk up from each org; an org met again on the same walk closes a cycle. `done` makes it linear.
      const done = new Set<string>();
      const out: string[][] = [];
      for (const start of records.orgs.map((o) => o.id)) {
        const path: string[] = [];
        const onPath = new Map<string, number>();
        let at: string | null = start;
        while (at && !done.has(at) && !onPath.has(at) && nodes.has(at)) {
          onPath.set(at, path.length);
          path.push(at);
          at = nodes.get(at)!.parentId;
        }
        if (at && onPath.has(at) && path.length - onPath.get(at)! > 1) out.push(path.slice(onPath.get(at)!));
        for (const id of path) done.add(id);
      }
      return out;
    },
  };
}

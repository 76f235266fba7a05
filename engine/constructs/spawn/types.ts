// types.ts: a spawn as the runtime reads it (docs/spawn.md; docs/dsl.md, "Spawn").

/**
 * `spawn:` start child workflows on entry. Without `each` one child; with it one per item, whose
 * `data` expressions see `item`. `wait` (absent: none) makes the step's `done` wait for all of them
 * or the first to complete; `as` names the parent field that lists the children with the `results`
 * copied back (entry key -> child field). `as` defaults to the state name once any of each / wait /
 * results is given, and is absent in the one-child fire-and-forget form.
 */
export interface SpawnDef {
  workflow: string;
  data: Record<string, string>;
  each?: string;
  wait?: 'all' | 'any';
  results?: Record<string, string>;
  as?: string;
}

/** Keys of each entry of a spawn's `as` list, which `results` keys may not take. */
export const SPAWN_ENTRY_KEYS = ['index', 'instance', 'number', 'title', 'state', 'status'] as const;

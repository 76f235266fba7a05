// index.ts: the registry of DSL constructs (docs/constructs.md). One line per construct; generic code
// (dsl/schema.ts, normalise.ts, checks/, expr-sites.ts, runtime/) loops over CONSTRUCTS and names none of
// them. Only this file imports a construct's folder (test/engine/constructs/registry.test.ts).

import { ballot } from './ballot/index.ts';
import { deadline } from './deadline/index.ts';
import { group } from './group/index.ts';
import { spawn } from './spawn/index.ts';
import type { AnyConstruct, ConstructSite, DefOf, KeyOf, SiteOf } from './types.ts';

export const CONSTRUCTS = [deadline, ballot, group, spawn] as const;

export type * from './types.ts';
export type { DeadlineDef } from './deadline/index.ts';
export type { SpawnDef } from './spawn/index.ts';
export type { GroupStepFields } from './group/index.ts';
/** A group step's pure parts (the completion rule, counts as tally) for dsl/normalise.ts and runtime/group/. */
export * as groupCore from './group/index.ts';
export type { BallotStepDef } from './ballot/index.ts';
/** The ballot core (kinds, rules, tally, hash chain, receipts) for the runtime and the server's views. */
export * as ballotCore from './ballot/index.ts';

type Registered = (typeof CONSTRUCTS)[number];

/**
 * The definitions a state (S = 'state') or a task group (S = 'group') carries, one optional key per construct
 * written there: dsl/types.ts extends StateDef and TaskGroupDef with these, so `state.deadline` is a DeadlineDef.
 */
export type ConstructDefs<S extends ConstructSite> = {
  [C in Registered as S extends SiteOf<C> ? KeyOf<C> : never]?: DefOf<C>;
};

/** The constructs that may be written at a site (all of them without one), in registry order. */
export function constructsAt(site?: ConstructSite): readonly AnyConstruct[] {
  const all: readonly AnyConstruct[] = CONSTRUCTS;
  return site === undefined ? all : all.filter((c) => c.sites.includes(site));
}

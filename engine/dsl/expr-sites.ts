// expr-sites.ts: every CEL expression of a definition, where it sits and which variables it may use.

import type { WorkflowDef } from './types.ts';
import { deadlinesOf, groupsOf, transitionsOf } from './walk.ts';
import { groupExprSites } from '../constructs/group/index.ts';
import { ballotExprs } from '../constructs/ballot/step.ts';

/** Variables every expression sees at run time (docs/dsl.md, "Expressions"). */
export const EXPR_VARS = ['data', 'tally', 'visits', 'actor', 'event'] as const;

export interface ExprSite {
  source: string;
  /** JSON pointer of the YAML node holding the expression. */
  path: string;
  /** Top-level names it may use; `item` only inside a for_each group. */
  vars: ReadonlySet<string>;
}

const BASE: ReadonlySet<string> = new Set(EXPR_VARS);
/** A step's `rules:` also see who started the instance (a bill's proposer is no co-signer). */
const RULE_VARS: ReadonlySet<string> = new Set(['data', 'actor', 'initiator']);
const WITH_ITEM: ReadonlySet<string> = new Set([...EXPR_VARS, 'item']);

export function exprSites(wf: WorkflowDef): ExprSite[] {
  const out: ExprSite[] = [];
  const add = (source: string | undefined, path: string, vars = BASE): void => {
    if (source !== undefined) out.push({ source, path, vars });
  };
  const addMap = (map: Record<string, string> | undefined, path: string): void => {
    for (const [k, v] of Object.entries(map ?? {})) add(v, `${path}/${k}`);
  };
  add(wf.title_from, '/title_from');
  for (const s of Object.values(wf.states)) {
    const base = `/states/${s.name}`;
    addMap(s.set, `${base}/set`);
    add(s.copy?.users, `${base}/copy/users`);
    addMap(s.spawn?.data, `${base}/spawn/data`);
    if (s.ballot) for (const e of ballotExprs(s.ballot)) add(e.source, e.path, e.item ? WITH_ITEM : BASE);
  }
  for (const { t } of transitionsOf(wf)) {
    add(t.when, `${t.path}/when`);
    addMap(t.set, `${t.path}/set`);
  }
  for (const { group, path } of groupsOf(wf)) {
    const vars = group.for_each !== undefined ? WITH_ITEM : BASE;
    add(group.for_each, `${path}/for_each`);
    add(group.org, `${path}/org`, vars);
    if (group.assignee !== 'initiator') add(group.assignee, `${path}/assignee`, vars);
    group.rules.forEach((r, i) => add(r.check, `${path}/rules/${i}/check`, RULE_VARS));
    if (group.to && group.complete_expr) for (const e of groupExprSites(group.to, group.complete_expr, path)) add(e.source, e.path);
  }
  for (const { deadline, path } of deadlinesOf(wf)) {
    deadline.after.forEach((c, i) => add(c.when, `${path}/after/${i}/when`));
  }
  return out;
}

// expressions.ts: every CEL expression parses, uses only the variables its place offers, and the
// fields, groups and states it names exist. A name outside those (`this.constructor`) never runs.

import { compileExpr } from '../../expr/index.ts';
import { LvzError, isLvzError, type Where } from '../../errors.ts';
import { exprSites, type ExprSite } from '../expr-sites.ts';
import type { WorkflowDef } from '../types.ts';
import type { Check, CheckContext } from './types.ts';

export const expressions: Check = (wf, src, ctx) => {
  const known = knownNames(wf, ctx);
  return exprSites(wf).flatMap((site) => {
    const where = src.at(site.path);
    try {
      const expr = compileExpr(site.source, where);
      return expr.refs.flatMap((ref) => checkRef(ref, site, known)).map((e) => withPlace(e, where, site.path));
    } catch (e) {
      if (!isLvzError(e)) throw e;
      return [withPlace(e, where, site.path)];
    }
  });
};

interface Known {
  fields?: Set<string>;
  groups: Set<string>;
  states: Set<string>;
  form: string;
}

function knownNames(wf: WorkflowDef, ctx: CheckContext): Known {
  const record = ctx.forms.get(wf.record);
  const all = Object.values(wf.states).flatMap((s) => s.tasks);
  const groups = new Set(all.map((g) => g.id));
  // A for_each group's submitted items land in data.<group id>, so those are data too.
  const fanned = all.filter((g) => g.for_each !== undefined).map((g) => g.id);
  const fields = record ? new Set([...record.byName.keys(), ...fanned]) : undefined;
  return { fields, groups, states: new Set(Object.keys(wf.states)), form: wf.record };
}

function checkRef(ref: string, site: ExprSite, known: Known): LvzError[] {
  const [root, member] = ref.split('.') as [string, string | undefined];
  const where = `in "${site.source}"`;
  if (!site.vars.has(root)) {
    const vars = [...site.vars].join(', ');
    return [new LvzError('LVZ_EXPR_SYNTAX', `unknown name "${root}" ${where}: an expression here may use only ${vars}`, { params: { name: root } })];
  }
  if (member === undefined) return [];
  if (root === 'data' && known.fields && !known.fields.has(member)) {
    return [new LvzError('LVZ_DSL_UNKNOWN_FIELD', `data.${member} ${where}: form "${known.form}" has no field "${member}"; use one of ${[...known.fields].join(', ')}`, { params: { field: member } })];
  }
  if (root === 'tally' && !known.groups.has(member)) {
    return [new LvzError('LVZ_DSL_UNKNOWN_FIELD', `tally.${member} ${where}: there is no task group "${member}"; use one of ${[...known.groups].join(', ')}`, { params: { group: member } })];
  }
  if (root === 'visits' && !known.states.has(member)) {
    return [new LvzError('LVZ_DSL_UNKNOWN_STATE', `visits.${member} ${where}: there is no state "${member}"; use one of ${[...known.states].join(', ')}`, { params: { state: member } })];
  }
  return [];
}

function withPlace(e: LvzError, where: Where, path: string): LvzError {
  return new LvzError(e.code, e.message, { where, path, params: e.params, cause: e.cause });
}

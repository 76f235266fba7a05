// expressions.ts: every CEL expression parses, uses only the variables its place offers, and the
// fields, groups and states it names exist. A name outside those (`this.constructor`) never runs.

import { DIRECTORY_FUNCTIONS, compileExpr, totalCostError, type CompiledExpr } from '../../expr/index.ts';
import { LvzError, isLvzError, type Where } from '../../errors.ts';
import { exprSites, type ExprSite } from '../expr-sites.ts';
import { constructUsesOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { WorkflowDef } from '../types.ts';
import type { Check, CheckContext } from './types.ts';

export const expressions: Check = (wf, src, ctx) => {
  const known = knownNames(wf, ctx);
  const compiled: CompiledExpr[] = [];
  const errors = exprSites(wf).flatMap((site) => {
    const where = src.at(site.path);
    try {
      const expr = compileExpr(site.source, where);
      compiled.push(expr);
      return expr.refs.flatMap((ref) => checkRef(ref, site, known)).map((e) => withPlace(e, where, site.path));
    } catch (e) {
      if (!isLvzError(e)) throw e;
      return [withPlace(e, where, site.path)];
    }
  });
  const total = totalCostError(compiled, '本流程');
  return total ? [...errors, total] : errors;
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
  // What a construct writes into the record itself (a ballot's result, a spawn's children) is data too.
  const written = constructUsesOf(wf).flatMap((u) => u.construct.dataKeys?.(u.def as never) ?? []);
  const fields = record ? new Set([...record.byName.keys(), ...fanned, ...written]) : undefined;
  return { fields, groups, states: new Set(Object.keys(wf.states)), form: wf.record };
}

function checkRef(ref: string, site: ExprSite, known: Known): LvzError[] {
  const [root, member] = ref.split('.') as [string, string | undefined];
  const where = `表达式${q(site.source)}中`;
  if (!site.vars.has(root)) {
    const vars = list(site.vars);
    const fns = DIRECTORY_FUNCTIONS.map((f) => `${f}()`).join('、');
    return [new LvzError('LVZ_EXPR_SYNTAX', `${where}有未知的名称${q(root)}：此处的表达式只能使用 ${vars}，以及通讯录函数 ${fns}`, { params: { name: root } })];
  }
  if (member === undefined) return [];
  if (root === 'data' && known.fields && !known.fields.has(member)) {
    // A task group's answers (a group step's thousands) stay on its tasks; what is known of them is tally.<group>.
    const group = known.groups.has(member) ? `${q(member)}是任务组，它的答复记在任务上、不写入表单：要读答复情况请用 tally.${member}（total、open、done 及各选项的计数）；` : '';
    return [new LvzError('LVZ_DSL_UNKNOWN_FIELD', `${where}的 data.${member}：表单${q(known.form)}没有字段${q(member)}；${group}请改用以下字段之一：${list(known.fields)}`, { params: { field: member } })];
  }
  if (root === 'tally' && !known.groups.has(member)) {
    return [new LvzError('LVZ_DSL_UNKNOWN_FIELD', `${where}的 tally.${member}：没有 id 为${q(member)}的任务组；请改用以下之一：${list(known.groups)}`, { params: { group: member } })];
  }
  if (root === 'visits' && !known.states.has(member)) {
    return [new LvzError('LVZ_DSL_UNKNOWN_STATE', `${where}的 visits.${member}：没有名为${q(member)}的步骤；请改用以下之一：${list(known.states)}`, { params: { state: member } })];
  }
  return [];
}

function withPlace(e: LvzError, where: Where, path: string): LvzError {
  return new LvzError(e.code, e.message, { where, path, params: e.params, cause: e.cause });
}

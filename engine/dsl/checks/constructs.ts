// constructs.ts: each construct's own checks (engine/constructs/<name>/), run over every value written, and
// the one place their CheckContext is built (model-check.ts builds its findings' context here too).

import type { CheckContext as ConstructCheckContext, DataKeyUse } from '../../constructs/index.ts';
import { exprSites } from '../expr-sites.ts';
import type { WorkflowDef } from '../types.ts';
import { constructUsesOf, groupsOf } from '../walk.ts';
import type { Check, CheckContext } from './types.ts';
import type { Source } from '../../yaml/source.ts';

/**
 * What a construct's checks see of the workflow: its record form's fields (given the forms), its task groups'
 * ids, and every record key written besides the form's fields (constructs' dataKeys, for_each groups' answers).
 * `refsOf` gives what a compiled expression reads (model-check.ts passes the compiled workflow's); without it
 * `reads` is empty.
 */
export function constructCheckContext(
  wf: WorkflowDef, src: Source, ctx: Pick<CheckContext, 'forms'>, refsOf?: (source: string) => readonly string[] | undefined,
): ConstructCheckContext {
  const form = ctx.forms.get(wf.record);
  const dataKeys: DataKeyUse[] = [
    ...constructUsesOf(wf).flatMap(({ construct, def, state, site }) =>
      (construct.dataKeys?.(def) ?? []).map((key) => ({ key, by: construct.key, state: state.name, path: site.path }))),
    ...groupsOf(wf).filter(({ group }) => group.for_each !== undefined)
      .map(({ state, group, path }) => ({ key: group.id, by: 'group', state: state.name, path })),
  ];
  return {
    src,
    ...(form && { record: { form: form.def.id, fields: new Set(form.byName.keys()) } }),
    taskGroups: new Set(Object.values(wf.states).flatMap((s) => s.tasks.map((g) => g.id))),
    dataKeys,
    reads: refsOf ? exprSites(wf).map(({ source, path }) => ({ source, path, refs: refsOf(source) ?? [] })) : [],
  };
}

export const constructChecks: Check = (wf, src, ctx) => {
  const cx = constructCheckContext(wf, src, ctx);
  return constructUsesOf(wf).flatMap(({ construct, def, site }) => construct.checks?.(def, site, cx) ?? []);
};

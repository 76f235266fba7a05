// constructs.ts: each construct's own checks (engine/constructs/<name>/), run over every value written.

import type { CheckContext as ConstructCheckContext } from '../../constructs/index.ts';
import type { WorkflowDef } from '../types.ts';
import { constructUsesOf } from '../walk.ts';
import type { Check, CheckContext } from './types.ts';
import type { Source } from '../../yaml/source.ts';

/** What a construct's checks see of the workflow: its record form's fields (given the forms) and its task groups' ids. */
export function constructCheckContext(wf: WorkflowDef, src: Source, ctx: Pick<CheckContext, 'forms'>): ConstructCheckContext {
  const form = ctx.forms.get(wf.record);
  return {
    src,
    ...(form && { record: { form: form.def.id, fields: new Set(form.byName.keys()) } }),
    taskGroups: new Set(Object.values(wf.states).flatMap((s) => s.tasks.map((g) => g.id))),
  };
}

export const constructChecks: Check = (wf, src, ctx) => {
  const cx = constructCheckContext(wf, src, ctx);
  return constructUsesOf(wf).flatMap(({ construct, def, site }) => construct.checks?.(def, site, cx) ?? []);
};

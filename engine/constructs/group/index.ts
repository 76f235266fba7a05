// index.ts: the group construct (docs/group-steps.md): a step that asks every member of a directory
// selector or a list, one task each, counted as they answer (会签, 或签, 票签 over thousands). Its rows
// (the members' tasks, the counts, closing) are its runtime half's (run/index.ts).

import type { Construct } from '../types.ts';
import { checkGroupStep, groupReadAsData, groupRoles } from './checks.ts';
import { groupExprSites } from './expr-sites.ts';
import { normaliseGroupStep } from './normalise.ts';
import { groupEntered } from './runtime.ts';
import { groupSchema } from './schema.ts';
import type { GroupStepFields } from './types.ts';

export type { GroupStepFields } from './types.ts';
export { GROUP_ACTIONS, MAX_OUTCOMES } from './types.ts';
export { completeExpr, tallyOf } from './complete-when.ts';
export { groupTaskRaw } from './normalise.ts';

export const group: Construct<'group', GroupStepFields, 'state'> = {
  key: 'group',
  sites: ['state'],
  stateSchema: groupSchema,
  normalise: normaliseGroupStep,
  checks: (_d, site, ctx) => checkGroupStep(site.state.name, ctx.src),
  roles: groupRoles,
  modelChecks: groupReadAsData,
  selectors: (d, { state, path }) => [{ selector: d.to, path: `${path}/to`, what: `步骤“${state.name}”的 to: ` }],
  exprSites: (d, path) => groupExprSites(d.to, d.complete_expr, path),
  entered: (d, _site, ports) => groupEntered(d, ports),
};

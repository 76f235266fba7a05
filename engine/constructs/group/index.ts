// index.ts: the group construct (docs/group-steps.md): a step that asks every member of a directory
// selector or a list, one task each, counted as they answer. Its runtime lives in engine/runtime/group/.

export type { GroupStepFields } from './types.ts';
export { GROUP_ACTIONS, MAX_OUTCOMES } from './types.ts';
export { completeExpr, tallyOf } from './complete-when.ts';
export { groupSchema } from './schema.ts';
export { groupStepFields, groupTaskRaw } from './normalise.ts';
export { checkGroupSteps } from './checks.ts';
export { groupExprSites } from './expr-sites.ts';

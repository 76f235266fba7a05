// index.ts: the deadline construct (docs/constructs.md, the worked example): `deadline:` under a state
// (the whole step) or a task group (that group alone).

import type { Construct } from '../types.ts';
import { deadlineHandler } from './checks.ts';
import { normaliseDeadline } from './normalise.ts';
import { deadlineSchema } from './schema.ts';
import type { DeadlineDef } from './types.ts';

export type { DeadlineDef } from './types.ts';

export const deadline: Construct<'deadline', DeadlineDef, 'state' | 'group'> = {
  key: 'deadline',
  sites: ['state', 'group'],
  stateSchema: (k) => deadlineSchema(k, 'Deadline of the whole step'),
  groupSchema: (k) => deadlineSchema(k, 'A deadline for this task group alone'),
  normalise: normaliseDeadline,
  checks: (d, site, ctx) => deadlineHandler(d, site, ctx),
  exprSites: (d, path) => d.after.flatMap((c, i) => (c.when !== undefined ? [{ source: c.when, path: `${path}/after/${i}/when` }] : [])),
  systemEvents: (d) => (d.escalate !== undefined ? [d.escalate] : []),
};

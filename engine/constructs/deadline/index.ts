// index.ts: the deadline construct (docs/constructs.md, the worked example): `deadline:` under a state
// (the whole step) or a task group (that group alone).

import type { Construct } from '../types.ts';
import { deadlineChecks, deadlineUnnoticed } from './checks.ts';
import { normaliseDeadline } from './normalise.ts';
import { deadlineEntered, deadlineFired } from './runtime.ts';
import { deadlineSchema } from './schema.ts';
import type { DeadlineDef } from './types.ts';

export type { DeadlineDef } from './types.ts';

export const deadline: Construct<'deadline', DeadlineDef, 'state' | 'group'> = {
  key: 'deadline',
  sites: ['state', 'group'],
  stateSchema: (k) => deadlineSchema(k, 'Deadline of the whole step'),
  groupSchema: (k) => deadlineSchema(k, 'A deadline for this task group alone'),
  normalise: normaliseDeadline,
  checks: deadlineChecks,
  modelChecks: deadlineUnnoticed,
  exprSites: (d, path) => d.after.flatMap((c, i) => (c.when !== undefined ? [{ source: c.when, path: `${path}/after/${i}/when` }] : [])),
  systemEvents: (d) => (d.escalate !== undefined ? [d.escalate] : []),
  // Plain words, not a clock glyph: a glyph needs a font the reader may not have.
  diagramLine: (d, k) => `限时 ${d.after.map((c) => k.durationText(c.duration)).join(' / ')}`,
  entered: (d, _site, ports) => deadlineEntered(d, ports),
  timerKinds: ['deadline', 'remind'],
  timerFired: deadlineFired,
};

// index.ts: the spawn construct (docs/spawn.md): `spawn:` under a state starts one child workflow, or
// one per item of `each:`, maybe waiting for them. Its runtime (starting the children, the wait, the
// report-back) writes rows: its runtime half, run/.

import type { Construct } from '../types.ts';
import { spawnChecks, spawnCrossChecks } from './checks.ts';
import { normaliseSpawn } from './normalise.ts';
import { spawnSchema } from './schema.ts';
import type { SpawnDef } from './types.ts';

export type { SpawnDef } from './types.ts';

/**
 * The variables every expression sees, and for a child's data under `each:` its `item` and that item's
 * `index` (0-based), which reads the same row of a list made from the same one (`data.evaluation[index]`).
 */
const WITH_ITEM = ['data', 'tally', 'visits', 'actor', 'event', 'item', 'index'] as const;

export const spawn: Construct<'spawn', SpawnDef, 'state'> = {
  key: 'spawn',
  sites: ['state'],
  stateSchema: spawnSchema,
  normalise: normaliseSpawn,
  checks: spawnChecks,
  crossChecks: spawnCrossChecks,
  waits: (d) => d.wait !== undefined,
  dataKeys: (d) => (d.as !== undefined ? [d.as] : []),
  exprSites: (d, path) => [
    ...(d.each !== undefined ? [{ source: d.each, path: `${path}/each` }] : []),
    ...Object.entries(d.data).map(([field, source]) => ({ source, path: `${path}/data/${field}`, ...(d.each !== undefined && { vars: WITH_ITEM }) })),
  ],
  // One line under the box (the box holds ~14 CJK characters): 子流程 unit-reply 逐项 等全部. No ×: the
  // diagram's text keeps to CJK, ASCII and CJK punctuation, which every font a phone has can show.
  diagramLine: (d) => `子流程 ${d.workflow}${d.each !== undefined ? ' 逐项' : ''}${d.wait === 'all' ? ' 等全部' : d.wait === 'any' ? ' 等任一' : ''}`,
};

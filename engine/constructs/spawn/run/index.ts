// index.ts: the spawn construct's runtime half (docs/spawn.md; docs/constructs.md, "Runtime halves"):
// children started on entry, the wait (`ready`), a child's report written when it ends and taken by its
// parent as a `report` timer, and the instance page's list of children.

import type { SpawnDef } from '../../../dsl/types.ts';
import { insertTimers } from '../../../store/process/index.ts';
import type { ConstructRun } from '../../../runtime/construct-run.ts';
import { isEnded, noteReportWritten, reportTimer } from './children.ts';
import { takeReport } from './report.ts';
import { isWaitOverNow, startChildren } from './start.ts';

export { MAX_SPAWN, isListed, spawnedSteps, spawnItems, wakingOnReports } from './children.ts';

export const spawnRun: ConstructRun<SpawnDef> = {
  key: 'spawn',
  entered: (spec, w, s, _at, moves) => startChildren(spec, w, s, moves),
  ready: (spec, w, s) => isWaitOverNow(spec, w, s),
  timerKinds: ['report'],
  timerFired: takeReport,
  // A spawned child that ends reports to its parent in its own transaction (a timer row), so the
  // report is never lost to a crash; the parent takes it in its own (report.ts).
  statusChanged: async (w, from, to) => {
    if (!w.inst.spawnedBy || !w.inst.parentId || !isEnded(to) || isEnded(from)) return;
    await insertTimers(w.tx, [reportTimer(w.inst, to, w.now)]);
    noteReportWritten();
  },
};

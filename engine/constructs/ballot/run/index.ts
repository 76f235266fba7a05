// index.ts: the ballot construct's runtime half (docs/ballots.md; docs/constructs.md, "Runtime halves"):
// the sitting made on entry and dropped on leaving when never opened, the frozen rules (an open ballot
// refuses to be left, moved, migrated or published over), the close by `closes.after`, and the Engine's
// ballot operations (ballot-types.ts) wired from this folder's modules.

import type { BallotOps } from '../../../runtime/ballot-types.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import type { ConstructRun, Moves } from '../../../runtime/construct-run.ts';
import { enterInput, isStepLeft } from '../../../runtime/working.ts';
import { truncateWal } from '../../../store/process/index.ts';
import type { BallotStepDef } from '../index.ts';
import { createBallots, ensureNoBallotOfWorkflow, ensureNoOpenBallot, leaveBallots } from './enter.ts';
import { castBallot } from './cast.ts';
import { closeBallot, closeByDeadline } from './close.ts';
import { openBallot, signIn } from './sitting.ts';
import { screenCounts, screenLink, screenView, setScreenLink } from './screen.ts';
import { verifyBallots } from './verify.ts';
import { ballotCounts, ballotView, ballotsFor, ballotsOf, checkReceipt } from './views.ts';

export { secretWarnings } from './envelope.ts';
export { verifyBallots } from './verify.ts';

export function buildBallotOps(rc: RuntimeContext, moves: Moves): BallotOps {
  return {
    ballotsOf: (actor, instanceId) => ballotsOf(rc, actor, instanceId),
    ballotsFor: (actor) => ballotsFor(rc, actor),
    ballotView: (actor, id) => ballotView(rc, actor, id),
    ballotCounts: (actor, id) => ballotCounts(rc, actor, id),
    signIn: (actor, id, userIds, opts) => signIn(rc, actor, id, userIds, opts),
    openBallot: (actor, id) => openBallot(rc, actor, id),
    castBallot: (actor, id, choice) => castBallot(rc, actor, id, choice),
    closeBallot: (actor, id, reason) => closeBallot(rc, actor, id, reason, moves),
    checkReceipt: (actor, id, code) => checkReceipt(rc, actor, id, code),
    screenLink: (actor, id) => screenLink(rc, actor, id),
    setScreenLink: (actor, id, on) => setScreenLink(rc, actor, id, on),
    screenView: (id, token) => screenView(rc, id, token),
    screenCounts: (id, token) => screenCounts(rc, id, token),
    verifyBallots: (opts) => verifyBallots(rc.reads, opts),
  };
}

export const ballotRun: ConstructRun<BallotStepDef> = {
  key: 'ballot',
  // Only where the instance rests: a state an `always` passes through holds no sitting.
  entered: async (_d, w, s, { resting, event }) => {
    if (!resting) return;
    await createBallots(enterInput(w, event), s);
  },
  // An open ballot refuses (its rules are frozen); one never opened goes with its step.
  left: (_d, at) => leaveBallots(at.tx, at.instanceId, at.state),
  refuseChange: (tx, scope, what) => 'workflowId' in scope ? ensureNoBallotOfWorkflow(tx, scope.workflowId) : ensureNoOpenBallot(tx, scope.instanceIds, what),
  timerKinds: ['ballot_close'],
  // `closes.after`: the sitting closes, still open, at a step not since left.
  timerFired: async (t, { rc, tx, inst }, moves) => {
    if (!inst || isStepLeft(inst, t)) return;
    await closeByDeadline(rc, tx, inst, String(t.payload.set), moves);
  },
  // As a chair's close does: the deleted envelopes and salt leave the WAL.
  afterTimer: (rc) => truncateWal(rc.db).catch(() => undefined),
};

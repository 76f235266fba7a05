// index.ts: the Engine's ballot operations (ballot-types.ts), wired from this folder's modules.

import type { BallotOps } from '../ballot-types.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { castBallot } from './cast.ts';
import { closeBallot } from './close.ts';
import { openBallot, signIn } from './sitting.ts';
import { screenCounts, screenLink, screenView, setScreenLink } from './screen.ts';
import { verifyBallots } from './verify.ts';
import { ballotCounts, ballotView, ballotsFor, ballotsOf, checkReceipt } from './views.ts';

export function buildBallotOps(rc: RuntimeContext): BallotOps {
  return {
    ballotsOf: (actor, instanceId) => ballotsOf(rc, actor, instanceId),
    ballotsFor: (actor) => ballotsFor(rc, actor),
    ballotView: (actor, id) => ballotView(rc, actor, id),
    ballotCounts: (actor, id) => ballotCounts(rc, actor, id),
    signIn: (actor, id, userIds, opts) => signIn(rc, actor, id, userIds, opts),
    openBallot: (actor, id) => openBallot(rc, actor, id),
    castBallot: (actor, id, choice) => castBallot(rc, actor, id, choice),
    closeBallot: (actor, id, reason) => closeBallot(rc, actor, id, reason),
    checkReceipt: (actor, id, code) => checkReceipt(rc, actor, id, code),
    screenLink: (actor, id) => screenLink(rc, actor, id),
    setScreenLink: (actor, id, on) => setScreenLink(rc, actor, id, on),
    screenView: (id, token) => screenView(rc, id, token),
    screenCounts: (id, token) => screenCounts(rc, id, token),
    verifyBallots: (opts) => verifyBallots(rc.reads, opts),
  };
}

// index.ts: the ballot construct (docs/ballots.md), registered in ../index.ts: `ballot:` under a state, and
// its pure core (kinds, rules, tally, hash chain, receipts), which callers outside this folder reach as
// `ballotCore` through the registry. Its runtime (sittings, casts, envelopes, close) is its runtime half run/,
// above the store it writes to.

export type * from './types.ts';
export { FOR_AGAINST } from './types.ts';
export { isPassed, isQuorumMet, shareOf } from './rules.ts';
export { validateBallot } from './validate-ballot.ts';
export { validateCast } from './validate-cast.ts';
export { tally } from './tally.ts';
export { castDigest, chainCasts, genesisDigest, orderForChain, sealOf, verifyChain } from './chain.ts';
export { findReceipt, normalizeReceiptCode, receiptCode, receiptDigest } from './receipt.ts';
export { coreBallot, type BallotStepDef, type ElectorateSelector } from './step.ts';

import type { Selector } from '../../model/selector.ts';
import type { Construct } from '../types.ts';
import { ballotExprs, ballotRoles, ballotSchema, checkBallotStep, normaliseBallot, type BallotStepDef } from './step.ts';

export const ballot: Construct<'ballot', BallotStepDef, 'state'> = {
  key: 'ballot',
  sites: ['state'],
  stateSchema: ballotSchema,
  normalise: normaliseBallot,
  checks: checkBallotStep,
  roles: ballotRoles,
  // An electorate is a selector without orgs (a ballot is cast by a person): the same names, the same directory.
  selectors: (b, { path }) => [{ selector: b.electorate as Selector, path: `${path}/electorate`, what: `表决“${b.id}”的 electorate: ` }],
  exprSites: ballotExprs,
  // The result lands in data.<id> at close (run/close.ts): a guard may read data.<id>.passed.
  dataKeys: (b) => [b.id],
  // Closing the sitting (the chair, or closes.after) sends it: no button, and the step is not stuck.
  systemEvents: () => ['closed'],
  eventLabel: (_b, event) => (event === 'closed' ? '表决结束' : undefined),
  diagramLine: (b) => `表决（${b.secret ? '无记名' : '记名'}${b.items ? '，逐项' : ''}）`,
};

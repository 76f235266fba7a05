// index.ts: the ballot construct's pure core (docs/ballots.md). The registry line and the runtime
// effects come with the DSL and runtime parts of issue 15; today callers import from here.

export type * from './types.ts';
export { FOR_AGAINST } from './types.ts';
export { isPassed, isQuorumMet, shareOf } from './rules.ts';
export { validateBallot } from './validate-ballot.ts';
export { validateCast } from './validate-cast.ts';
export { tally } from './tally.ts';
export { castDigest, chainCasts, genesisDigest, orderForChain, sealOf, verifyChain } from './chain.ts';
export { findReceipt, normalizeReceiptCode, receiptCode, receiptDigest } from './receipt.ts';

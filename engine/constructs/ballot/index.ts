// index.ts: the ballot construct's pure core (docs/ballots.md), registered in ../index.ts. The DSL hooks and the runtime
// effects come with the DSL and runtime parts of issue 15; callers outside this folder reach it through the registry.

export type * from './types.ts';
export { FOR_AGAINST } from './types.ts';
export { isPassed, isQuorumMet, shareOf } from './rules.ts';
export { validateBallot } from './validate-ballot.ts';
export { validateCast } from './validate-cast.ts';
export { tally } from './tally.ts';
export { castDigest, chainCasts, genesisDigest, orderForChain, sealOf, verifyChain } from './chain.ts';
export { findReceipt, normalizeReceiptCode, receiptCode, receiptDigest } from './receipt.ts';

import type { Construct } from '../types.ts';

/** The registry entry: no YAML key is read yet (the DSL hooks of `ballot:` come with issue 15's ballot part). */
export const ballot: Construct<'ballot', never, never> = { key: 'ballot', sites: [] };

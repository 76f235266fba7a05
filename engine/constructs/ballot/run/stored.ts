// stored.ts: what a ballot row's `definition` holds, and reading it back.
//
// At entry the core ballot carries the electorate's size; at opening the row's copy is frozen and
// the chain's genesis is genesisDigest(ballot). Nothing of the YAML is read again after that, so a
// new version of the workflow cannot change an open or closed ballot.

import type { DurationSpec } from '../../../model/duration.ts';
import type { BallotRow } from '../../../store/process/index.ts';
import type * as ballotCore from '../index.ts';
type Ballot = ballotCore.Ballot;

export interface StoredBallot {
  ballot: Ballot;
  /** The ballot page's heading: the YAML's title, else the step's. */
  title: string;
  stepTitle: string;
  results: 'at_close' | 'live';
  chair: string[];
  closesAfter?: DurationSpec;
}

export const storedOf = (row: BallotRow): StoredBallot => row.definition as StoredBallot;

/** The 校验码 printed on the result sheet: the head's first 16 hex digits, in groups of four. */
export const sealCode = (head: string): string => head.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-');

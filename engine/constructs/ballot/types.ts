// types.ts: what a ballot is, what a cast is, and what tallying and verifying return.
//
// The keys keep the YAML's names (pass_options, up_to), so a path in an error is a path in the file.

/** 赞成 / 反对 / 弃权; a rating scale from YAML; a number in a range; choose N of M options. */
export type BallotKind = 'for_against' | 'rating' | 'score' | 'choose';

/**
 * Who must be present for the vote to count: 全体组成人员过半数出席 (`majority_of_members`),
 * 三分之二以上出席 (`two_thirds_of_members`), or no rule (`none`).
 */
export type QuorumRule = 'majority_of_members' | 'two_thirds_of_members' | 'none';

/**
 * How many yes votes pass it: 全体组成人员的过半数 (`majority_of_members`), 实际到会人数的过半数
 * (`majority_of_present`), 全体组成人员的三分之二以上 (`two_thirds_of_members`), 实际到会人数的
 * 三分之二以上 (`two_thirds_of_present`), or no pass rule (`none`: counts only, e.g. a score).
 * 过半数 is strictly more than half; 以上 includes the number itself (三分之二以上 of 33 is 22).
 */
export type PassRule = 'majority_of_members' | 'majority_of_present' | 'two_thirds_of_members' | 'two_thirds_of_present' | 'none';

interface BallotBase {
  /** The ballot's own id; it seeds the chain's genesis, so a cast of one ballot never verifies in another. */
  id: string;
  /** Secret: no voter is stored with a cast. Named: every cast carries its voter. */
  secret: boolean;
  /** Size of the electorate (全体组成人员), fixed when the ballot opens. */
  members: number;
  quorum: QuorumRule;
  pass: PassRule;
}

/** The three choices of a for/against ballot; the page shows 赞成 / 反对 / 弃权. */
export const FOR_AGAINST = ['for', 'against', 'abstain'] as const;
export type ForAgainstChoice = (typeof FOR_AGAINST)[number];

export interface ForAgainstBallot extends BallotBase { kind: 'for_against' }

export interface RatingBallot extends BallotBase {
  kind: 'rating';
  /** The scale, best first, as written in YAML: [满意, 基本满意, 不满意] or [好, 较好, 差]. */
  scale: string[];
  /** The values that count as yes for the pass rule ([满意, 基本满意]); required unless pass is none. */
  pass_options?: string[];
}

export interface ScoreBallot extends BallotBase {
  kind: 'score';
  min: number;
  max: number;
  /** A valid score is min + k·step; at most 3 decimals. */
  step: number;
}

export interface ChooseBallot extends BallotBase {
  kind: 'choose';
  options: string[];
  /** Choose at most `up_to` (a blank cast is allowed), or exactly `exactly`, of the options. */
  choose: { up_to: number } | { exactly: number };
  /** How many are chosen in the end (the N most chosen); defaults to up_to / exactly. */
  elect?: number;
}

export type Ballot = ForAgainstBallot | RatingBallot | ScoreBallot | ChooseBallot;

/** What one voter chose: a for/against id, a scale value, a number, or a list of options. */
export type Choice = string | number | string[];

/** One cast as chained: the choice, the digest of the voter's receipt code, and the voter on a named ballot only. */
export interface Cast {
  choice: Choice;
  /** receiptDigest(code) of the code the voter was given; the code itself is never stored. */
  receipt: string;
  /** The voter's user id, on a named ballot; absent on a secret one. */
  voter?: string;
}

/** A cast as stored: the digest of the row before it (or the genesis) and its own digest. */
export interface CastRow extends Cast {
  prev: string;
  digest: string;
}

/** A share of members present: tenths of a percent, rounded half-up, and its text ("12.1%"). */
export interface Share { permille: number; text: string }

export interface OptionCount { option: string; count: number; share: Share | null }

export interface TallyBase {
  members: number;
  present: number;
  /** Casts counted; present members who did not vote are present - cast. */
  cast: number;
  quorum_met: boolean;
  /** null when the pass rule is none; false whenever the quorum is not met. */
  passed: boolean | null;
}

export interface CountTally extends TallyBase {
  kind: 'for_against' | 'rating';
  counts: OptionCount[];
  /** The yes votes the pass rule weighed: 赞成, or the pass_options of a rating. */
  yes: number;
}

export interface ScoreTally extends TallyBase {
  kind: 'score';
  /** Sum and average of the scores, exact: average has two decimals, half-up ("87.33"); null with no cast. */
  sum: string;
  average: string | null;
  lowest: number | null;
  highest: number | null;
}

export interface ChooseTally extends TallyBase {
  kind: 'choose';
  /** Every option, most chosen first (ties in the YAML's order), each with its count and share. */
  counts: OptionCount[];
  /** Options surely among the N most chosen (and passing the pass rule, if any). */
  chosen: string[];
  /** Options tied for the last seats (a runoff decides); `seats` of them can still be chosen. */
  tied: { options: string[]; seats: number } | null;
  blank: number;
}

export type Tally = CountTally | ScoreTally | ChooseTally;

/** What the chair publishes at close and `verify` holds the chain to: the count, the last digest, the counts. */
export interface Seal {
  count: number;
  head: string;
  present: number;
  /** Per option (for a score ballot: `sum`), as published. */
  counts: Record<string, number | string>;
}

export type ChainProblemKind =
  | 'edited'     // the row's content does not give its stored digest
  | 'removed'    // the row does not follow the one before: a row was removed, or the one before rewritten and rehashed
  | 'inserted'   // the row after this one links past it: this row was put in
  | 'reordered'  // the row links to a row that comes later
  | 'duplicate'  // a receipt digest appears twice, or a named ballot's voter
  | 'invalid'    // a choice the ballot does not allow, or a voter on a secret ballot (none on a named one)
  | 'seal'       // fewer or more rows than sealed, or the last digest is not the sealed head
  | 'tally';     // the recomputed counts differ from the sealed ones

export interface ChainProblem {
  kind: ChainProblemKind;
  /** 1-based position of the row named (0 for the chain as a whole). */
  row: number;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** The first problem found, in row order. */
  problem: ChainProblem | null;
  head: string;
  /** The tally of the rows as stored (null when a row's choice is invalid). */
  tally: Tally | null;
}

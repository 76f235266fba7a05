// ballot-types.ts: the ballot (表决) operations of the Engine and what they return (docs/ballots.md).
// types.ts re-exports them, so the server still finds the whole contract there.
//
// A `ballot:` step makes one ballot when it is entered, or one per item of its `items:` list (a
// meeting's roster of appointees): the ballots of one step entry form a *sitting* (setId) that shares
// one electorate, one attendance (签到), one opening and one closing. Attendance, opening and closing
// name any ballot of the sitting and act on all of them; a cast names one ballot.

import type { Actor } from '../model/actor.ts';
import type { ballotCore } from '../constructs/index.ts';
export type BallotKind = ballotCore.BallotKind;
export type PassRule = ballotCore.PassRule;
export type QuorumRule = ballotCore.QuorumRule;
export type Seal = ballotCore.Seal;
export type Tally = ballotCore.Tally;
export type BallotChoice = ballotCore.Choice;
export type OptionCount = ballotCore.OptionCount;
export type Share = ballotCore.Share;
export type CountTally = ballotCore.CountTally;
export type ScoreTally = ballotCore.ScoreTally;
export type ChooseTally = ballotCore.ChooseTally;


/** draft: the electorate is fixed and 签到 is under way; open: members vote; closed: counted and sealed. */
export type BallotStatus = 'draft' | 'open' | 'closed';

/** One ballot as a list shows it. */
export interface BallotSummary {
  ballotId: string;
  /** The sitting: every ballot made by one entry of one `ballot:` step (one per item). */
  setId: string;
  instanceId: string;
  /** The instance's title, and the step's title (the state's title in the YAML). */
  instanceTitle: string;
  stepTitle: string;
  /** The `id:` under `ballot:` in the YAML. */
  key: string;
  /** One ballot per item: the item's title (`item_title:`) and its 1-based place in the list. */
  itemTitle?: string;
  itemIndex?: number;
  kind: BallotKind;
  /** true: 无记名 (no voter stored with a choice); false: 记名表决. */
  secret: boolean;
  status: BallotStatus;
  /** 应到: the electorate's size, fixed when the step was entered. */
  members: number;
  /** 实到: members signed in (frozen at opening). */
  present: number;
  /** How many have voted (never who chose what). */
  castCount: number;
  openedAt?: string;
  closedAt?: string;
  /** When the deadline (`closes: { after }`) closes it, once open. */
  closesAt?: string;
}

/** A choice as the ballot page offers it: the value to post and its zh-CN label. */
export interface BallotChoiceOption { value: string; label: string }

/** What the ballot asks, for the page: the choices, or the score range. */
export type BallotQuestion =
  | { kind: 'for_against' | 'rating'; options: BallotChoiceOption[] }
  | { kind: 'score'; min: number; max: number; step: number }
  | { kind: 'choose'; options: BallotChoiceOption[]; upTo?: number; exactly?: number; elect: number };

/** Where the actor stands in this ballot. */
export interface BallotStanding {
  /** In the electorate (应到). */
  isMember: boolean;
  /** Signed in (签到) as present. */
  isPresent: boolean;
  hasVoted: boolean;
  /** Open, a member, present and not yet voted. */
  mayVote: boolean;
  /** Holds one of the `chair:` roles: records attendance, opens, closes. */
  mayChair: boolean;
}

/** One member of the electorate, for the chair's 签到 list (never with a choice on a secret ballot). */
export interface BallotMember {
  userId: string;
  name: string;
  org?: string;
  present: boolean;
}

/** A named ballot's (记名表决) record of one voter: shown when closed, or live with `results: live`. */
export interface NamedCast {
  userId: string;
  name: string;
  /** The value cast (for_against: for / against / abstain; a choose list joined by the page). */
  choice: string | number | string[];
}

export interface BallotView extends BallotSummary {
  question: BallotQuestion;
  quorum: QuorumRule;
  pass: PassRule;
  /** at_close: nothing counted is shown before closing; live: named ballots only, counts as they come. */
  results: 'at_close' | 'live';
  /** The quorum is met by the attendance as it stands (draft) or as frozen (open, closed). */
  quorumMet: boolean;
  you: BallotStanding;
  /** The 签到 list, for those who may chair; absent otherwise. */
  electorate?: BallotMember[];
  /** The count: when closed, or while open on a named ballot with `results: live`. */
  tally?: Tally;
  /** The seal once closed, and its 校验码 (the head's first 16 hex digits) for the result sheet. */
  seal?: Seal & { code: string };
  /** Named ballots, when `tally` is shown: each voter's choice, by name. */
  casts?: NamedCast[];
  /** Why it was closed early, as the chair gave it; `deadline` when the deadline closed it. */
  closeReason?: string;
  closedBy?: 'chair' | 'deadline';
}

/** What a live view (投屏) polls: cheap, one row. `tally` only where `BallotView.tally` would be shown. */
export interface BallotCounts {
  ballotId: string;
  status: BallotStatus;
  members: number;
  present: number;
  castCount: number;
  quorumMet: boolean;
  tally?: Tally;
}

/** Answer to 核对我的投票: counted or not, where in the chain, never the choice. */
export interface ReceiptCheck {
  found: boolean;
  /** 1-based row in the sealed chain; the row's digest. */
  position?: number;
  digest?: string;
  /** Rows in the chain, and the seal's 校验码. */
  count: number;
  code: string;
}

/** `npx lvzhi verify`: every closed ballot's chain and tally recomputed against its stored seal. */
export interface BallotVerifyReport {
  checked: number;
  failures: { ballotId: string; title: string; row: number; kind: string; message: string }[];
  /** With `seal`: the ballots whose head is that digest (or starts with that 校验码); empty = no match. */
  sealMatches?: string[];
}

/** The ballot operations of the Engine (see Engine in types.ts). Each authorises the actor itself. */
export interface BallotOps {
  /** The ballots of an instance, for whoever may see it or is in its electorate or chairs it. */
  ballotsOf(actor: Actor, instanceId: string): Promise<BallotSummary[]>;
  /** Draft and open ballots the actor may vote in or chair, newest first (a member's 表决 list). */
  ballotsFor(actor: Actor): Promise<BallotSummary[]>;
  /** LVZ_RUN_NOT_FOUND for an unknown (or forged) id, or one the actor may not see. */
  ballotView(actor: Actor, ballotId: string): Promise<BallotView>;
  /** The live view's poll: counts (and the tally where allowed); same access as ballotView. */
  ballotCounts(actor: Actor, ballotId: string): Promise<BallotCounts>;
  /**
   * 签到 for the whole sitting, before it opens: a chair signs in anyone of the electorate; a member
   * may sign in only themselves. `present: false` undoes it. LVZ_BALLOT_NOT_CHAIR,
   * LVZ_BALLOT_NOT_ELIGIBLE (someone outside the electorate), LVZ_BALLOT_NOT_OPEN (already opened).
   */
  signIn(actor: Actor, ballotId: string, userIds: string[], opts?: { present?: boolean }): Promise<{ present: number }>;
  /**
   * Opens the sitting (chair only): the definition, 应到 and 实到 are frozen into each ballot's row
   * and the chain's genesis is their digest. LVZ_BALLOT_NO_QUORUM when the attendance does not meet the quorum.
   */
  openBallot(actor: Actor, ballotId: string): Promise<void>;
  /**
   * One member's vote. `choice`: for_against `for|against|abstain`; rating a scale value; score a
   * number (or its text); choose a list of options. A secret ballot returns the receipt code, shown
   * once and stored nowhere; a named one returns none. LVZ_BALLOT_NOT_OPEN, LVZ_BALLOT_NOT_ELIGIBLE,
   * LVZ_BALLOT_NOT_PRESENT, LVZ_BALLOT_ALREADY_VOTED (also a replayed request), LVZ_BALLOT_BAD_CHOICE.
   */
  castBallot(actor: Actor, ballotId: string, choice: unknown): Promise<{ receipt?: string }>;
  /**
   * Closes the sitting (chair only): decrypts, orders, chains and seals each ballot, then sends the
   * instance's machine `closed`. LVZ_BALLOT_NOT_OPEN when it is not open; LVZ_BALLOT_TAMPERED when a
   * stored envelope fails to decrypt or the count differs (nothing closed).
   */
  closeBallot(actor: Actor, ballotId: string, reason?: string): Promise<{ seals: { ballotId: string; seal: Seal }[] }>;
  /** 核对我的投票 (anyone who may see the ballot): the code's row after close. LVZ_BALLOT_BAD_RECEIPT for text that is no code; LVZ_BALLOT_NOT_OPEN before close. */
  checkReceipt(actor: Actor, ballotId: string, code: string): Promise<ReceiptCheck>;
  /** The sitting's 投屏 link token (chair only), when it is on. LVZ_BALLOT_NOT_CHAIR. */
  screenLink(actor: Actor, ballotId: string): Promise<string | undefined>;
  /** On: a new token for the sitting's 投屏 link, ending every earlier one; off: none. Chair only, in the history. */
  setScreenLink(actor: Actor, ballotId: string, on: boolean): Promise<string | undefined>;
  /**
   * The sitting as its 投屏 link shows it, without login: what the live view shows and nothing else (no
   * standing, no electorate, no named casts). LVZ_RUN_NOT_FOUND for a wrong, changed or turned-off token.
   */
  screenView(ballotId: string, token: string): Promise<BallotView[]>;
  /** The live poll through a 投屏 link; LVZ_RUN_NOT_FOUND as screenView. */
  screenCounts(ballotId: string, token: string): Promise<BallotCounts>;
  /** Every closed ballot's chain and tally against its stored seal (the CLI, no actor). */
  verifyBallots(opts?: { seal?: string }): Promise<BallotVerifyReport>;
}

// views.ts: what the ballot pages and the live view read: lists, one ballot, its counts, a receipt check.
// A secret ballot's tally is shown only once closed; a named one's also live with `results: live`.

import type { Knex } from 'knex';
import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import {
  ballotsOfInstance, castByReceipt, castsOf, countPresent, countVoted, electorateOf, electorOf, getInstance, openBallotsOfMember, unclosedBallots,
  type BallotRow,
} from '../../../store/process/index.ts';
import type { BallotCounts, BallotQuestion, BallotSummary, BallotView, ReceiptCheck } from '../../../runtime/ballot-types.ts';
import { canSee, holdersOf } from '../../../runtime/access.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import { isChair, seeBallot, type SeenBallot } from './access.ts';
import { sealCode, storedOf, type StoredBallot } from './stored.ts';
import * as ballotCore from '../index.ts';
const { isQuorumMet, receiptDigest, tally } = ballotCore;
type Ballot = ballotCore.Ballot;
type CastRow = ballotCore.CastRow;
type Tally = ballotCore.Tally;

const FOR_AGAINST_LABELS: Record<string, string> = { for: '赞成', against: '反对', abstain: '弃权' };

function questionOf(b: Ballot): BallotQuestion {
  switch (b.kind) {
    case 'for_against': return { kind: 'for_against', options: Object.entries(FOR_AGAINST_LABELS).map(([value, label]) => ({ value, label })) };
    case 'rating': return { kind: 'rating', options: b.scale.map((v) => ({ value: v, label: v })) };
    case 'score': return { kind: 'score', min: b.min, max: b.max, step: b.step };
    case 'choose': {
      const n = 'exactly' in b.choose ? b.choose.exactly : b.choose.up_to;
      return { kind: 'choose', options: b.options.map((v) => ({ value: v, label: v })), ...('exactly' in b.choose ? { exactly: n } : { upTo: n }), elect: b.elect ?? n };
    }
  }
}

async function summaryOf(db: Knex, row: BallotRow, titles: Map<string, string>): Promise<BallotSummary> {
  let instanceTitle = titles.get(row.instanceId);
  if (instanceTitle === undefined) {
    instanceTitle = (await getInstance(db, row.instanceId))?.title ?? '';
    titles.set(row.instanceId, instanceTitle);
  }
  const stored = storedOf(row);
  return {
    ballotId: row.id, setId: row.setId, instanceId: row.instanceId, instanceTitle, stepTitle: stored.title, key: row.key,
    ...(row.itemTitle !== null && { itemTitle: row.itemTitle }), ...(row.itemIndex !== null && { itemIndex: row.itemIndex }),
    kind: stored.ballot.kind, secret: row.secret, status: row.status, members: row.members,
    present: row.status === 'draft' ? await countPresent(db, row.id) : row.present,
    castCount: row.status === 'open' ? await countVoted(db, row.id) : row.castCount,
    ...(row.openedAt && { openedAt: row.openedAt }), ...(row.closedAt && { closedAt: row.closedAt }), ...(row.closesAt && row.status === 'open' && { closesAt: row.closesAt }),
  };
}

const isTallyShown = (row: BallotRow): boolean => row.status === 'closed' || (row.status === 'open' && !row.secret && storedOf(row).results === 'live');

const castRows = async (db: Knex, id: string): Promise<CastRow[]> => (await castsOf(db, id)).map((r) => ({
  choice: r.choice as CastRow['choice'], receipt: r.receipt, ...(r.voter !== null && { voter: r.voter }), prev: r.prev, digest: r.digest,
}));

async function tallyOf(db: Knex, row: BallotRow): Promise<{ tally: Tally; casts: CastRow[] } | undefined> {
  if (!isTallyShown(row)) return undefined;
  const casts = await castRows(db, row.id);
  return { tally: tally(storedOf(row).ballot, casts, row.present), casts };
}

export async function ballotView(rc: RuntimeContext, actor: Actor, ballotId: string): Promise<BallotView> {
  return viewOf(rc, await seeBallot(rc, rc.reads, actor, ballotId), true);
}

/** The view of a ballot as `seen` stands in it; `isNamedShown`: a named ballot's casts listed (not on a screen link). */
export async function viewOf(rc: RuntimeContext, seen: SeenBallot, isNamedShown: boolean): Promise<BallotView> {
  const db = rc.reads;
  const { row, stored, elector } = seen;
  const summary = await summaryOf(db, row, new Map());
  const counted = await tallyOf(db, row);
  const names = await rc.names(db);
  return {
    ...summary,
    question: questionOf(stored.ballot), quorum: stored.ballot.quorum, pass: stored.ballot.pass, results: stored.results,
    quorumMet: isQuorumMet(stored.ballot.quorum, row.members, summary.present),
    you: {
      isMember: !!elector, isPresent: !!elector?.present, hasVoted: !!elector?.hasVoted,
      mayVote: row.status === 'open' && !!elector?.present && !elector.hasVoted, mayChair: seen.mayChair,
    },
    ...(seen.mayChair && {
      electorate: (await electorateOf(db, row.id)).map((e) => ({
        userId: e.userId, name: names.user.get(e.userId) ?? e.userId, ...(names.userOrg.has(e.userId) && { org: names.userOrg.get(e.userId)! }), present: e.present,
      })),
    }),
    ...(counted && { tally: counted.tally }),
    ...(row.status === 'closed' && row.sealHead && {
      seal: { count: row.sealCount!, head: row.sealHead, present: row.present, counts: row.sealCounts ?? {}, code: sealCode(row.sealHead) },
    }),
    ...(counted && !row.secret && isNamedShown && {
      casts: counted.casts.map((c) => ({ userId: c.voter!, name: names.user.get(c.voter!) ?? c.voter!, choice: c.choice })),
    }),
    ...(row.closeReason && { closeReason: row.closeReason }),
    ...(row.closedBy && { closedBy: row.closedBy as 'chair' | 'deadline' }),
  };
}

export async function ballotCounts(rc: RuntimeContext, actor: Actor, ballotId: string): Promise<BallotCounts> {
  const { row, stored } = await seeBallot(rc, rc.reads, actor, ballotId);
  return countsOf(rc, row, stored);
}

export async function countsOf(rc: RuntimeContext, row: BallotRow, stored: StoredBallot): Promise<BallotCounts> {
  const db = rc.reads;
  const present = row.status === 'draft' ? await countPresent(db, row.id) : row.present;
  const counted = await tallyOf(db, row);
  return {
    ballotId: row.id, status: row.status, members: row.members, present,
    castCount: row.status === 'open' ? await countVoted(db, row.id) : row.castCount,
    quorumMet: isQuorumMet(stored.ballot.quorum, row.members, present),
    ...(counted && { tally: counted.tally }),
  };
}

export async function ballotsOf(rc: RuntimeContext, actor: Actor, instanceId: string): Promise<BallotSummary[]> {
  const db = rc.reads;
  const rows = await ballotsOfInstance(db, String(instanceId).slice(0, 64));
  if (rows.length === 0) return [];
  const inst = await getInstance(db, rows[0]!.instanceId);
  const all = !!inst && await canSee(rc, db, actor, await holdersOf(db, actor, rc.now()), inst);
  const titles = new Map<string, string>();
  const out: BallotSummary[] = [];
  for (const r of rows) {
    if (all || isChair(actor, storedOf(r)) || (await electorOf(db, r.id, actor.userId)) !== undefined) out.push(await summaryOf(db, r, titles));
  }
  return out;
}

export async function ballotsFor(rc: RuntimeContext, actor: Actor): Promise<BallotSummary[]> {
  const db = rc.reads;
  const mine = await openBallotsOfMember(db, actor.userId);
  const chaired = (await unclosedBallots(db)).filter((r) => isChair(actor, storedOf(r)));
  const rows = [...new Map([...mine, ...chaired].map((r) => [r.id, r])).values()]
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : (a.itemIndex ?? 0) - (b.itemIndex ?? 0)));
  const titles = new Map<string, string>();
  const out: BallotSummary[] = [];
  for (const r of rows) out.push(await summaryOf(db, r, titles));
  return out;
}

export async function checkReceipt(rc: RuntimeContext, actor: Actor, ballotId: string, code: string): Promise<ReceiptCheck> {
  const db = rc.reads;
  const { row } = await seeBallot(rc, db, actor, ballotId);
  const digest = receiptDigest(typeof code === 'string' ? code.slice(0, 100) : '');
  if (row.status !== 'closed') {
    throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决结束、计票完成后才能核对回执：请在主持人宣布表决结果后再来核对', { params: { ballot: row.id, status: row.status } });
  }
  const hit = await castByReceipt(db, row.id, digest);
  return { found: !!hit, ...(hit && { position: hit.position, digest: hit.digest }), count: row.sealCount ?? 0, code: sealCode(row.sealHead!) };
}

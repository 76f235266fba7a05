// ballot-double.ts: the Engine's ballot operations (engine/runtime/ballot-types.ts) kept in memory on
// the real pure core (engine/constructs/ballot: validateCast, tally, chain, receipts), for the page
// tests while the engine's own (branch i15-ballot, tables and secret envelopes) is not merged. It
// follows the contract's codes; everything else of the engine is the real one on a real database.
// TODO(issue 15): the page tests move to the engine's ballots once they are merged.

import { LvzError } from '../../engine/errors.ts';
import {
  chainCasts, findReceipt, isQuorumMet, normalizeReceiptCode, orderForChain, receiptCode, receiptDigest, sealOf, tally, validateCast,
  type Ballot, type Cast, type CastRow,
} from '../../engine/constructs/ballot/index.ts';
import type { Actor, BallotOps, BallotQuestion, BallotStatus, BallotSummary, BallotView, Engine, Seal } from '../../engine/runtime/types.ts';

export interface DoubleMember { userId: string; name: string; org?: string }

export interface DoubleSitting {
  instanceId: string;
  instanceTitle: string;
  stepTitle: string;
  chairs: string[];
  members: DoubleMember[];
  /** One ballot, or one per item (itemTitle set). */
  ballots: { id: string; key: string; itemTitle?: string; def: Ballot; results?: 'at_close' | 'live' }[];
}

interface Shared { status: BallotStatus; present: Set<string>; chairs: Set<string>; members: DoubleMember[]; openedAt?: string; closedAt?: string; closeReason?: string }
interface Rec { summary: Omit<BallotSummary, 'status' | 'present' | 'castCount' | 'members'>; def: Ballot; results: 'at_close' | 'live'; shared: Shared; voted: Set<string>; casts: Cast[]; rows?: CastRow[]; seal?: Seal }

const FA_LABEL: Record<string, string> = { for: '赞成', against: '反对', abstain: '弃权' };

function questionOf(def: Ballot): BallotQuestion {
  if (def.kind === 'for_against') return { kind: 'for_against', options: ['for', 'against', 'abstain'].map((v) => ({ value: v, label: FA_LABEL[v]! })) };
  if (def.kind === 'rating') return { kind: 'rating', options: def.scale.map((v) => ({ value: v, label: v })) };
  if (def.kind === 'score') return { kind: 'score', min: def.min, max: def.max, step: def.step };
  const n = 'up_to' in def.choose ? def.choose.up_to : def.choose.exactly;
  return { kind: 'choose', options: def.options.map((v) => ({ value: v, label: v })), ...('up_to' in def.choose ? { upTo: n } : { exactly: n }), elect: def.elect ?? n };
}

export function ballotDouble(now: () => Date): BallotOps & { add(s: DoubleSitting): void } {
  const recs = new Map<string, Rec>();
  const get = (id: string) => {
    const r = recs.get(id);
    if (!r) throw new LvzError('LVZ_RUN_NOT_FOUND', '找不到这次表决：请从事项页面重新进入。');
    return r;
  };
  const sitting = (r: Rec) => [...recs.values()].filter((x) => x.summary.setId === r.summary.setId);
  const chair = (actor: Actor, r: Rec) => {
    if (!r.shared.chairs.has(actor.userId)) throw new LvzError('LVZ_BALLOT_NOT_CHAIR', '只有主持人可以办理签到、开始或结束表决。');
  };
  const summaryOf = (r: Rec): BallotSummary => ({
    ...r.summary, status: r.shared.status, members: r.shared.members.length, present: r.shared.present.size, castCount: r.voted.size,
    ...(r.shared.openedAt && { openedAt: r.shared.openedAt }), ...(r.shared.closedAt && { closedAt: r.shared.closedAt }),
  });
  const shows = (r: Rec) => r.shared.status === 'closed' || (r.shared.status === 'open' && !r.def.secret && r.results === 'live');
  const tallyOf = (r: Rec) => tally({ ...r.def, members: r.shared.members.length }, r.rows ?? r.casts, r.shared.present.size);

  return {
    add(s) {
      const shared: Shared = { status: 'draft', present: new Set(), chairs: new Set(s.chairs), members: s.members };
      const setId = `set-${s.ballots[0]!.id}`;
      s.ballots.forEach((b, i) => recs.set(b.id, {
        summary: {
          ballotId: b.id, setId, instanceId: s.instanceId, instanceTitle: s.instanceTitle, stepTitle: s.stepTitle, key: b.key,
          ...(b.itemTitle && { itemTitle: b.itemTitle, itemIndex: i + 1 }), kind: b.def.kind, secret: b.def.secret,
        },
        def: b.def, results: b.results ?? 'at_close', shared, voted: new Set(), casts: [],
      }));
    },
    async ballotsOf(_actor, instanceId) {
      return [...recs.values()].filter((r) => r.summary.instanceId === instanceId).map(summaryOf);
    },
    async ballotsFor(actor) {
      return [...recs.values()].filter((r) => r.shared.status !== 'closed' && (r.shared.chairs.has(actor.userId) || r.shared.members.some((m) => m.userId === actor.userId))).map(summaryOf);
    },
    async ballotView(actor, id): Promise<BallotView> {
      const r = get(id);
      const isMember = r.shared.members.some((m) => m.userId === actor.userId);
      const isPresent = r.shared.present.has(actor.userId);
      const hasVoted = r.voted.has(actor.userId);
      const mayChair = r.shared.chairs.has(actor.userId);
      const shown = shows(r);
      return {
        ...summaryOf(r), question: questionOf(r.def), quorum: r.def.quorum, pass: r.def.pass, results: r.results,
        quorumMet: isQuorumMet(r.def.quorum, r.shared.members.length, r.shared.present.size),
        you: { isMember, isPresent, hasVoted, mayVote: r.shared.status === 'open' && isMember && isPresent && !hasVoted, mayChair },
        ...(mayChair && { electorate: r.shared.members.map((m) => ({ ...m, present: r.shared.present.has(m.userId) })) }),
        ...(shown && { tally: tallyOf(r) }),
        ...(r.seal && { seal: { ...r.seal, code: r.seal.head.slice(0, 16) } }),
        ...(shown && !r.def.secret && { casts: r.casts.map((c) => ({ userId: c.voter!, name: r.shared.members.find((m) => m.userId === c.voter)!.name, choice: c.choice })) }),
        ...(r.shared.closeReason && { closeReason: r.shared.closeReason, closedBy: 'chair' as const }),
      };
    },
    async ballotCounts(actor, id) {
      const v = await this.ballotView(actor, id);
      return { ballotId: id, status: v.status, members: v.members, present: v.present, castCount: v.castCount, quorumMet: v.quorumMet, ...(v.tally && { tally: v.tally }) };
    },
    async signIn(actor, id, userIds, opts) {
      const r = get(id);
      if (r.shared.status !== 'draft') throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决已经开始，签到名单不能再修改。');
      if (!r.shared.chairs.has(actor.userId) && userIds.some((u) => u !== actor.userId)) chair(actor, r);
      const outside = userIds.filter((u) => !r.shared.members.some((m) => m.userId === u));
      if (outside.length > 0) throw new LvzError('LVZ_BALLOT_NOT_ELIGIBLE', '签到的人员不在本次表决的表决人名单中。');
      for (const u of userIds) if (opts?.present === false) r.shared.present.delete(u); else r.shared.present.add(u);
      return { present: r.shared.present.size };
    },
    async openBallot(actor, id) {
      const r = get(id);
      chair(actor, r);
      if (r.shared.status !== 'draft') throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决已经开始或已经结束。');
      if (!isQuorumMet(r.def.quorum, r.shared.members.length, r.shared.present.size)) {
        throw new LvzError('LVZ_BALLOT_NO_QUORUM', `到会 ${r.shared.present.size} 人，不符合出席要求：请完成签到后再开始表决。`);
      }
      r.shared.status = 'open';
      r.shared.openedAt = now().toISOString();
    },
    async castBallot(actor, id, raw) {
      const r = get(id);
      if (r.shared.status !== 'open') throw new LvzError('LVZ_BALLOT_NOT_OPEN', r.shared.status === 'draft' ? '表决尚未开始，请等主持人开始表决后再投票。' : '表决已经结束，不能再投票。');
      if (!r.shared.members.some((m) => m.userId === actor.userId)) throw new LvzError('LVZ_BALLOT_NOT_ELIGIBLE', '您不在本次表决的表决人名单中，不能投票。');
      if (!r.shared.present.has(actor.userId)) throw new LvzError('LVZ_BALLOT_NOT_PRESENT', '您没有签到，不能投票。');
      if (r.voted.has(actor.userId)) throw new LvzError('LVZ_BALLOT_ALREADY_VOTED', '您已投票。每人只能投一次。');
      const choice = r.def.kind === 'score' && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      validateCast(r.def, choice);
      r.voted.add(actor.userId);
      const code = receiptCode();
      r.casts.push({ choice, receipt: receiptDigest(code), ...(!r.def.secret && { voter: actor.userId }) });
      return r.def.secret ? { receipt: code } : {};
    },
    async closeBallot(actor, id, reason) {
      const r = get(id);
      chair(actor, r);
      if (r.shared.status !== 'open') throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决没有在进行中，不能结束。');
      const all = sitting(r);
      const early = all.some((x) => x.voted.size < x.shared.present.size);
      if (early && !reason) throw new LvzError('LVZ_RUN_REASON_REQUIRED', '还有到会人员没有投票：提前结束请写明理由。', { params: { field: 'reason' } });
      const seals = all.map((x) => {
        const def = { ...x.def, members: x.shared.members.length };
        x.rows = chainCasts(def, orderForChain(x.casts));
        x.seal = sealOf(def, x.rows, x.shared.present.size);
        return { ballotId: x.summary.ballotId, seal: x.seal };
      });
      r.shared.status = 'closed';
      r.shared.closedAt = now().toISOString();
      if (early) r.shared.closeReason = reason;
      return { seals };
    },
    async checkReceipt(_actor, id, code) {
      const r = get(id);
      if (normalizeReceiptCode(code) === null) throw new LvzError('LVZ_BALLOT_BAD_RECEIPT', '核对码应为 20 位字母和数字（例如 7K3QF-M2X9A-0PZRT-5HC8W）：请对照投票时显示的核对码重新输入。');
      if (r.shared.status !== 'closed' || !r.rows || !r.seal) throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决结束后才能核对。');
      const position = findReceipt(r.rows, code);
      const code16 = r.seal.head.slice(0, 16);
      return position === null ? { found: false, count: r.rows.length, code: code16 } : { found: true, position, digest: r.rows[position - 1]!.digest, count: r.rows.length, code: code16 };
    },
    async verifyBallots() {
      return { checked: 0, failures: [] };
    },
  };
}

/** The real engine with its ballot operations replaced by the double. */
export function withBallotDouble(engine: Engine, now: () => Date): { engine: Engine; ballots: ReturnType<typeof ballotDouble> } {
  const ballots = ballotDouble(now);
  return { engine: { ...engine, ...ballots }, ballots };
}

// cast.ts: one member's vote, in one short transaction that never locks the instance, so 200
// members voting at once do not queue behind each other's pages (docs/ballots.md "Secrecy").
//
// Secret: the has_voted mark and one sealed envelope; no event, no idempotency key, no voter beside
// a choice anywhere. Named: the cast row with its voter, chained at once under the ballot row's lock.
// In both, the guarded has_voted update is what refuses a second vote, a replay and a concurrent twin.

import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import {
  appendEvent, openForCast, electorOf, getBallot, insertCasts, insertEnvelope, lockBallot, markVoted, setHead, writeTx,
  type BallotRow,
} from '../../../store/process/index.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import { seeBallot } from './access.ts';
import { ballotKey, newEnvelopeId, sealEnvelope, serverSecret } from './envelope.ts';
import { storedOf } from './stored.ts';
import * as ballotCore from '../index.ts';
const { castDigest, receiptCode, receiptDigest } = ballotCore;
type Ballot = ballotCore.Ballot;
type Choice = ballotCore.Choice;

/** What a page or the API posts, as the ballot's kind expects it: a score's text read as a number, one ticked option as a list. */
export function choiceOf(ballot: Ballot, raw: unknown): unknown {
  if (ballot.kind === 'score') {
    if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
    return raw;
  }
  if (ballot.kind === 'choose') {
    if (raw === undefined || raw === null || raw === '') return [];
    return typeof raw === 'string' ? [raw] : raw;
  }
  return raw;
}

function notOpen(row: Pick<BallotRow, 'status' | 'id'>): LvzError {
  return new LvzError('LVZ_BALLOT_NOT_OPEN', row.status === 'closed' ? '表决已经结束，不能再投票' : '表决尚未开始：请等主持人宣布开始表决后再投票', { params: { ballot: row.id, status: row.status } });
}

/** Why the has_voted update changed nothing: not a member, not signed in, or voted already. */
async function refusal(rc: RuntimeContext, row: BallotRow, userId: string): Promise<LvzError> {
  const e = await electorOf(rc.reads, row.id, userId);
  const params = { ballot: row.id };
  if (!e) return new LvzError('LVZ_BALLOT_NOT_ELIGIBLE', '您不在本次表决的应到人员名单中，不能投票', { params });
  if (!e.present) return new LvzError('LVZ_BALLOT_NOT_PRESENT', '您在表决开始前没有签到，不能投票：签到须在主持人宣布开始表决前完成', { params });
  return new LvzError('LVZ_BALLOT_ALREADY_VOTED', '您已投票，每人只能投一票：您的票已计入，表决结束后可凭回执码核对', { params });
}

export async function castBallot(rc: RuntimeContext, actor: Actor, ballotId: string, raw: unknown): Promise<{ receipt?: string }> {
  const seen = await seeBallot(rc, rc.reads, actor, ballotId);
  const { ballot } = storedOf(seen.row);
  if (seen.row.status !== 'open') throw notOpen(seen.row);
  if (!seen.elector) throw await refusal(rc, seen.row, actor.userId);
  const choice = choiceOf(ballot, raw);
  ballotCore.validateCast(ballot, choice);
  const code = receiptCode();
  const cast = { choice: choice as Choice, receipt: receiptDigest(code) };
  const refused = await writeTx(rc.db, async (tx) => {
    if (seen.row.secret) {
      const open = await openForCast(tx, seen.row.id);
      if (!open) return notOpen((await getBallot(tx, seen.row.id))!);
      if (!(await markVoted(tx, seen.row.id, actor.userId))) return 'refused' as const;
      const salt = open.salt!;
      const id = newEnvelopeId();
      await insertEnvelope(tx, seen.row.id, id, sealEnvelope(ballotKey(serverSecret(rc.dataDir).key, salt, ballot.id), ballot, id, cast));
      return null;
    }
    const row = (await lockBallot(tx, seen.row.id))!;
    if (row.status !== 'open') return notOpen(row);
    if (!(await markVoted(tx, row.id, actor.userId))) return 'refused' as const;
    const named = { ...cast, voter: actor.userId };
    const digest = castDigest(row.head!, named);
    await insertCasts(tx, row.id, [{ position: row.castCount + 1, choice: named.choice, receipt: named.receipt, voter: named.voter, prev: row.head!, digest }]);
    await setHead(tx, row.id, digest, row.castCount + 1);
    const at = rc.now().toISOString();
    await appendEvent(tx, {
      instanceId: row.instanceId, at, actorId: actor.userId, onBehalfOf: null, type: 'ballot.cast', taskId: null,
      fromState: row.state, toState: row.state, payload: { ballot: row.id, choice: named.choice },
    });
    return null;
  });
  if (refused === 'refused') throw await refusal(rc, seen.row, actor.userId);
  if (refused) throw refused;
  return seen.row.secret ? { receipt: code } : {};
}

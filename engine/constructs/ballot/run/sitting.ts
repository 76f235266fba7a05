// sitting.ts: 签到 (attendance) and opening, for the whole sitting at once. Both lock the instance
// row, so attendance cannot change while the chair opens: what opening copies is what members saw.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { reckonAdd } from '../../../calendar/index.ts';
import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import {
  appendEvent, ballotsOfSet, countPresent, electorateOf, insertTimers, lockInstance, markPresent, openBallotRow, writeTx,
  type BallotRow, type InstanceRow,
} from '../../../store/process/index.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import { ensureChair, notFoundBallot, seeBallot, type SeenBallot } from './access.ts';
import { newSalt, serverSecret } from './envelope.ts';
import { storedOf } from './stored.ts';
import * as ballotCore from '../index.ts';
const { genesisDigest, isQuorumMet } = ballotCore;

const QUORUM_TEXT: Record<string, string> = {
  majority_of_members: '全体组成人员过半数出席',
  two_thirds_of_members: '全体组成人员三分之二以上出席',
  none: '至少一人出席',
};

/** The sitting locked for a change: its instance row first, then the ballot as the actor may see it. */
async function lockSitting(rc: RuntimeContext, tx: Knex, actor: Actor, ballotId: string): Promise<{ seen: SeenBallot; inst: InstanceRow; set: BallotRow[] }> {
  const first = await seeBallot(rc, tx, actor, ballotId);
  const inst = await lockInstance(tx, first.row.instanceId);
  if (!inst) throw notFoundBallot(ballotId);
  const seen = await seeBallot(rc, tx, actor, ballotId);
  return { seen, inst, set: await ballotsOfSet(tx, seen.row.setId) };
}

function notDraft(set: BallotRow[]): LvzError | null {
  if (set.every((b) => b.status === 'draft')) return null;
  const closed = set.some((b) => b.status === 'closed');
  return new LvzError('LVZ_BALLOT_NOT_OPEN', closed ? '表决已经结束，签到和开始表决都已截止' : '表决已经开始，签到已截止：开始表决后不能再签到或更改出席', { params: { status: closed ? 'closed' : 'open' } });
}

function parseUserIds(userIds: unknown): string[] {
  if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > 20_000 || userIds.some((u) => typeof u !== 'string' || u.length > 64)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择要签到的人员后再提交', {});
  }
  return [...new Set(userIds as string[])];
}

export async function signIn(rc: RuntimeContext, actor: Actor, ballotId: string, userIds: unknown, opts: { present?: boolean } = {}): Promise<{ present: number }> {
  const ids = parseUserIds(userIds);
  const present = opts.present !== false;
  return writeTx(rc.db, async (tx) => {
    const { seen, inst, set } = await lockSitting(rc, tx, actor, ballotId);
    const self = ids.length === 1 && ids[0] === actor.userId;
    if (!seen.mayChair && !(self && seen.elector)) {
      if (self) throw new LvzError('LVZ_BALLOT_NOT_ELIGIBLE', '您不在本次表决的应到人员名单中，不能签到', { params: { ballot: seen.row.id } });
      ensureChair(seen, '为他人签到');
    }
    const problem = notDraft(set);
    if (problem) throw problem;
    const members = new Set((await electorateOf(tx, seen.row.id)).map((e) => e.userId));
    const outside = ids.filter((u) => !members.has(u));
    if (outside.length > 0) {
      const names = await rc.names(tx);
      const who = outside.slice(0, 3).map((u) => names.user.get(u) ?? '未知人员').join('、');
      throw new LvzError('LVZ_BALLOT_NOT_ELIGIBLE', `${who}${outside.length > 3 ? ` 等 ${outside.length} 人` : ''}不在本次表决的应到人员名单中，不能签到：请只勾选名单中的人员`, { params: { ballot: seen.row.id, users: outside } });
    }
    await markPresent(tx, seen.row.setId, ids, present);
    await appendEvent(tx, {
      instanceId: inst.id, at: rc.now().toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'ballot.attendance', taskId: null,
      fromState: inst.state, toState: inst.state, payload: { set: seen.row.setId, users: ids, present },
    });
    return { present: await countPresent(tx, seen.row.id) };
  });
}

/** Opens every ballot of the sitting: freezes its definition, 应到 and 实到; a secret one gets its salt. */
export async function openBallot(rc: RuntimeContext, actor: Actor, ballotId: string): Promise<void> {
  await writeTx(rc.db, async (tx) => {
    const { seen, inst, set } = await lockSitting(rc, tx, actor, ballotId);
    ensureChair(seen, '开始表决');
    const problem = notDraft(set);
    if (problem) throw problem;
    const present = await countPresent(tx, seen.row.id);
    const { ballot, closesAfter } = seen.stored;
    if (present === 0 || !isQuorumMet(ballot.quorum, ballot.members, present)) {
      const needed = ballot.quorum === 'majority_of_members' ? Math.floor(ballot.members / 2) + 1 : ballot.quorum === 'two_thirds_of_members' ? Math.ceil((2 * ballot.members) / 3) : 1;
      throw new LvzError('LVZ_BALLOT_NO_QUORUM', `应到 ${ballot.members} 人，实到 ${present} 人，未达到${QUORUM_TEXT[ballot.quorum]}（至少 ${needed} 人）：请先完成签到再开始表决`, { params: { present, needed, members: ballot.members } });
    }
    // A missing or malformed secret stops the opening, not the first cast.
    if (seen.row.secret) serverSecret(rc.dataDir);
    const now = rc.now();
    const closesAt = closesAfter ? reckonAdd(now, closesAfter, rc.calendar).at.toISOString() : null;
    for (const b of set) {
      const stored = storedOf(b);
      const ok = await openBallotRow(tx, b.id, {
        definition: stored, present, salt: b.secret ? newSalt() : null, head: b.secret ? null : genesisDigest(stored.ballot), openedAt: now.toISOString(), closesAt,
      });
      if (!ok) throw notDraft([{ ...b, status: 'open' }])!;
    }
    if (closesAt) {
      await insertTimers(tx, [{
        id: randomUUID(), instanceId: inst.id, taskId: null, state: seen.row.state, visit: seen.row.visit, kind: 'ballot_close', fireAt: closesAt,
        status: 'pending', payload: { set: seen.row.setId }, leaseOwner: null, leaseUntil: null, firedAt: null, attempts: 0, lastError: null,
        startedAt: now.toISOString(), duration: closesAfter ?? null, provisional: false,
      }]);
    }
    await appendEvent(tx, {
      instanceId: inst.id, at: now.toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'ballot.opened', taskId: null,
      fromState: inst.state, toState: inst.state, payload: { set: seen.row.setId, ballots: set.map((b) => b.id), members: ballot.members, present },
    });
  });
}

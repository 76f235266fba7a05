// screen.ts: a sitting's 投屏 link for a meeting room PC nobody logs in on (docs/ballots.md, "A screen link
// without login"). The chair turns it on, changes it (every earlier link stops working) or turns it off;
// whoever holds the link sees exactly what the live view shows: 应到 / 实到 / 已投, and the result only
// where the view shows one (after close; live on a named `results: live` ballot), never a name, the
// electorate or a named ballot's casts. The token is an HMAC of the server secret over the sitting and a
// random nonce kept in the database, so the database alone does not give the link.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import { appendEvent, ballotsOfSet, dropScreenNonce, getBallot, lockInstance, putScreenNonce, screenNonce, writeTx } from '../../../store/process/index.ts';
import type { BallotCounts, BallotView } from '../../../runtime/ballot-types.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import { ensureChair, notFoundBallot, seeBallot } from './access.ts';
import { serverSecret } from './envelope.ts';
import { storedOf } from './stored.ts';
import { countsOf, viewOf } from './views.ts';

/** 128 bits of HMAC-SHA256, base64url (22 characters). */
function tokenOf(rc: RuntimeContext, setId: string, nonce: string): string {
  return createHmac('sha256', serverSecret(rc.dataDir).key).update(`lvzhi-screen/1\n${setId}\n${nonce}`).digest().subarray(0, 16).toString('base64url');
}

/** The sitting's link token, when the chair has turned it on; chair only. */
export async function screenLink(rc: RuntimeContext, actor: Actor, ballotId: string): Promise<string | undefined> {
  const seen = await seeBallot(rc, rc.reads, actor, ballotId);
  ensureChair(seen, '查看投屏链接');
  const nonce = await screenNonce(rc.reads, seen.row.setId);
  return nonce === undefined ? undefined : tokenOf(rc, seen.row.setId, nonce);
}

/** On: a new token (the first, or one that ends every earlier link); off: no link. Chair only; logged in the case's history. */
export async function setScreenLink(rc: RuntimeContext, actor: Actor, ballotId: string, on: boolean): Promise<string | undefined> {
  return writeTx(rc.db, async (tx) => {
    const seen = await seeBallot(rc, tx, actor, ballotId);
    ensureChair(seen, on ? '生成投屏链接' : '停用投屏链接');
    const inst = await lockInstance(tx, seen.row.instanceId);
    if (!inst) throw notFoundBallot(ballotId);
    const at = rc.now().toISOString();
    const nonce = on ? randomBytes(16).toString('hex') : undefined;
    if (nonce) await putScreenNonce(tx, seen.row.setId, nonce, at, actor.userId);
    else await dropScreenNonce(tx, seen.row.setId);
    await appendEvent(tx, {
      instanceId: inst.id, at, actorId: actor.userId, onBehalfOf: null, type: 'ballot.screen', taskId: null,
      fromState: inst.state, toState: inst.state, payload: { set: seen.row.setId, on },
    });
    return nonce && tokenOf(rc, seen.row.setId, nonce);
  });
}

/** The ballot a link names, when its token is the sitting's current one; else LVZ_RUN_NOT_FOUND, as for a forged id. */
async function screenBallot(rc: RuntimeContext, ballotId: string, token: string) {
  const row = typeof ballotId === 'string' && /^[0-9a-f-]{36}$/.test(ballotId) ? await getBallot(rc.reads, ballotId) : undefined;
  const nonce = row && await screenNonce(rc.reads, row.setId);
  const want = row && nonce !== undefined ? Buffer.from(tokenOf(rc, row.setId, nonce)) : undefined;
  const given = Buffer.from(typeof token === 'string' ? token.slice(0, 64) : '');
  if (!row || !want || want.length !== given.length || !timingSafeEqual(want, given)) {
    throw new LvzError('LVZ_RUN_NOT_FOUND', '投屏链接无效或已更换：请向会议主持人索取新的投屏链接', { params: {} });
  }
  return row;
}

/** The sitting as the screen link shows it, in roster order: nobody's standing, no electorate, no named casts. */
export async function screenView(rc: RuntimeContext, ballotId: string, token: string): Promise<BallotView[]> {
  const row = await screenBallot(rc, ballotId, token);
  const set = await ballotsOfSet(rc.reads, row.setId);
  return Promise.all(set.map((r) => viewOf(rc, { row: r, stored: storedOf(r), elector: undefined, mayChair: false }, false)));
}

/** The live view's poll through a link: the same counts as ballotCounts. */
export async function screenCounts(rc: RuntimeContext, ballotId: string, token: string): Promise<BallotCounts> {
  const row = await screenBallot(rc, ballotId, token);
  return countsOf(rc, row, storedOf(row));
}

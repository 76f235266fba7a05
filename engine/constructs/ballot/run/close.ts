// close.ts: closing a sitting, by its chair or its deadline, in one transaction with the instance
// locked: each secret ballot's envelopes are opened, ordered by receipt digest (random, so the order
// says nothing of arrival), chained and written as rows, then the envelopes and the salt are
// deleted and the seal stored. The results go into `data.<id>` and the machine gets `closed`.

import type { Knex } from 'knex';
import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import {
  appendEvent, ballotsOfSet, castsOf, closeBallotRow, countVoted, envelopesOf, insertCasts, lockBallot, lockInstance, secureDelete, truncateWal, writeTx,
  type BallotRow, type InstanceRow,
} from '../../../store/process/index.ts';
import type { Moves } from '../../../runtime/construct-run.ts';
import { workflowOf, type RuntimeContext } from '../../../runtime/runtime-context.ts';
import { ensureChair, notFoundBallot, seeBallot } from './access.ts';
import { ballotKey, openEnvelope, serverSecret } from './envelope.ts';
import { storedOf } from './stored.ts';
import * as ballotCore from '../index.ts';
const { chainCasts, orderForChain, sealOf, tally } = ballotCore;
type Cast = ballotCore.Cast;
type CastRow = ballotCore.CastRow;
type Seal = ballotCore.Seal;
type Tally = ballotCore.Tally;

function tampered(row: BallotRow, what: string): LvzError {
  return new LvzError('LVZ_BALLOT_TAMPERED', `表决“${storedOf(row).title}${row.itemTitle ? `：${row.itemTitle}` : ''}”${what}：数据库在表决期间被改动，表决未结束、未计票；请停止表决并联系系统管理员核查`, { params: { ballot: row.id } });
}

/** A secret ballot's casts, out of their envelopes; refused when one fails or one is missing or extra. */
async function openedCasts(rc: RuntimeContext, tx: Knex, row: BallotRow): Promise<Cast[]> {
  const envelopes = await envelopesOf(tx, row.id);
  const voted = await countVoted(tx, row.id);
  if (envelopes.length !== voted) throw tampered(row, `的票数（${envelopes.length}）与已投票人数（${voted}）不符`);
  const key = ballotKey(serverSecret(rc.dataDir).key, row.salt!, row.id);
  return envelopes.map((e) => {
    const c = openEnvelope(key, row.id, e.id, e.sealed);
    if (!c) throw tampered(row, '有一张票无法解密');
    return { choice: c.choice, receipt: c.receipt };
  });
}

const castRowsOf = (rows: Awaited<ReturnType<typeof castsOf>>): CastRow[] =>
  rows.map((r) => ({ choice: r.choice as CastRow['choice'], receipt: r.receipt, ...(r.voter !== null && { voter: r.voter }), prev: r.prev, digest: r.digest }));

/** What `data.<id>` holds after close: per ballot the figures a later step or its CEL needs. */
function resultOf(row: BallotRow, t: Tally): Record<string, unknown> {
  const counts = t.kind === 'score' ? { sum: t.sum, average: t.average, lowest: t.lowest, highest: t.highest } : Object.fromEntries(t.counts.map((c) => [c.option, c.count]));
  // The shares as the result sheet prints them ("12.1%", rounded by the tally), so a later step quotes them, never recomputes them.
  const shares = t.kind === 'score' ? undefined : Object.fromEntries(t.counts.map((c) => [c.option, c.share?.text ?? null]));
  return {
    ...(row.itemTitle !== null && { title: row.itemTitle }), members: t.members, present: t.present, cast: t.cast,
    quorum_met: t.quorum_met, passed: t.passed, counts, ...(shares && { shares }), ...(t.kind === 'choose' && { chosen: t.chosen }),
  };
}

async function closeOne(rc: RuntimeContext, tx: Knex, row: BallotRow, by: { how: 'chair' | 'deadline'; reason: string | null }): Promise<{ seal: Seal; result: Record<string, unknown> }> {
  const { ballot } = storedOf(row);
  let rows: CastRow[];
  if (row.secret) {
    rows = chainCasts(ballot, orderForChain(await openedCasts(rc, tx, row)));
    await insertCasts(tx, row.id, rows.map((r, i) => ({ position: i + 1, choice: r.choice, receipt: r.receipt, voter: null, prev: r.prev, digest: r.digest })));
  } else {
    rows = castRowsOf(await castsOf(tx, row.id));
    if (rows.length !== await countVoted(tx, row.id)) throw tampered(row, '的票数与已投票人数不符');
  }
  const seal = sealOf(ballot, rows, row.present);
  const ok = await closeBallotRow(tx, row.id, {
    castCount: rows.length, sealCount: seal.count, sealHead: seal.head, sealCounts: seal.counts, closedAt: rc.now().toISOString(), closedBy: by.how, reason: by.reason,
  });
  if (!ok) throw new LvzError('LVZ_BALLOT_NOT_OPEN', '表决已经结束', { params: { ballot: row.id } });
  return { seal, result: resultOf(row, tally(ballot, rows, row.present)) };
}

/**
 * Closes every ballot of the sitting (all open, or LVZ_BALLOT_NOT_OPEN), puts the results into
 * `data.<id>` (a list, one per item, with `items:`) and sends the machine `closed`.
 */
export async function closeSet(rc: RuntimeContext, tx: Knex, inst: InstanceRow, setId: string, by: { how: 'chair' | 'deadline'; actor?: Actor; reason: string | null }, moves: Moves): Promise<{ ballotId: string; seal: Seal }[]> {
  // PostgreSQL: the row locks wait for every cast in flight (each holds its ballot row `for share`)
  // and keep new ones out, so the envelopes read below are all there will be.
  for (const b of await ballotsOfSet(tx, setId)) await lockBallot(tx, b.id);
  const set = await ballotsOfSet(tx, setId);
  if (set.length === 0 || set.some((b) => b.status !== 'open')) {
    const draft = set.some((b) => b.status === 'draft');
    throw new LvzError('LVZ_BALLOT_NOT_OPEN', draft ? '表决尚未开始，不能结束：请先完成签到并开始表决' : '表决已经结束', { params: { set: setId } });
  }
  // Closing by hand while members signed in have not all voted ends their chance to: the chair says why
  // (the page asks too; this is the rule). A deadline needs no reason: the YAML gave it.
  // Counted from the has_voted marks: a secret ballot's row does not count its casts while open.
  const notVoted = by.how === 'chair' && !by.reason ? Math.max(...(await Promise.all(set.map(async (b) => b.present - (await countVoted(tx, b.id)))))) : 0;
  if (notVoted > 0) {
    throw new LvzError('LVZ_RUN_REASON_REQUIRED', `还有 ${notVoted} 位到会人员没有投票：提前结束表决，请填写原因`, { params: { field: 'reason', notVoted } });
  }
  const seals: { ballotId: string; seal: Seal }[] = [];
  const results: Record<string, unknown>[] = [];
  await secureDelete(tx, true);
  try {
    for (const row of set) {
      const r = await closeOne(rc, tx, row, by);
      seals.push({ ballotId: row.id, seal: r.seal });
      results.push(r.result);
    }
  } finally {
    await secureDelete(tx, false);
  }
  const first = set[0]!;
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const w = moves.open(rc, tx, inst, wf, { ...inst.data, [first.key]: first.itemIndex === null ? results[0] : results });
  // As load.ts's celActor.
  const actor = by.actor && { id: by.actor.userId, org: by.actor.orgId, roles: [...by.actor.roles] };
  await moves.send(w, { type: 'closed', ...(actor && { actor }) });
  await moves.settle(w, actor);
  await moves.persist(w);
  await appendEvent(tx, {
    instanceId: inst.id, at: rc.now().toISOString(), actorId: by.actor?.userId ?? null, onBehalfOf: null, type: 'ballot.closed', taskId: null,
    fromState: inst.state, toState: w.inst.state,
    payload: { set: setId, by: by.how, ...(by.reason && { reason: by.reason }), seals: seals.map((s) => ({ ballot: s.ballotId, count: s.seal.count, head: s.seal.head })) },
  });
  return seals;
}

export async function closeBallot(rc: RuntimeContext, actor: Actor, ballotId: string, reason: string | undefined, moves: Moves): Promise<{ seals: { ballotId: string; seal: Seal }[] }> {
  const text = typeof reason === 'string' ? reason.trim().slice(0, 500) : '';
  const closed = await writeTx(rc.db, async (tx) => {
    const first = await seeBallot(rc, tx, actor, ballotId);
    const inst = await lockInstance(tx, first.row.instanceId);
    if (!inst) throw notFoundBallot(ballotId);
    const seen = await seeBallot(rc, tx, actor, ballotId);
    ensureChair(seen, '结束表决');
    return { seals: await closeSet(rc, tx, inst, seen.row.setId, { how: 'chair', actor, reason: text || null }, moves) };
  });
  await truncateWal(rc.db).catch(() => undefined);
  return closed;
}

/** The deadline (closes.after) of a sitting still open: the timer's own transaction, instance locked. */
export async function closeByDeadline(rc: RuntimeContext, tx: Knex, inst: InstanceRow, setId: string, moves: Moves): Promise<void> {
  const set = await ballotsOfSet(tx, setId);
  if (set.length === 0 || set.some((b) => b.status !== 'open')) return;
  await closeSet(rc, tx, inst, setId, { how: 'deadline', reason: null }, moves);
}

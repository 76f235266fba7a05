// ballots.ts: all SQL for ballots (表决): the ballot rows, the electorate, secret envelopes and the
// cast chain (migration 021, docs/ballots.md).
//
// A secret cast writes one has_voted mark and one envelope, nothing else: the guarded update of the
// mark is the only replay guard (no idempotency key, whose row would hold the user beside a
// fingerprint of the choice). Its share lock on the ballot row (PostgreSQL) makes a close wait for
// casts in flight, so the close reads every committed envelope.

import type { Knex } from 'knex';
import { fromJson, toJson } from './json.ts';

type Raw = Record<string, unknown>;

export type BallotStatusRow = 'draft' | 'open' | 'closed';

export interface BallotRow {
  id: string;
  setId: string;
  instanceId: string;
  state: string;
  visit: number;
  key: string;
  itemIndex: number | null;
  itemTitle: string | null;
  kind: string;
  secret: boolean;
  status: BallotStatusRow;
  /** The ballot as defined (constructs/ballot/run/stored.ts StoredBallot), frozen at opening. */
  definition: unknown;
  members: number;
  present: number;
  castCount: number;
  salt: string | null;
  head: string | null;
  sealCount: number | null;
  sealHead: string | null;
  sealCounts: Record<string, number | string> | null;
  createdAt: string;
  openedAt: string | null;
  closesAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
}

export interface CastStoreRow {
  position: number;
  choice: unknown;
  receipt: string;
  voter: string | null;
  prev: string;
  digest: string;
}

const isPg = (db: Knex): boolean => db.client.config.client === 'pg';

function toBallot(r: Raw): BallotRow {
  return {
    id: String(r.id), setId: String(r.set_id), instanceId: String(r.instance_id), state: String(r.state), visit: Number(r.visit),
    key: String(r.key), itemIndex: r.item_index === null || r.item_index === undefined ? null : Number(r.item_index),
    itemTitle: (r.item_title as string | null) ?? null, kind: String(r.kind), secret: Boolean(r.secret),
    status: r.status as BallotStatusRow, definition: fromJson(r.definition, null), members: Number(r.members),
    present: Number(r.present), castCount: Number(r.cast_count), salt: (r.salt as string | null) ?? null,
    head: (r.head as string | null) ?? null, sealCount: r.seal_count === null || r.seal_count === undefined ? null : Number(r.seal_count),
    sealHead: (r.seal_head as string | null) ?? null, sealCounts: fromJson(r.seal_counts, null),
    createdAt: String(r.created_at), openedAt: (r.opened_at as string | null) ?? null, closesAt: (r.closes_at as string | null) ?? null,
    closedAt: (r.closed_at as string | null) ?? null, closedBy: (r.closed_by as string | null) ?? null,
    closeReason: (r.close_reason as string | null) ?? null,
  };
}

export interface NewBallot {
  id: string; setId: string; instanceId: string; state: string; visit: number; key: string;
  itemIndex: number | null; itemTitle: string | null; kind: string; secret: boolean; definition: unknown;
  members: number; createdAt: string;
}

/** The ballots of one step entry with their electorate; `electorate` is the same for each. */
export async function insertBallots(tx: Knex, rows: NewBallot[], electorate: string[]): Promise<void> {
  if (rows.length === 0) return;
  await tx('ballots').insert(rows.map((b) => ({
    id: b.id, set_id: b.setId, instance_id: b.instanceId, state: b.state, visit: b.visit, key: b.key,
    item_index: b.itemIndex, item_title: b.itemTitle, kind: b.kind, secret: b.secret, status: 'draft',
    definition: toJson(b.definition), members: b.members, present: 0, cast_count: 0, created_at: b.createdAt,
  })));
  const marks = rows.flatMap((b) => electorate.map((u) => ({ ballot_id: b.id, user_id: u, present: false, has_voted: false })));
  for (let i = 0; i < marks.length; i += 500) await tx('ballot_electorate').insert(marks.slice(i, i + 500));
}

export async function getBallot(db: Knex, id: string): Promise<BallotRow | undefined> {
  const r = await db('ballots').where({ id }).first();
  return r ? toBallot(r) : undefined;
}

export async function ballotsOfSet(db: Knex, setId: string): Promise<BallotRow[]> {
  return (await db('ballots').where({ set_id: setId }).orderBy('item_index')).map(toBallot);
}

export async function ballotsOfInstance(db: Knex, instanceId: string): Promise<BallotRow[]> {
  return (await db('ballots').where({ instance_id: instanceId }).orderBy([{ column: 'created_at' }, { column: 'item_index' }])).map(toBallot);
}

/**
 * Draft and open ballots whose electorate holds the user (a member's 表决 list, read by every 待办 page).
 * Shaped to start from the few unclosed ballots (the status index) and probe the electorate's primary key
 * once each, so a member's closed ballots, however many, are never read (test/engine/store/ballots-open-index.test.ts).
 */
export function openBallotsQuery(db: Knex, userId: string): Knex.QueryBuilder {
  return db('ballots').whereIn('ballots.status', ['draft', 'open'])
    .whereExists((q) => q.select(db.raw('1')).from('ballot_electorate as e').whereRaw('e.ballot_id = ballots.id').where('e.user_id', userId))
    .select('ballots.*').orderBy('ballots.created_at', 'desc');
}

export async function openBallotsOfMember(db: Knex, userId: string): Promise<BallotRow[]> {
  return (await openBallotsQuery(db, userId)).map(toBallot);
}

/** Draft and open ballots (a chair's list is filtered by role in the runtime). */
export async function unclosedBallots(db: Knex, limit = 200): Promise<BallotRow[]> {
  return (await db('ballots').whereIn('status', ['draft', 'open']).orderBy('created_at', 'desc').limit(limit)).map(toBallot);
}

/** Open ballots of an instance: the frozen-rules guard (publish, migrate, 调整办理步骤). */
export async function openBallotIds(db: Knex, instanceIds: readonly string[]): Promise<string[]> {
  if (instanceIds.length === 0) return [];
  return (await db('ballots').whereIn('instance_id', instanceIds).where('status', 'open').select('id')).map((r: Raw) => String(r.id));
}

/** Open ballots of any instance on one workflow (a new version's publish is refused while one is open). */
export async function openBallotsOfWorkflow(db: Knex, workflowId: string): Promise<string[]> {
  return (await db('ballots').join('instances as i', 'i.id', 'ballots.instance_id')
    .where('i.workflow_id', workflowId).where('ballots.status', 'open').select('ballots.id')).map((r: Raw) => String(r.id));
}

export interface ElectorRow { userId: string; present: boolean; hasVoted: boolean }

export async function electorateOf(db: Knex, ballotId: string): Promise<ElectorRow[]> {
  return (await db('ballot_electorate').where({ ballot_id: ballotId }).orderBy('user_id'))
    .map((r: Raw) => ({ userId: String(r.user_id), present: Boolean(r.present), hasVoted: Boolean(r.has_voted) }));
}

export async function electorOf(db: Knex, ballotId: string, userId: string): Promise<ElectorRow | undefined> {
  const r = await db('ballot_electorate').where({ ballot_id: ballotId, user_id: userId }).first();
  return r ? { userId: String(r.user_id), present: Boolean(r.present), hasVoted: Boolean(r.has_voted) } : undefined;
}

/** 签到 on every draft ballot of the set; returns how many of the set's first ballot are now present. */
export async function markPresent(tx: Knex, setId: string, userIds: string[], present: boolean): Promise<void> {
  const ids = tx('ballots').where({ set_id: setId, status: 'draft' }).select('id');
  for (let i = 0; i < userIds.length; i += 500) {
    await tx('ballot_electorate').whereIn('ballot_id', ids).whereIn('user_id', userIds.slice(i, i + 500)).update({ present });
  }
}

export async function countPresent(db: Knex, ballotId: string): Promise<number> {
  const r = await db('ballot_electorate').where({ ballot_id: ballotId, present: true }).count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

export async function countVoted(db: Knex, ballotId: string): Promise<number> {
  const r = await db('ballot_electorate').where({ ballot_id: ballotId, has_voted: true }).count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

/** draft -> open with its frozen copy; false when it was not draft (someone opened it first). */
export async function openBallotRow(tx: Knex, id: string, o: { definition: unknown; present: number; salt: string | null; head: string | null; openedAt: string; closesAt: string | null }): Promise<boolean> {
  const n = await tx('ballots').where({ id, status: 'draft' }).update({
    status: 'open', definition: toJson(o.definition), present: o.present, salt: o.salt, head: o.head, opened_at: o.openedAt, closes_at: o.closesAt,
  });
  return n === 1;
}

/**
 * The cast's guard, first statement of its transaction: the ballot is open (a share lock on
 * PostgreSQL, so a close waits for this cast), then has_voted flips on exactly one present row.
 */
export async function openForCast(tx: Knex, id: string): Promise<{ salt: string | null } | undefined> {
  const q = tx('ballots').where({ id, status: 'open' }).first('salt');
  const r = await (isPg(tx) ? q.forShare() : q);
  return r ? { salt: (r.salt as string | null) ?? null } : undefined;
}

export async function markVoted(tx: Knex, ballotId: string, userId: string): Promise<boolean> {
  const n = await tx('ballot_electorate').where({ ballot_id: ballotId, user_id: userId, present: true, has_voted: false }).update({ has_voted: true });
  return n === 1;
}

export async function insertEnvelope(tx: Knex, ballotId: string, id: string, sealed: string): Promise<void> {
  await tx('ballot_envelopes').insert({ id, ballot_id: ballotId, sealed });
}

export async function envelopesOf(tx: Knex, ballotId: string): Promise<{ id: string; sealed: string }[]> {
  return (await tx('ballot_envelopes').where({ ballot_id: ballotId })).map((r: Raw) => ({ id: String(r.id), sealed: String(r.sealed) }));
}

/** A named ballot's row lock for appending to its chain (SQLite: the one writer already serialises). */
export async function lockBallot(tx: Knex, id: string): Promise<BallotRow | undefined> {
  const q = tx('ballots').where({ id }).first();
  const r = await (isPg(tx) ? q.forUpdate() : q);
  return r ? toBallot(r) : undefined;
}

export async function insertCasts(tx: Knex, ballotId: string, rows: CastStoreRow[]): Promise<void> {
  const out = rows.map((c) => ({
    ballot_id: ballotId, position: c.position, choice: toJson(c.choice), receipt: c.receipt, voter: c.voter, prev: c.prev, digest: c.digest,
  }));
  for (let i = 0; i < out.length; i += 500) await tx('ballot_casts').insert(out.slice(i, i + 500));
}

export async function setHead(tx: Knex, id: string, head: string, castCount: number): Promise<void> {
  await tx('ballots').where({ id }).update({ head, cast_count: castCount });
}

export async function castsOf(db: Knex, ballotId: string): Promise<CastStoreRow[]> {
  return (await db('ballot_casts').where({ ballot_id: ballotId }).orderBy('position')).map((r: Raw) => ({
    position: Number(r.position), choice: fromJson(r.choice, null), receipt: String(r.receipt),
    voter: (r.voter as string | null) ?? null, prev: String(r.prev), digest: String(r.digest),
  }));
}

/** open -> closed with the seal; the salt goes, and the envelopes with it. False when it was not open. */
export async function closeBallotRow(tx: Knex, id: string, c: { castCount: number; sealCount: number; sealHead: string; sealCounts: unknown; closedAt: string; closedBy: string; reason: string | null }): Promise<boolean> {
  const n = await tx('ballots').where({ id, status: 'open' }).update({
    status: 'closed', cast_count: c.castCount, salt: null, seal_count: c.sealCount, seal_head: c.sealHead, seal_counts: toJson(c.sealCounts),
    closed_at: c.closedAt, closed_by: c.closedBy, close_reason: c.reason,
  });
  if (n !== 1) return false;
  await tx('ballot_envelopes').where({ ballot_id: id }).del();
  return true;
}

/** Draft ballots of a step left before they opened: removed with their electorate (nothing was frozen). */
export async function dropDraftBallots(tx: Knex, instanceId: string, state: string): Promise<void> {
  const ids = (await tx('ballots').where({ instance_id: instanceId, state, status: 'draft' }).select('id')).map((r: Raw) => String(r.id));
  if (ids.length === 0) return;
  await tx('ballot_electorate').whereIn('ballot_id', ids).del();
  await tx('ballots').whereIn('id', ids).del();
}

export async function closedBallots(db: Knex): Promise<BallotRow[]> {
  return (await db('ballots').where({ status: 'closed' }).orderBy('closed_at')).map(toBallot);
}

/** The row a receipt digest names, if any (核对我的投票). */
export async function castByReceipt(db: Knex, ballotId: string, receipt: string): Promise<{ position: number; digest: string } | undefined> {
  const r = await db('ballot_casts').where({ ballot_id: ballotId, receipt }).first('position', 'digest');
  return r ? { position: Number(r.position), digest: String(r.digest) } : undefined;
}

/**
 * SQLite keeps deleted bytes in a page's free space and old pages in the WAL until they are reused: while
 * a close deletes envelopes and the salt, freed content is zeroed (secure_delete), and afterwards the WAL
 * is checkpointed and truncated, so neither survives in the live files (a copy taken while open still holds them).
 */
export async function secureDelete(tx: Knex, on: boolean): Promise<void> {
  if (!isPg(tx)) await tx.raw(`pragma secure_delete = ${on ? 'on' : 'off'}`);
}

/** After a close (SQLite): fold the WAL into the database and truncate it; best effort while readers hold it. */
export async function truncateWal(db: Knex): Promise<void> {
  if (!isPg(db)) await db.raw('pragma wal_checkpoint(truncate)');
}

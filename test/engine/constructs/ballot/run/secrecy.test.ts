// secrecy.test.ts: 200 members vote at once and every vote counts; 50 concurrent casts by one member
// count once; and after a secret ballot closes, nothing stored joins a voter to a choice: not a
// column, not the event log, not the submission keys, not the row order (SQLite rowid, the position),
// not the writing transaction (PostgreSQL xmin). The same ballot named shows both, so the search
// below is one that finds a link when there is one.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../../engine/store/db.ts';
import { ballotWorld, opened, toBallot, type BallotWorld } from './setup.ts';
import { isPg, rawDb } from './raw-db.ts';

let w: BallotWorld;
let db: Db;
beforeAll(async () => {
  w = await ballotWorld(200);
  db = await rawDb(w.h);
});
afterAll(async () => {
  await db?.destroy();
  await w?.close();
});

const CHOICES = ['for', 'against', 'abstain'] as const;
/** Who chose what, known to the test alone. */
const choiceOf = (i: number): string => CHOICES[(i * 7) % 3]!;

/** Every row of every table of ours, as text, with the table's name (and rowid / xmin where the database keeps one). */
async function everyRow(): Promise<{ table: string; text: string }[]> {
  const tables: string[] = isPg(db)
    ? (await db.raw(`select tablename from pg_tables where schemaname = current_schema()`)).rows.map((r: { tablename: string }) => r.tablename)
    : (await db('sqlite_master').where({ type: 'table' }).select('name')).map((r: { name: string }) => r.name).filter((n: string) => !n.startsWith('sqlite_'));
  const out: { table: string; text: string }[] = [];
  for (const t of tables) {
    const rows = isPg(db) ? (await db.raw(`select xmin::text as "__xmin", * from ??`, [t])).rows : await db.raw(`select rowid as __rowid, * from ??`, [t]).catch(() => db(t).select('*'));
    // JSON columns (a cast's choice, an event's payload) unescaped, so a value inside reads as one.
    for (const r of rows as Record<string, unknown>[]) out.push({ table: t, text: JSON.stringify(r).replace(/\\"/g, '"') });
  }
  return out;
}

async function voteAll(id: string): Promise<void> {
  await Promise.all(w.members.map((m, i) => w.h.engine.castBallot(m, id, choiceOf(i))));
}

describe('ballots under load and in secret', () => {
  it('50 concurrent casts by one member: exactly one counts, 49 are told they already voted', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 200);
    const m = w.members[0]!;
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => w.h.engine.castBallot(m, id!, CHOICES[i % 3]!)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const codes = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code: string }).code);
    expect(ok).toHaveLength(1);
    expect(new Set(codes)).toEqual(new Set(['LVZ_BALLOT_ALREADY_VOTED']));
    expect(codes).toHaveLength(49);
    expect((await w.h.engine.ballotCounts(w.chair, id!)).castCount).toBe(1);
    expect(await db('ballot_envelopes').where({ ballot_id: id! }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number((await db('ballot_envelopes').where({ ballot_id: id! }).count({ n: '*' }).first())!.n)).toBe(1);
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    expect((await w.h.engine.ballotView(w.chair, id!)).seal!.count).toBe(1);
  });

  it('200 members voting at once: all counted, no conflict; then nothing joins a voter to a choice', async () => {
    const { instanceId, ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 200);
    await voteAll(id!);
    const open = await w.h.engine.ballotCounts(w.chair, id!);
    expect(open.castCount).toBe(200);
    const salt = (await db('ballots').where({ id: id! }).first()).salt as string;
    const sealed = (await db('ballot_envelopes').where({ ballot_id: id! }).select('sealed')).map((r: { sealed: string }) => r.sealed.slice(0, 24));
    // While open: only envelopes, each the same size whatever the choice.
    const sizes = new Set((await db('ballot_envelopes').where({ ballot_id: id! }).select('sealed')).map((r: { sealed: string }) => r.sealed.length));
    expect(sizes.size).toBe(1);
    expect(Number((await db('ballot_casts').where({ ballot_id: id! }).count({ n: '*' }).first())!.n)).toBe(0);
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const t = (await w.h.engine.ballotView(w.chair, id!)).tally!;
    const expected = Object.fromEntries(CHOICES.map((c) => [c, w.members.filter((_, i) => choiceOf(i) === c).length]));
    if (t.kind !== 'for_against') throw new Error(t.kind);
    expect(Object.fromEntries(t.counts.map((c) => [c.option, c.count]))).toEqual(expected);

    // Columns: the cast rows hold no voter; the envelopes and the salt are gone.
    const casts = await db('ballot_casts').where({ ballot_id: id! }).orderBy('position');
    expect(casts).toHaveLength(200);
    expect(casts.every((c: { voter: string | null }) => c.voter === null)).toBe(true);
    expect(Number((await db('ballot_envelopes').where({ ballot_id: id! }).count({ n: '*' }).first())!.n)).toBe(0);
    expect((await db('ballots').where({ id: id! }).first()).salt).toBeNull();
    if (!isPg(db)) {
      // Nor in the bytes SQLite keeps without being asked: a page's free space, the WAL.
      const files = ['lvzhi.sqlite', 'lvzhi.sqlite-wal'].map((f) => path.join(w.h.dataDir, f)).filter((f) => fs.existsSync(f));
      const bytes = files.map((f) => fs.readFileSync(f).toString('latin1')).join('');
      expect(bytes.includes(salt)).toBe(false);
      expect(sealed.filter((e) => bytes.includes(e))).toEqual([]);
    }
    // Row order: by receipt digest (random), so position and insertion order say nothing of arrival.
    const receipts = casts.map((c: { receipt: string }) => c.receipt);
    expect(receipts).toEqual([...receipts].sort());
    if (isPg(db)) {
      // One transaction wrote every cast row; no voter's mark shares it.
      const castX = new Set((await db.raw(`select xmin::text as x from ballot_casts where ballot_id = ?`, [id])).rows.map((r: { x: string }) => r.x));
      const markX = new Set((await db.raw(`select xmin::text as x from ballot_electorate where ballot_id = ? and has_voted`, [id])).rows.map((r: { x: string }) => r.x));
      expect(castX.size).toBe(1);
      expect([...markX].filter((x) => castX.has(x))).toEqual([]);
    } else {
      const rowids = (await db.raw(`select rowid as r from ballot_casts where ballot_id = ? order by position`, [id])).map((r: { r: number }) => r.r);
      expect(rowids).toEqual([...rowids].sort((a: number, b: number) => a - b));
    }
    // Every table, the event log and the submission keys: no row names a voter beside a receipt, a
    // choice or an envelope of this ballot.
    const digests = new Set(receipts);
    const rows = await everyRow();
    const linking = rows.filter((r) => w.members.some((m) => r.text.includes(`"${m.userId}"`))
      && ([...digests].some((d) => r.text.includes(d)) || /"(for|against|abstain)"/.test(r.text)));
    expect(linking).toEqual([]);
    const events = await db('events').where({ instance_id: instanceId }).select('type');
    expect(events.map((e: { type: string }) => e.type).filter((t: string) => t.startsWith('ballot.'))).toEqual(['ballot.attendance', 'ballot.opened', 'ballot.closed']);
    expect(Number((await db('idempotency_keys').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('a close while casts are in flight: every vote acknowledged is counted, every other is told the ballot closed', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 200);
    const casts = w.members.map((m, i) => w.h.engine.castBallot(m, id!, choiceOf(i)));
    await Promise.allSettled(casts.slice(0, 20));
    const close = w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const results = await Promise.allSettled(casts);
    const { seals } = await close;
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code: string }).code);
    expect(new Set(refused).size <= 1 && refused.every((c) => c === 'LVZ_BALLOT_NOT_OPEN')).toBe(true);
    expect(seals[0]!.seal.count).toBe(ok);
    expect(Number((await db('ballot_electorate').where({ ballot_id: id!, has_voted: true }).count({ n: '*' }).first())!.n)).toBe(ok);
    expect(Number((await db('ballot_casts').where({ ballot_id: id! }).count({ n: '*' }).first())!.n)).toBe(ok);
  });

  it('the same search finds the link on a named ballot (so it is a search that can fail)', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-named');
    await opened(w, id!, 200);
    await voteAll(id!);
    await w.h.engine.closeBallot(w.chair, id!, '会议议程已到');
    const rows = await everyRow();
    const linking = rows.filter((r) => r.text.includes(`"${w.members[5]!.userId}"`) && r.text.includes(`"${choiceOf(5)}"`));
    expect(linking.map((r) => r.table).sort()).toEqual(['ballot_casts', 'events']);
  });
});

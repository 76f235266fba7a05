// chain.test.ts: every way of changing stored casts is found, with its row; receipts match their own cast only.
import { describe, expect, it } from 'vitest';
import {
  castDigest, chainCasts, findReceipt, genesisDigest, normalizeReceiptCode, orderForChain, receiptCode, receiptDigest,
  sealOf, verifyChain,
} from '../../../../engine/constructs/ballot/index.ts';
import type { Ballot, CastRow, CountTally } from '../../../../engine/constructs/ballot/index.ts';
import type { LvzError } from '../../../../engine/errors.ts';

const ballot: Ballot = { id: 'vote-2026-12-03-1', kind: 'for_against', secret: true, members: 45, quorum: 'majority_of_members', pass: 'majority_of_present' };

/** A fixed source of random bytes, so every code (and so every digest) is the same on every run. */
function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed;
  return (n) => Uint8Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 255);
}

const codes = Array.from({ length: 33 }, (_, i) => receiptCode(seeded(i + 1)));
const choices = [...Array(22).fill('for'), ...Array(7).fill('against'), ...Array(4).fill('abstain')] as string[];
const rows = chainCasts(ballot, codes.map((c, i) => ({ choice: choices[i]!, receipt: receiptDigest(c) })));
const seal = sealOf(ballot, rows, 33);

const tamper = (f: (r: CastRow[]) => void): CastRow[] => {
  const copy = rows.map((r) => ({ ...r }));
  f(copy);
  return copy;
};

describe('the chain', () => {
  it('verifies as built, and its recount is the sealed tally (7 against of 33 = 21.2%)', () => {
    const report = verifyChain(ballot, rows, seal);
    expect(report.problem).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.head).toBe(rows[32]!.digest);
    expect(seal).toMatchObject({ count: 33, head: rows[32]!.digest, present: 33, counts: { for: 22, against: 7, abstain: 4 } });
    const t = report.tally as CountTally;
    expect(t.counts[1]!.share?.text).toBe('21.2%');
    expect(t.passed).toBe(true);
  });

  it('starts from a genesis bound to the ballot: the same casts do not verify under another id or changed rules', () => {
    expect(genesisDigest(ballot)).not.toBe(genesisDigest({ ...ballot, id: 'vote-2' }));
    expect(verifyChain({ ...ballot, members: 44 }, rows, seal).problem).toMatchObject({ kind: 'removed', row: 1 });
    expect(verifyChain({ ...ballot, pass: 'majority_of_members' }, rows).ok).toBe(false);
  });

  it('a digest covers the choice, the receipt and the voter; a choose list in any order is one cast', () => {
    const g = genesisDigest(ballot);
    const r = receiptDigest(codes[0]!);
    expect(castDigest(g, { choice: 'for', receipt: r })).not.toBe(castDigest(g, { choice: 'against', receipt: r }));
    expect(castDigest(g, { choice: 'for', receipt: r })).not.toBe(castDigest(g, { choice: 'for', receipt: r, voter: 'u1' }));
    expect(castDigest(g, { choice: ['乙', '甲'], receipt: r })).toBe(castDigest(g, { choice: ['甲', '乙'], receipt: r }));
    expect(castDigest(g, { choice: 'for', receipt: r })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds an edited choice, naming the row', () => {
    const edited = tamper((r) => { r[9]!.choice = 'against'; });
    expect(verifyChain(ballot, edited, seal).problem).toMatchObject({ kind: 'edited', row: 10, message: '第 10 行被改动：内容与其摘要不符' });
  });

  it('finds an edited receipt digest', () => {
    const edited = tamper((r) => { r[0]!.receipt = receiptDigest(receiptCode(seeded(99))); });
    expect(verifyChain(ballot, edited).problem).toMatchObject({ kind: 'edited', row: 1 });
  });

  it('finds an edited row whose digest was recomputed, at the row after it', () => {
    const edited = tamper((r) => {
      r[9]!.choice = 'against';
      r[9]!.digest = castDigest(r[9]!.prev, r[9]!);
    });
    const p = verifyChain(ballot, edited, seal).problem!;
    expect(p).toMatchObject({ kind: 'removed', row: 11 });
    expect(p.message).toContain('第 10 行被改写后重算了摘要');
  });

  it('finds a removed row, at the row after it', () => {
    expect(verifyChain(ballot, tamper((r) => r.splice(4, 1)), seal).problem).toMatchObject({ kind: 'removed', row: 5 });
    expect(verifyChain(ballot, tamper((r) => r.splice(0, 1))).problem).toMatchObject({ kind: 'removed', row: 1, message: '第 1 行不接续开头：其前有行被删除' });
  });

  it('finds a removed last row only by the seal', () => {
    const cut = tamper((r) => r.pop());
    expect(verifyChain(ballot, cut).ok).toBe(true);
    expect(verifyChain(ballot, cut, seal).problem).toMatchObject({ kind: 'seal', row: 0 });
  });

  it('finds an inserted row, naming it', () => {
    const forged = tamper((r) => {
      const cast = { choice: 'against', receipt: receiptDigest(receiptCode(seeded(77))) };
      r.splice(12, 0, { ...cast, prev: r[11]!.digest, digest: castDigest(r[11]!.digest, cast) });
    });
    expect(verifyChain(ballot, forged, seal).problem).toMatchObject({ kind: 'inserted', row: 13, message: '第 13 行是插入的：第 14 行越过它接续第 12 行' });
  });

  it('finds two rows inserted at the start', () => {
    const forged = tamper((r) => {
      const g = genesisDigest(ballot);
      const a = { choice: 'for', receipt: receiptDigest(receiptCode(seeded(70))) };
      const b = { choice: 'for', receipt: receiptDigest(receiptCode(seeded(71))) };
      const ra = { ...a, prev: g, digest: castDigest(g, a) };
      r.unshift(ra, { ...b, prev: ra.digest, digest: castDigest(ra.digest, b) });
    });
    expect(verifyChain(ballot, forged).problem).toMatchObject({ kind: 'inserted', row: 1, message: '第 1 至 2 行是插入的：第 3 行越过它们接续开头' });
  });

  it('finds a row appended after close by the seal', () => {
    const forged = tamper((r) => {
      const cast = { choice: 'against', receipt: receiptDigest(receiptCode(seeded(78))) };
      r.push({ ...cast, prev: r[32]!.digest, digest: castDigest(r[32]!.digest, cast) });
    });
    expect(verifyChain(ballot, forged, seal).problem).toMatchObject({ kind: 'seal', row: 0 });
  });

  it('finds two rows swapped', () => {
    const swapped = tamper((r) => { [r[20], r[21]] = [r[21]!, r[20]!]; });
    expect(verifyChain(ballot, swapped, seal).problem).toMatchObject({ kind: 'reordered', row: 21 });
  });

  it('finds a chain rewritten from a row to the end by the seal (head), and a changed seal by the recount', () => {
    const rewritten = chainCasts(ballot, rows.map((r, i) => ({ choice: i === 30 ? 'for' : r.choice, receipt: r.receipt })));
    expect(verifyChain(ballot, rewritten).ok).toBe(true);
    expect(verifyChain(ballot, rewritten, seal).problem).toMatchObject({ kind: 'seal' });
    const forgedSeal = { ...seal, counts: { for: 23, against: 6, abstain: 4 } };
    expect(verifyChain(ballot, rows, forgedSeal).problem).toMatchObject({ kind: 'tally', row: 0 });
  });

  it('finds a row copied twice (one receipt counted twice)', () => {
    const doubled = chainCasts(ballot, [...rows.slice(0, 5), rows[2]!].map((r) => ({ choice: r.choice, receipt: r.receipt })));
    expect(verifyChain(ballot, doubled).problem).toMatchObject({ kind: 'duplicate', row: 6 });
  });

  it('finds a choice the ballot does not allow, and a voter on a secret ballot, even when rehashed', () => {
    const bad = chainCasts(ballot, [{ choice: '同意', receipt: rows[0]!.receipt }]);
    expect(verifyChain(ballot, bad)).toMatchObject({ ok: false, problem: { kind: 'invalid', row: 1 }, tally: null });
    const named = chainCasts(ballot, [{ choice: 'for', receipt: rows[0]!.receipt, voter: 'u7' }]);
    expect(verifyChain(ballot, named).problem?.message).toBe('第 1 行无效：不记名表决的票上记有投票人');
    const namedBallot = { ...ballot, secret: false };
    expect(verifyChain(namedBallot, chainCasts(namedBallot, [{ choice: 'for', receipt: rows[0]!.receipt }])).problem?.kind).toBe('invalid');
    expect(verifyChain(namedBallot, chainCasts(namedBallot, [{ choice: 'for', receipt: rows[0]!.receipt, voter: 'u7' }])).ok).toBe(true);
    const twice = chainCasts(namedBallot, [{ choice: 'for', receipt: rows[0]!.receipt, voter: 'u7' }, { choice: 'against', receipt: rows[1]!.receipt, voter: 'u7' }]);
    expect(verifyChain(namedBallot, twice).problem).toMatchObject({ kind: 'duplicate', row: 2, message: '第 2 行的投票人在前面已投过票：一人只能投一票' });
  });

  it('an empty ballot verifies, its head the genesis', () => {
    const empty = sealOf(ballot, [], 30);
    expect(empty.head).toBe(genesisDigest(ballot));
    expect(verifyChain(ballot, [], empty).ok).toBe(true);
  });

  it('orders a secret ballot by receipt digest, not by arrival', () => {
    const ordered = orderForChain(rows);
    expect(ordered.map((r) => r.receipt)).toEqual(rows.map((r) => r.receipt).sort());
    expect(ordered.map((r) => r.receipt)).not.toEqual(rows.map((r) => r.receipt));
    expect(orderForChain([...rows].reverse()).map((r) => r.receipt)).toEqual(ordered.map((r) => r.receipt));
  });
});

describe('receipts', () => {
  it('a code is 20 Crockford base-32 characters in four groups, and codes differ', () => {
    expect(codes[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(receiptCode()).not.toBe(receiptCode());
  });

  it('verifies its own cast and not another\'s', () => {
    expect(findReceipt(rows, codes[7]!)).toBe(8);
    expect(findReceipt(rows, codes[8]!)).toBe(9);
    expect(rows[7]!.receipt).toBe(receiptDigest(codes[7]!));
    expect(rows[8]!.receipt).not.toBe(receiptDigest(codes[7]!));
    expect(findReceipt(rows, receiptCode(seeded(1000)))).toBeNull();
  });

  it('is read back as typed: lower case, spaces, no dashes, O for 0 and I or L for 1', () => {
    const typed = codes[3]!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normalizeReceiptCode(typed)).toBe(codes[3]!.replace(/-/g, ''));
    expect(findReceipt(rows, typed)).toBe(4);
  });

  it('is not found in a removed row, and a malformed code is refused in zh-CN', () => {
    expect(findReceipt(rows.filter((_, i) => i !== 3), codes[3]!)).toBeNull();
    expect(findReceipt(rows, 'ABC')).toBeNull();
    expect(normalizeReceiptCode('UUUUU-UUUUU-UUUUU-UUUUU')).toBeNull();
    const e = (() => { try { receiptDigest('12345'); } catch (x) { return x as LvzError; } })()!;
    expect(e.code).toBe('LVZ_BALLOT_BAD_RECEIPT');
    expect(e.message).toMatch(/回执码应为 20 位字母和数字/);
  });

  it('says nothing of the choice: the digest depends on the code alone', () => {
    const c = codes[0]!;
    expect(receiptDigest(c)).toBe(receiptDigest(c.replace(/-/g, '')));
    expect(receiptDigest(c)).toMatch(/^[0-9a-f]{64}$/);
  });
});

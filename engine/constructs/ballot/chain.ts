// chain.ts: casts chained by SHA-256 from a ballot-specific genesis, and the check that finds a broken link.
//
// Each row stores the digest of the row before it (prev) and its own digest over prev and its content.
// With both stored, a broken chain says what happened: content that no longer gives its digest was
// edited; a row whose prev is unknown follows a removed (or rewritten) row; a row the next one links
// past was inserted; a prev that names a later row was reordered. A chain rewritten from some row to
// the end is internally consistent: only the seal published at close (count, head) catches that.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import { tally } from './tally.ts';
import type { Ballot, Cast, CastRow, ChainProblem, ChainProblemKind, ChainReport, Choice, Seal, Tally } from './types.ts';
import { validateCast } from './validate-cast.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The chain's first prev: binds it to the ballot's id, kind, options, electorate size and rules as frozen at opening. */
export function genesisDigest(ballot: Ballot): string {
  return sha256(`lvzhi-ballot/1\n${canonicalJson(ballot)}`);
}

/** A choose list in a fixed order, so [甲, 乙] and [乙, 甲] are one cast. */
function canonicalChoice(choice: Choice): Choice {
  return Array.isArray(choice) ? [...choice].sort() : choice;
}

/** sha256(prev ‖ canonical(cast)): the cast's digest, chained to the one before. */
export function castDigest(prevDigest: string, cast: Cast): string {
  const content = { choice: canonicalChoice(cast.choice), receipt: cast.receipt, voter: cast.voter ?? null };
  return sha256(`lvzhi-cast/1\n${prevDigest}\n${canonicalJson(content)}`);
}

/** The rows for `casts` in the given order, each linked to the one before. */
export function chainCasts(ballot: Ballot, casts: readonly Cast[]): CastRow[] {
  let prev = genesisDigest(ballot);
  return casts.map((c) => {
    const row: CastRow = { ...c, prev, digest: castDigest(prev, c) };
    prev = row.digest;
    return row;
  });
}

/**
 * The order a secret ballot's casts are chained in at close: by receipt digest, which is random and
 * says nothing of when a cast came in (docs/ballots.md, "Secrecy").
 */
export function orderForChain<C extends Cast>(casts: readonly C[]): C[] {
  return [...casts].sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0));
}

/** The seal to publish at close: how many rows, the last digest, and the counts of the tally. */
export function sealOf(ballot: Ballot, rows: readonly CastRow[], present: number): Seal {
  return {
    count: rows.length,
    head: rows.length === 0 ? genesisDigest(ballot) : rows[rows.length - 1]!.digest,
    present,
    counts: countsOf(tally(ballot, rows, present)),
  };
}

function countsOf(t: Tally): Record<string, number | string> {
  if (t.kind === 'score') return { sum: t.sum };
  return Object.fromEntries(t.counts.map((c) => [c.option, c.count]));
}

const problem = (kind: ChainProblemKind, row: number, message: string): ChainProblem => ({ kind, row, message });

/** Recompute every digest and the tally; report the first edited, removed, inserted or reordered row. */
export function verifyChain(ballot: Ballot, rows: readonly CastRow[], seal?: Seal): ChainReport {
  const genesis = genesisDigest(ballot);
  const head = rows.length === 0 ? genesis : rows[rows.length - 1]!.digest;
  const found = firstRowProblem(ballot, rows, genesis) ?? sealProblem(rows, head, seal);
  if (found?.kind === 'invalid') return { ok: false, problem: found, head, tally: null };
  let counted: Tally;
  try {
    // Without a seal the attendance is unknown: count as if exactly the voters were present.
    counted = tally(ballot, rows, seal?.present ?? rows.length);
  } catch (e) {
    return { ok: false, problem: found ?? problem('tally', 0, `无法重新计票：${(e as Error).message}`), head, tally: null };
  }
  const recounted = canonicalJson(countsOf(counted));
  const tallyProblem = found === null && seal && recounted !== canonicalJson(seal.counts)
    ? problem('tally', 0, `重新计票结果与封存的结果不符：封存 ${canonicalJson(seal.counts)}，重算 ${recounted}`)
    : null;
  const first = found ?? tallyProblem;
  return { ok: first === null, problem: first, head, tally: counted };
}

function firstRowProblem(ballot: Ballot, rows: readonly CastRow[], genesis: string): ChainProblem | null {
  const at = new Map(rows.map((r, i) => [r.digest, i]));
  const receipts = new Set<string>();
  const voters = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const n = i + 1;
    const expected = i === 0 ? genesis : rows[i - 1]!.digest;
    if (row.prev !== expected) return linkProblem(row.prev, i, rows, at, genesis);
    if (castDigest(row.prev, row) !== row.digest) return problem('edited', n, `第 ${n} 行被改动：内容与其摘要不符`);
    const invalid = invalidRow(ballot, row);
    if (invalid) return problem('invalid', n, `第 ${n} 行无效：${invalid}`);
    if (receipts.has(row.receipt)) return problem('duplicate', n, `第 ${n} 行的回执摘要与前面一行相同：同一张票被记了两次`);
    receipts.add(row.receipt);
    if (row.voter !== undefined && voters.has(row.voter)) return problem('duplicate', n, `第 ${n} 行的投票人在前面已投过票：一人只能投一票`);
    if (row.voter !== undefined) voters.add(row.voter);
  }
  return null;
}

/** Row i's prev is not the digest of row i-1: say why. */
function linkProblem(prev: string, i: number, rows: readonly CastRow[], at: Map<string, number>, genesis: string): ChainProblem {
  const n = i + 1;
  const target = prev === genesis ? -1 : at.get(prev);
  if (target === undefined) {
    return problem('removed', n, i === 0
      ? '第 1 行不接续开头：其前有行被删除'
      : `第 ${n} 行不接续第 ${i} 行：其前有行被删除，或第 ${i} 行被改写后重算了摘要`);
  }
  if (target > i) return problem('reordered', n, `第 ${n} 行的位置被调换：它接续的是后面的第 ${target + 1} 行`);
  // It links to an earlier row (or the genesis): the rows between were put in.
  const first = target + 2;
  return problem('inserted', first, first === i
    ? `第 ${first} 行是插入的：第 ${n} 行越过它接续第 ${target + 1} 行`
    : `第 ${first} 至 ${i} 行是插入的：第 ${n} 行越过它们接续${target < 0 ? '开头' : `第 ${target + 1} 行`}`);
}

function invalidRow(ballot: Ballot, row: CastRow): string | null {
  if (ballot.secret && row.voter !== undefined) return '不记名表决的票上记有投票人';
  if (!ballot.secret && !row.voter) return '记名表决的票上没有投票人';
  try {
    validateCast(ballot, row.choice);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function sealProblem(rows: readonly CastRow[], head: string, seal?: Seal): ChainProblem | null {
  if (!seal) return null;
  if (rows.length !== seal.count) {
    return problem('seal', 0, `票数与封存的不符：封存 ${seal.count} 张，现有 ${rows.length} 张（末尾的行被删除或追加）`);
  }
  if (head !== seal.head) return problem('seal', 0, `末行摘要与封存的不符：自某行起整段被改写`);
  return null;
}

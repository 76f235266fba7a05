// verify.ts: `npx lvzhi verify`: every closed ballot's chain and tally recomputed against its stored
// seal, each failure named by ballot and row; with a printed digest (or its 校验码), which ballot it seals.

import { castsOf, closedBallots } from '../../../store/process/index.ts';
import type { BallotVerifyReport } from '../../../runtime/ballot-types.ts';
import type { Knex } from 'knex';
import { storedOf } from './stored.ts';
import * as ballotCore from '../index.ts';
const { verifyChain } = ballotCore;
type CastRow = ballotCore.CastRow;

/** `db`: the engine's reads, or the command line's own connection (cli/verify.ts). */
export async function verifyBallots(db: Knex, opts: { seal?: string } = {}): Promise<BallotVerifyReport> {
  const rows = await closedBallots(db);
  const failures: BallotVerifyReport['failures'] = [];
  const want = opts.seal?.toLowerCase().replace(/[^0-9a-f]/g, '');
  const sealMatches: string[] = [];
  for (const row of rows) {
    const stored = storedOf(row);
    const title = `${stored.title}${row.itemTitle ? `：${row.itemTitle}` : ''}`;
    const casts: CastRow[] = (await castsOf(db, row.id)).map((c) => ({
      choice: c.choice as CastRow['choice'], receipt: c.receipt, ...(c.voter !== null && { voter: c.voter }), prev: c.prev, digest: c.digest,
    }));
    const report = verifyChain(stored.ballot, casts, {
      count: row.sealCount ?? -1, head: row.sealHead ?? '', present: row.present, counts: row.sealCounts ?? {},
    });
    if (!report.ok && report.problem) failures.push({ ballotId: row.id, title, row: report.problem.row, kind: report.problem.kind, message: report.problem.message });
    if (want && want.length >= 16 && row.sealHead?.startsWith(want)) sealMatches.push(row.id);
  }
  return { checked: rows.length, failures, ...(opts.seal !== undefined && { sealMatches }) };
}

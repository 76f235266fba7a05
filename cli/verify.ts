// verify.ts: `lvzhi verify [--seal <digest>]`: every closed ballot's hash chain and tally recomputed
// against its stored seal (docs/ballots.md "Tamper evidence"); each failure printed with its ballot
// and row; exit 1 on any. With --seal, the digest (or 校验码) printed on a result sheet must be the
// stored head of a closed ballot, which catches a chain and seal rewritten together.

import path from 'node:path';
import { openDb } from '../engine/store/db.ts';
import { ballotRuntime } from '../engine/constructs/runs.ts';

export interface VerifyIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function verifyCommand(args: string[], io: VerifyIo): Promise<number> {
  const i = args.indexOf('--seal');
  const seal = i >= 0 ? args[i + 1] : undefined;
  const unknown = args.filter((a, j) => j !== i && j !== i + 1);
  if ((i >= 0 && !seal) || unknown.length > 0) {
    io.err.write('usage: lvzhi verify [--seal <摘要或校验码>]\n');
    return 2;
  }
  const dataDir = path.resolve(io.env.DATA_DIR || './data');
  const db = await openDb({ dataDir, ...(io.env.DATABASE_URL && { databaseUrl: io.env.DATABASE_URL }) });
  try {
    const report = await ballotRuntime.verifyBallots(db, seal === undefined ? {} : { seal });
    for (const f of report.failures) {
      io.out.write(`ballot ${f.ballotId}（${f.title}）: ${f.row > 0 ? `row ${f.row} ` : ''}${f.kind}: ${f.message}\n`);
    }
    let failed = report.failures.length > 0;
    if (seal !== undefined) {
      if (report.sealMatches?.length) io.out.write(`校验码 ${seal} 与表决 ${report.sealMatches.join('、')} 封存的摘要一致\n`);
      else {
        io.out.write(`校验码 ${seal} 不是任何已结束表决封存的摘要：结果单上的校验码与数据库不符（至少 16 位十六进制）\n`);
        failed = true;
      }
    }
    io.out.write(failed
      ? `已核验 ${report.checked} 项已结束的表决，${report.failures.length} 项不一致\n`
      : `已核验 ${report.checked} 项已结束的表决：哈希链与计票结果全部一致\n`);
    return failed ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

// ballots.ts: `npx tsx bench/ballots.ts [members]` (DATABASE_URL set: on PostgreSQL): one secret ballot of
// 6,007 members (the city's deputies) through the engine: entering the step, 签到 of all, opening, every
// member casting (200 at a time), closing (decrypt, order, chain, seal) and `verify`. Prints milliseconds.

import { performance } from 'node:perf_hooks';
import { ballotWorld, toBallot } from '../test/engine/constructs/ballot/run/setup.ts';

const n = Number(process.argv[2] ?? 6007);
const w = await ballotWorld(n);
const time = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const r = await run();
  process.stdout.write(`${label}: ${Math.round(performance.now() - t)} ms\n`);
  return r;
};
try {
  const { ballotIds: [id] } = await time(`enter the step (electorate of ${n})`, () => toBallot(w, 'vote-secret'));
  await time(`签到 of ${n}`, () => w.h.engine.signIn(w.chair, id!, w.members.map((m) => m.userId)));
  await time('open', () => w.h.engine.openBallot(w.chair, id!));
  const choices = ['for', 'against', 'abstain'];
  await time(`${n} casts, 200 at a time`, async () => {
    for (let i = 0; i < n; i += 200) await Promise.all(w.members.slice(i, i + 200).map((m, j) => w.h.engine.castBallot(m, id!, choices[(i + j) % 3])));
  });
  await time('ballotCounts (the live view poll)', () => w.h.engine.ballotCounts(w.chair, id!));
  const { seals } = await time(`close (${n} envelopes)`, () => w.h.engine.closeBallot(w.chair, id!));
  process.stdout.write(`sealed ${seals[0]!.seal.count} casts\n`);
  await time('ballotView (closed: tally of all rows)', () => w.h.engine.ballotView(w.chair, id!));
  const report = await time('verifyBallots', () => w.h.engine.verifyBallots());
  process.stdout.write(`verify: ${report.checked} checked, ${report.failures.length} failures\n`);
} finally {
  await w.close();
}

// ballot-attendance.ts: `npx tsx bench/ballot-attendance.ts [members]` (DATABASE_URL set: on PostgreSQL): the
// chair's ballot page (签到 before opening) for an electorate of 6,007 over real HTTP: its size in bytes and
// the time to serve it, unfiltered, searched and on a later page. Prints bytes and milliseconds.

import { performance } from 'node:perf_hooks';
import { ballotServer, toBallot } from '../test/helpers/ballot-world.ts';
import { loginAs } from '../test/helpers/http.ts';

const n = Number(process.argv[2] ?? 6007);
const w = await ballotServer(n);
try {
  const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
  await w.s.engine.signIn(w.chair, id!, w.members.slice(0, Math.floor(n / 3)).map((m) => m.userId));
  const chair = await loginAs(w.s.base, 'leader1');
  for (const path of [`/ballots/${id}`, `/ballots/${id}?q=${encodeURIComponent('王建华')}`, `/ballots/${id}?page=40`, `/ballots/${id}?show=absent&page=2`]) {
    await chair.get(path); // warm
    const t = performance.now();
    const page = await chair.get(path);
    process.stdout.write(`${path.replace(id!, ':id')}: ${page.status}, ${Buffer.byteLength(page.text)} bytes, ${Math.round(performance.now() - t)} ms\n`);
  }
} finally {
  await w.close();
}

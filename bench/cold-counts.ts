// cold-counts.ts: `npx tsx bench/cold-counts.ts <dataDir>`: the 已办 and 待办 badge counts
// (capped at 100, as every page runs them) for the 300 holders with the most finished tasks, one
// after another, first with the OS page cache dropped (root only: /proc/sys/vm/drop_caches), then
// again warm. The benchmark's pages are one viewer's, whose rows stay cached; this is the cost a
// city of different users meets. A tool for docs/benchmarks.md, not part of `npm run bench`.

import path from 'node:path';
import { execSync } from 'node:child_process';
import sqlite3 from 'sqlite3';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: tsx bench/cold-counts.ts <dataDir>');
const db = new sqlite3.Database(path.join(dataDir, 'lvzhi.sqlite'), sqlite3.OPEN_READONLY);
const all = (sql: string, params: unknown[] = []) =>
  new Promise<Record<string, unknown>[]>((resolve, reject) => db.all(sql, params, (e, rows: Record<string, unknown>[]) => (e ? reject(e) : resolve(rows))));

const holders = (await all('select completed_by as u from tasks where completed_by is not null group by completed_by order by count(*) desc limit 300')).map((r) => r.u);
const counts = {
  done: `select count(*) as n from (select 1 from tasks t where t.status = 'done' and not t.kind = 'cc' and t.completed_by = ? limit 100)`,
  open: `select count(*) as n from (select 1 from tasks t where not t.kind = 'cc' and t.status = 'open' and t.assignee_id = ? limit 100)`,
};
const [{ c }] = await all(`select group_concat(name) as c from pragma_index_info('tasks_completed_by_idx')`);
console.log(`tasks_completed_by_idx (${String(c)}), ${holders.length} holders`);
for (const phase of ['cold', 'warm']) {
  if (phase === 'cold') execSync('sync; echo 3 > /proc/sys/vm/drop_caches');
  for (const [name, sql] of Object.entries(counts)) {
    const t0 = performance.now();
    for (const u of holders) await all(sql, [u]);
    console.log(`${phase} ${name}: ${((performance.now() - t0) / holders.length).toFixed(3)} ms each`);
  }
}
db.close();

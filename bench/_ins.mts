import sqlite3 from 'sqlite3';
const db = new sqlite3.Database('/tmp/bt/ins.sqlite');
const run = (sql: string, p: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, p, (e) => e ? rej(e) : res()));
await run('pragma journal_mode=wal'); await run('pragma synchronous=off'); await run('pragma cache_size=-262144');
const C = 15;
await run(`create table if not exists ev (${Array.from({ length: C }, (_, i) => 'c' + i + ' text').join(',')})`);
const row = (i: number) => Array.from({ length: C }, (_, k) => k === 0 ? String(i) : k % 3 === 0 ? null : '2026-03-02T01:00:00.000Z');
for (const per of [1, 10, 100, 1000]) {
  const N = 100000;
  const sql = 'insert into ev values ' + Array(per).fill('(' + Array(C).fill('?').join(',') + ')').join(',');
  for (const prepared of [false, true]) {
    const t0 = performance.now();
    await run('begin');
    const st = prepared ? db.prepare(sql) : undefined;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < N; i += per) {
      const vals: unknown[] = [];
      for (let k = 0; k < per; k++) vals.push(...row(i + k));
      ps.push(st ? new Promise<void>((res, rej) => st.run(vals, (e: Error | null) => e ? rej(e) : res())) : run(sql, vals));
    }
    await Promise.all(ps);
    st?.finalize();
    await run('commit');
    console.log(per, prepared, ((performance.now() - t0) / 1000).toFixed(2), 's for', N, 'rows x', C);
  }
}

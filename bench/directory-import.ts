// directory-import.ts: `tsx bench/directory-import.ts`: the 通讯录 import at the size, 40
// units plus 6,007 deputies in one .xlsx, on a fresh database (SQLite; PostgreSQL too when
// DATABASE_URL is set, or BENCH_PG=1 to start a throwaway server as the tests' PG pass does, fsync
// off): read, check (dry run), write, the same file again, one changed row. Also
// the demo seed (directory/demo/*.csv through the import) against the old direct inserts.
// Prints a markdown table for docs/benchmarks.md.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createEngine, type Engine } from '../engine/index.ts';
import { testDatabase } from '../test/helpers/db.ts';

const DEPUTIES = 6_007;
const UNITS = 40;

async function workbook(changedPhone = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const orgs = wb.addWorksheet('组织机构');
  orgs.addRow(['编码', '名称', '类型', '上级编码', '排序']);
  orgs.addRow(['city', '市人大常委会', '市人大常委会', '', 0]);
  orgs.addRow(['city-office', '办公室', '办公室', 'city', 1]);
  orgs.addRow(['city-gov', '市人民政府', '办公室', '', 2]);
  for (let i = 0; i < UNITS; i++) orgs.addRow([`unit-${i}`, `市第${i + 1}局`, '政府部门', 'city-gov', 10 + i]);
  for (let d = 0; d < 10; d++) orgs.addRow([`delegation-${d}`, `第${d + 1}代表团`, '代表团', 'city', 100 + d]);
  const people = wb.addWorksheet('人员');
  people.addRow(['用户名', '姓名', '组织编码', '角色', '手机', '代表层级', '选区']);
  people.addRow(['admin', '管理员', 'city-office', '系统管理员', '', '', '']);
  for (let i = 0; i < UNITS; i++) people.addRow([`unit${i}`, `承办人${i}`, `unit-${i}`, '承办单位', `1390000${String(i).padStart(4, '0')}`, '', '']);
  for (let i = 0; i < DEPUTIES; i++) {
    const phone = `138${String(i).padStart(8, '0')}`;
    people.addRow([`deputy${i}`, `代表${i}`, `delegation-${i % 10}`, '人大代表', changedPhone && i === 4_321 ? '13700000000' : phone, '市', `第${(i % 300) + 1}选区`]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ms = (t0: number): number => Math.round(performance.now() - t0);

async function run(kind: 'sqlite' | 'postgres'): Promise<string[]> {
  const place = await testDatabase(kind, 'lvzhi-bench-dir-');
  const engine: Engine = await createEngine({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  try {
    const bytes = await workbook();
    const file = [{ name: '通讯录.xlsx', bytes }];
    let t0 = performance.now();
    const dry = await engine.directoryImport.importFiles(null, file, { dryRun: true });
    const check = ms(t0);
    t0 = performance.now();
    const first = await engine.directoryImport.importFiles(null, file);
    const write = ms(t0);
    t0 = performance.now();
    const again = await engine.directoryImport.importFiles(null, file);
    const same = ms(t0);
    const changed = [{ name: '通讯录.xlsx', bytes: await workbook(true) }];
    t0 = performance.now();
    const one = await engine.directoryImport.importFiles(null, changed);
    const oneMs = ms(t0);
    const sum = (r: typeof first) => Object.values(r.result).reduce((n, c) => n + c.created + c.updated, 0);
    const label = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const kb = Math.round(bytes.length / 1024);
    return [
      `| ${label} | check only (--dry-run): read the ${kb} KB .xlsx, check ${dry.rows.toLocaleString('en')} rows | ${(check / 1000).toFixed(1)} s | ${sum(dry)} to write |`,
      `| ${label} | import into an empty directory | ${(write / 1000).toFixed(1)} s | ${sum(first).toLocaleString('en')} rows and as many audit rows |`,
      `| ${label} | the same file again | ${(same / 1000).toFixed(1)} s | ${sum(again)} changed |`,
      `| ${label} | one phone number changed | ${(oneMs / 1000).toFixed(1)} s | ${sum(one)} changed |`,
    ];
  } finally {
    await engine.close();
    await place.cleanup();
  }
}

/** The demo start: a fresh database with --demo, which the tests do hundreds of times. */
async function demoSeed(): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const place = await testDatabase('sqlite', 'lvzhi-bench-demo-');
    const t0 = performance.now();
    const engine = await createEngine({ dataDir: place.dataDir, demo: true });
    times.push(performance.now() - t0);
    await engine.close();
    await place.cleanup();
  }
  times.sort((a, b) => a - b);
  return `| SQLite | createEngine({ demo: true }) on a fresh database, median of 5 (includes loading definitions and migrations) | ${Math.round(times[2]!)} ms | |`;
}

let stopPg: (() => Promise<void>) | undefined;
if (process.env.BENCH_PG === '1') {
  process.env.LVZHI_TEST_PG = '1';
  const { default: startPg } = await import('../test/setup/postgres.ts');
  stopPg = await startPg();
}
const rows = ['| Database | What | Time | Rows |', '|---|---|---:|---|'];
rows.push(...await run('sqlite'));
if (process.env.DATABASE_URL) rows.push(...await run('postgres'));
await stopPg?.();
rows.push(await demoSeed());
console.log(`${os.cpus()[0]?.model ?? ''} ×${os.cpus().length}, Node ${process.version}`);
console.log(rows.join('\n'));
if (process.env.BENCH_OUT) fs.writeFileSync(path.resolve(process.env.BENCH_OUT), rows.join('\n') + '\n');

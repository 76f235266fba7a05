// directory.test.ts: `lvzhi directory template` and `lvzhi directory import` through the real CLI
// (`node bin/lvzhi.mjs directory …`) on the pass's database: the template, a dry run that writes
// nothing, the import, the same file again changing nothing, every bad row on stderr with exit 1,
// usage errors with exit 2.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { lvzhiWith } from '../helpers/cli.ts';
import { csv } from '../helpers/workbook.ts';

let place: TestDatabase;
beforeAll(async () => { place = await testDatabase(undefined, 'lvzhi-dir-cli-'); }, 30_000);
afterAll(async () => { await place?.cleanup(); });

const dir = (...args: string[]) => lvzhiWith({ env: { DATA_DIR: place.dataDir, DATABASE_URL: place.databaseUrl } }, 'directory', ...args);

async function counts(): Promise<{ users: number; orgs: number; changes: number }> {
  const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
  try {
    const n = async (t: string) => Number((await db(t).count({ n: '*' }).first())?.n ?? 0);
    return { users: await n('users'), orgs: await n('orgs'), changes: await n('directory_changes') };
  } finally {
    await db.destroy();
  }
}

const file = (name: string, bytes: Buffer): string => {
  const p = path.join(place.dataDir, name);
  fs.writeFileSync(p, bytes);
  return p;
};

describe('lvzhi directory', () => {
  it('writes the template, and refuses to overwrite a file', async () => {
    const target = path.join(place.dataDir, '模板.xlsx');
    const r = await dir('template', target);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(target).subarray(0, 2).toString()).toBe('PK');
    const again = await dir('template', target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在');
  }, 60_000);

  it('a dry run reports what would change and writes nothing; the import writes it; the same file again changes nothing', async () => {
    const orgs = file('orgs.csv', csv([['编码', '名称', '类型', '上级编码'], ['city', '市人大常委会', '市人大常委会', ''], ['city-office', '办公室', '办公室', 'city']]));
    const people = file('people.csv', csv([['用户名', '姓名', '组织编码', '角色'], ['admin', '管理员', 'city-office', '系统管理员'], ['staff1', '郑晓东', 'city-office', '机关工作人员']]));
    const dry = await dir('import', orgs, people, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('未写入任何内容');
    expect(dry.stdout).toContain('人员：新建 2 人');
    expect((await counts()).users).toBe(0);
    const r = await dir('import', orgs, people);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('人员：新建 2 人，更新 0 人，0 人不变');
    expect(r.stdout).toContain('批次号');
    expect(await counts()).toEqual({ users: 2, orgs: 2, changes: 4 });
    const again = await dir('import', orgs, people);
    expect(again.stdout).toContain('人员：新建 0 人，更新 0 人，2 人不变');
    expect(again.stdout).toContain('没有需要修改的内容');
    expect((await counts()).changes).toBe(4);
  }, 60_000);

  it('lists every bad row by sheet and line on stderr, exits 1 and writes nothing', async () => {
    const before = await counts();
    const bad = file('人员.csv', csv([['用户名', '姓名', '组织编码', '角色'], ['a1', '甲', 'city-xyz', '机关工作人员'], ['a2', '乙', 'city-office', '巫师'], ['a2', '丙', 'city-office', '']]));
    const r = await dir('import', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LVZ_DIR_INVALID');
    expect(r.stderr).toContain('人员 第 2 行');
    expect(r.stderr).toContain('city-xyz');
    expect(r.stderr).toContain('人员 第 3 行');
    expect(r.stderr).toContain('巫师');
    expect(r.stderr).toContain('人员 第 4 行');
    expect(await counts()).toEqual(before);
    const png = await dir('import', file('photo.xlsx', Buffer.from('\x89PNG\r\n\x1a\n\0\0\0', 'latin1')));
    expect(png.code).toBe(1);
    expect(png.stderr).toContain('LVZ_DIR_IMPORT_FILE');
  }, 60_000);

  it('exits 2 on wrong usage', async () => {
    for (const args of [[], ['import'], ['export', 'x.csv'], ['template', 'a.xlsx', '--dry-run'], ['import', 'x.csv', '--bogus']]) {
      const r = await dir(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('lvzhi directory import');
    }
  }, 60_000);
});

// directory-import.test.ts: the 通讯录 import on a real database with the demo directory: .xlsx and
// .csv read by their headers, every bad row reported by sheet and line with nothing stored, files
// that are no spreadsheet (empty, a PNG, a zip bomb) refused, idempotency, a changed row, one
// transaction, a district admin's reach.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.ts';
import { isLvzError } from '../../../engine/errors.ts';
import type { ImportFile } from '../../../engine/runtime/directory/import/index.ts';
import { openDb } from '../../../engine/store/db.ts';
import { listChanges } from '../../../engine/store/directory-data.ts';
import { csv, deflatedZeros, xlsx, zip } from '../../helpers/workbook.ts';

let h: Harness;
beforeAll(async () => { h = await openHarness({ start: '2026-12-02T01:00:00Z' }); });
afterAll(async () => { await h?.close(); });

async function refused(p: Promise<unknown>): Promise<{ code: string; message: string; problems: { sheet?: string; line?: number; message: string }[] }> {
  try { await p; } catch (e) {
    if (isLvzError(e)) return { code: e.code, message: e.message, problems: (e.params.problems as never) ?? [] };
    throw e;
  }
  throw new Error('expected a refusal');
}

const ORG_HEAD = ['编码', '名称', '类型', '上级编码', '排序'];
const PEOPLE_HEAD = ['姓名', '用户名', '组织编码', '角色', '手机', '代表层级', '选区', '状态'];


const importOf = (files: ImportFile[], dryRun = false) => h.engine.directoryImport.importFiles(null, files, { dryRun });

describe('directory import', () => {
  it('imports an .xlsx (columns in any order, roles by name or id), then the same file again changes nothing', async () => {
    const book = await xlsx({
      角色: [['编码', '名称', '说明'], ['liaison', '民情联络员', '协助代表联系群众']],
      组织机构: [ORG_HEAD, ['zhangdian-hongqi', '红旗街道人大工委', '乡镇人大', 'zhangdian', 20], ['zhangdian-hongqi-llz', '红旗街道联络站', '办公室', 'zhangdian-hongqi', '']],
      人员: [PEOPLE_HEAD,
        ['牛大山', 'niudashan', 'zhangdian-delegation', '人大代表', '13800000001', '市', '张店区第三选区', '在用'],
        ['高文', 'gaowen', 'zhangdian-hongqi-llz', '民情联络员、staff', 13800000002, '', '', '']],
      分组: [['编码', '名称', '说明'], ['liaisons', '民情联络员', '']],
      分组成员: [['分组编码', '用户名', '服务代表用户名'], ['liaisons', 'gaowen', 'niudashan']],
    });
    const first = await importOf([{ name: '通讯录.xlsx', bytes: book }]);
    expect(first.result.orgs).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.result.people).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.result.roles.created).toBe(1);
    expect(first.result.members.created).toBe(1);
    expect(first.untouched).toBeGreaterThan(30);
    expect(first.description.at(-1)).toContain(`文件中没有的 ${first.untouched} 人保持不变`);
    const again = await importOf([{ name: '通讯录.xlsx', bytes: book }]);
    for (const k of ['roles', 'orgs', 'people', 'groups', 'members'] as const) expect(again.result[k].created + again.result[k].updated, k).toBe(0);
    expect(again.result.people.unchanged).toBe(2);
    // Imported people have no password until an administrator sets one.
    await expect(h.engine.login('gaowen', '')).rejects.toMatchObject({ code: 'LVZ_AUTH_BAD_LOGIN' });
  });

  it('a changed row updates only that person, and the history says what changed under the batch id', async () => {
    const people = csv([['用户名', '姓名', '组织编码', '角色', '手机'], ['niudashan', '牛大山', 'zhangdian-delegation', '人大代表', '13900000009']]);
    const r = await importOf([{ name: '人员.csv', bytes: people }]);
    expect(r.result.people).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const db = await openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });
    try {
      const rows = await listChanges(db, { batchId: r.batchId, limit: 10 });
      expect(rows.map((c) => [c.entity, c.entityId, c.source, c.summary])).toEqual([['user', 'niudashan', 'cli', '手机：13800000001 → 13900000009']]);
    } finally {
      await db.destroy();
    }
    // The columns the sheet leaves out (代表层级, 选区) kept their stored values: a second run is unchanged.
    expect((await importOf([{ name: '人员.csv', bytes: people }])).result.people.unchanged).toBe(1);
  });

  it('reports every bad row by sheet and line and stores nothing', async () => {
    const before = await importOf([{ name: 'p.csv', bytes: csv([['用户名', '姓名', '组织编码'], ['deputy1', '王建国', 'zhangdian-delegation']]) }], true);
    const book = await xlsx({
      组织机构: [ORG_HEAD, ['loop-a', '甲', '办公室', 'loop-b', ''], ['loop-b', '乙', '办公室', 'loop-a', ''], ['orphan', '丙', '办公室', 'no-parent', ''], ['weird', '丁', '居委会', 'city', '']],
      人员: [PEOPLE_HEAD,
        ['张一', 'zhang1', 'city-xyz', '人大代表', '', '', '', ''],
        ['张二', 'zhang2', 'city-office', '巫师', '', '', '', ''],
        ['张三', 'zhang2', 'city-office', '机关工作人员', '', '', '', ''],
        ['张四', 'zhang4', 'city-office', '机关工作人员', '', '省长', '', ''],
        ['张五', 'zhang5', 'city-office', '', 'abc', '', '', '休假']],
    });
    const e = await refused(importOf([{ name: 'bad.xlsx', bytes: book }]));
    expect(e.code).toBe('LVZ_DIR_INVALID');
    const at = (sheet: string, line: number) => e.problems.filter((p) => p.sheet === sheet && p.line === line).map((p) => p.message).join(' | ');
    expect(at('组织机构', 5)).toContain('居委会');
    expect(at('人员', 5)).toContain('省长');
    expect(at('人员', 6)).toContain('休假');
    // The rows that read well are checked against each other and the directory only once every row reads well.
    const fixed = await xlsx({
      组织机构: [ORG_HEAD, ['loop-a', '甲', '办公室', 'loop-b', ''], ['loop-b', '乙', '办公室', 'loop-a', ''], ['orphan', '丙', '办公室', 'no-parent', '']],
      人员: [PEOPLE_HEAD,
        ['张一', 'zhang1', 'city-xyz', '人大代表', '', '', '', ''],
        ['张二', 'zhang2', 'city-office', '巫师', '', '', '', ''],
        ['张三', 'zhang2', 'city-office', '机关工作人员', '', '', '', ''],
        ['张五', 'zhang5', 'city-office', '', 'abc', '', '', '']],
    });
    const f = await refused(importOf([{ name: 'bad.xlsx', bytes: fixed }]));
    const msg = (sheet: string, line: number) => f.problems.filter((p) => p.sheet === sheet && p.line === line).map((p) => p.message).join(' | ');
    expect(msg('人员', 2)).toContain('city-xyz');
    expect(msg('人员', 3)).toContain('巫师');
    expect(msg('人员', 3)).toContain('人大代表');
    expect(msg('人员', 4)).toContain('重复');
    expect(msg('人员', 4)).toContain('第 3 行');
    expect(msg('人员', 5)).toContain('abc');
    expect(msg('组织机构', 4)).toContain('no-parent');
    expect(f.problems.find((p) => p.message.includes('循环'))?.message).toContain('甲（第 2 行） → 乙（第 3 行） → 甲（第 2 行）');
    const after = await importOf([{ name: 'p.csv', bytes: csv([['用户名', '姓名', '组织编码'], ['deputy1', '王建国', 'zhangdian-delegation']]) }], true);
    expect(after.untouched).toBe(before.untouched);
  });

  it('names group members nobody has and a 服务代表 who is not a deputy', async () => {
    const book = await xlsx({
      分组: [['编码', '名称'], ['helpers', '联络员']],
      分组成员: [['分组编码', '用户名', '服务代表用户名'], ['helpers', 'ghost', ''], ['helpers', 'staff1', 'review1'], ['nogroup', 'staff1', '']],
    });
    const e = await refused(importOf([{ name: 'g.xlsx', bytes: book }]));
    const text = e.problems.map((p) => `${p.sheet}:${p.line}:${p.message}`).join('\n');
    expect(text).toMatch(/分组成员:2:.*ghost/);
    expect(text).toMatch(/分组成员:3:.*不是人大代表/);
    expect(text).toMatch(/分组成员:4:.*nogroup/);
  });

  it('refuses unknown and missing columns and sheets, naming them', async () => {
    const e = await refused(importOf([{ name: 'x.xlsx', bytes: await xlsx({ 人员: [['用户名', '姓名', '部门']], 杂项: [['a']] }) }]));
    const text = e.problems.map((p) => p.message).join('\n');
    expect(text).toContain('“部门”不是“人员”表的列');
    expect(text).toContain('组织编码');
    expect(text).toContain('工作表“杂项”');
  });

  it('reads a CSV by its header, with or without a BOM; a GBK file is told to be saved as UTF-8', async () => {
    const r = await importOf([{ name: 'export.csv', bytes: csv([ORG_HEAD, ['city-new', '新委员会', '专门委员会', 'city', '']], false) }], true);
    expect(r.result.orgs.created).toBe(1);
    const gbk = Buffer.from([0xd3, 0xc3, 0xbb, 0xa7, 0xc3, 0xfb, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0a]); // 用户名,姓名 in GBK
    const e = await refused(importOf([{ name: '人员.csv', bytes: gbk }]));
    expect(e.code).toBe('LVZ_DIR_IMPORT_FILE');
    expect(e.message).toContain('UTF-8');
    const utf16 = await refused(importOf([{ name: '人员.txt', bytes: Buffer.from('\ufeff用户名\t姓名\n', 'utf16le') }]));
    expect(utf16.message).toContain('UTF-16');
    // 分组 and 角色 share their header: the file name or --sheet says which.
    const both = csv([['编码', '名称', '说明'], ['x_role', '某角色', '']]);
    expect((await refused(importOf([{ name: 'export.csv', bytes: both }]))).problems[0]!.message).toContain('--sheet');
    expect((await importOf([{ name: 'export.csv', bytes: both, sheet: '角色' }], true)).result.roles.created).toBe(1);
    expect((await importOf([{ name: '角色.csv', bytes: both }], true)).result.roles.created).toBe(1);
  });

  it('refuses what is not a spreadsheet, each with its own message', async () => {
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(100, 7)]);
    const cases: [string, Buffer, string][] = [
      ['empty.xlsx', Buffer.alloc(0), '空文件'],
      ['photo.xlsx', png, '二进制'],
      ['notes.xlsx', Buffer.from('hello world'), '不是 Excel 工作簿'],
      ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), '.xls'],
      ['other.xlsx', zip('readme.txt', Buffer.from('hi'), { uncompressed: 2, method: 0 }), '不是 Excel 工作簿'],
    ];
    for (const [name, bytes, says] of cases) {
      const e = await refused(importOf([{ name, bytes }]));
      expect(e.code, name).toBe('LVZ_DIR_IMPORT_FILE');
      expect(e.message, name).toContain(says);
      expect(e.message, name).toContain(name);
    }
  });

  it('refuses a zip bomb from its directory alone, and a zip whose sizes lie at the cap', async () => {
    // The directory promises 150 MB: refused before a byte is inflated (the data is not even deflate).
    const bomb = zip('xl/worksheets/sheet1.xml', Buffer.alloc(2000, 0xff), { uncompressed: 150 * 1024 * 1024 });
    const e = await refused(importOf([{ name: 'bomb.xlsx', bytes: bomb }]));
    expect(e.code).toBe('LVZ_DIR_IMPORT_FILE');
    expect(e.message).toContain('未解压');
    // A ratio no spreadsheet has.
    const dense = zip('xl/sharedStrings.xml', deflatedZeros(8 * 1024 * 1024), { uncompressed: 8 * 1024 * 1024 });
    expect((await refused(importOf([{ name: 'dense.xlsx', bytes: dense }]))).message).toContain('压缩比');
    // Declares 1 KB, inflates to 4 MB: stopped at 1 KB.
    const liar = zip('xl/workbook.xml', deflatedZeros(4 * 1024 * 1024), { uncompressed: 4 * 1024 * 1024, declared: 1024 });
    expect((await refused(importOf([{ name: 'liar.xlsx', bytes: liar }]))).message).toContain('比目录记录的大');
  });

  it('refuses a file over 10 MB before reading it', async () => {
    const e = await refused(importOf([{ name: 'big.csv', bytes: Buffer.alloc(11 * 1024 * 1024, 0x61) }]));
    expect(e.code).toBe('LVZ_DIR_IMPORT_TOO_LARGE');
    expect(e.message).toContain('10 MB');
  });

  it('writes in one transaction: a failure midway leaves nothing', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => [`bulk${i}`, `代表${i}`, 'linzi-delegation', '人大代表']);
    const file = [{ name: '人员.csv', bytes: csv([['用户名', '姓名', '组织编码', '角色'], ...rows]) }];
    let writes = 0;
    await expect(h.engine.directoryImport.importFiles(null, file, {
      onProgress: (phase) => { if (phase === 'write' && ++writes === 2) throw new Error('磁盘掉线'); },
    })).rejects.toThrow('磁盘掉线');
    const check = await importOf(file, true);
    expect(check.result.people.created).toBe(1200);
  });

  it('keeps a district admin inside the district, and only admins import', async () => {
    const zd = await h.as('zhangdian-admin');
    const outside = csv([['用户名', '姓名', '组织编码', '角色'], ['li-new', '李新', 'linzi-delegation', '人大代表']]);
    const e = await refused(h.engine.directoryImport.importFiles(zd, [{ name: '人员.csv', bytes: outside }]));
    expect(e.code).toBe('LVZ_AUTH_FORBIDDEN');
    expect(e.message).toContain('张店区');
    const inside = csv([['用户名', '姓名', '组织编码', '角色'], ['zd-new', '赵新', 'zhangdian-delegation', '人大代表']]);
    expect((await h.engine.directoryImport.importFiles(zd, [{ name: '人员.csv', bytes: inside }])).result.people.created).toBe(1);
    const f = await refused(h.engine.directoryImport.importFiles(await h.as('deputy1'), [{ name: '人员.csv', bytes: inside }]));
    expect(f.code).toBe('LVZ_AUTH_FORBIDDEN');
  });

  it('the template reads back as a file with one example row per sheet', async () => {
    const t = await h.engine.directoryImport.template(null);
    expect(t.fileName).toMatch(/\.xlsx$/);
    const e = await refused(importOf([{ name: t.fileName, bytes: t.bytes }]));
    // Its example member is nobody in the demo directory: the only complaint.
    expect(e.problems.map((p) => p.sheet)).toEqual(['分组成员']);
  });
});

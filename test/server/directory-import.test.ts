// directory-import.test.ts: 通讯录 → 导入 over real HTTP: the template download, an upload with bad
// rows (422, every row listed, nothing stored), a good one (the check, 确认导入, the progress page,
// the summary with its audit rows), a replayed or forged confirm, a 40 MB upload, non-admins.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { csv, xlsx } from '../helpers/workbook.ts';

let s: TestServer;
let admin: Client;
beforeAll(async () => {
  s = await startServer({ start: '2026-12-02T01:00:00Z' });
  admin = await loginAs(s.base, 'admin');
}, 30_000);
afterAll(async () => { await s?.close(); });

function upload(bytes: Buffer, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return form;
}

async function waitApplied(c: Client, url: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const p = await c.get(url);
    if (!p.text.includes('正在导入')) return p.text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

const PEOPLE = [['用户名', '姓名', '组织编码', '角色', '手机'], ['web1', '网页一', 'city-office', '机关工作人员', '13800000011'], ['web2', '网页二', 'zhangdian-delegation', '人大代表', '']];

describe('通讯录 → 导入', () => {
  it('shows the page with the template link, and the template downloads as .xlsx', async () => {
    const page = await admin.get('/admin/directory/import');
    expect(page.status).toBe(200);
    expect(page.text).toContain('导入通讯录');
    expect(page.text).toContain('enctype="multipart/form-data"');
    const t = await admin.get('/admin/directory/import/template.xlsx');
    expect(t.status).toBe(200);
    expect(t.headers.get('content-type')).toContain('spreadsheetml');
    expect(t.headers.get('content-disposition')).toContain('.xlsx');
  });

  it('a file with bad rows comes back 422 with every row by sheet and line, nothing stored', async () => {
    await admin.get('/admin/directory/import');
    const bad = await xlsx({ 人员: [['用户名', '姓名', '组织编码', '角色'], ['x1', '甲', 'city-xyz', '机关工作人员'], ['x2', '乙', 'city-office', '巫师']] });
    const r = await admin.postMultipart('/admin/directory/import', upload(bad, '通讯录.xlsx'));
    expect(r.status).toBe(422);
    expect(r.text).toContain('2 处错误');
    expect(r.text).toContain('人员 第 2 行');
    expect(r.text).toContain('city-xyz');
    expect(r.text).toContain('人员 第 3 行');
    expect(r.text).toContain('巫师');
    const png = await admin.postMultipart('/admin/directory/import', upload(Buffer.from('\x89PNG\r\n\x1a\n\0\0', 'latin1'), 'photo.xlsx'));
    expect(png.status).toBe(400);
    expect(png.text).toContain('不是通讯录表格');
  });

  it('checks, then 确认导入 writes once; a replayed confirm and a second import change nothing', async () => {
    await admin.get('/admin/directory/import');
    const r = await admin.postMultipart('/admin/directory/import', upload(csv(PEOPLE), '人员.csv'));
    expect(r.status).toBe(303);
    const url = r.location!;
    expect(url).toMatch(/^\/admin\/directory\/import\/[0-9a-f-]{36}$/);
    const checked = await admin.get(url);
    expect(checked.text).toContain('检查通过');
    expect(checked.text).toContain('人员：新建 2 人，更新 0 人，0 人不变');
    expect(checked.text).toContain('确认导入');
    const confirm = await admin.post(`${url}/confirm`, {});
    expect(confirm.status).toBe(303);
    const done = await waitApplied(admin, url);
    expect(done).toContain('导入完成');
    expect(done).toContain('文件中没有的');
    expect(done).toContain('新增：网页一');
    // The same confirm posted again (a double click, a replay): nothing twice.
    const replay = await admin.post(`${url}/confirm`, {});
    expect(replay.status).toBe(303);
    expect((await admin.get(url)).text).toContain('导入完成');
    const second = await admin.postMultipart('/admin/directory/import', upload(csv(PEOPLE), '人员.csv'));
    expect((await admin.get(second.location!)).text).toContain('人员：新建 0 人，更新 0 人，2 人不变');
    // Another admin cannot see or confirm this admin's import.
    const other = await loginAs(s.base, 'zhangdian-admin');
    expect((await other.get(url)).status).toBe(404);
    await other.get('/admin/directory/import');
    expect((await other.post(`${second.location!}/confirm`, {})).status).toBe(404);
  });

  it('a district admin is refused rows outside the district; a non-admin is refused the page', async () => {
    const zd = await loginAs(s.base, 'zhangdian-admin');
    await zd.get('/admin/directory/import');
    const r = await zd.postMultipart('/admin/directory/import', upload(csv([['用户名', '姓名', '组织编码'], ['lz9', '某某', 'linzi-delegation']]), '人员.csv'));
    expect(r.status).toBe(403);
    expect(r.text).toContain('张店区');
    expect((await zd.get('/admin/directory/import')).text).toContain('您是张店区人大常委会的管理员');
    const deputy = await loginAs(s.base, 'deputy1');
    expect((await deputy.get('/admin/directory/import')).status).toBe(403);
    expect((await deputy.get('/admin/directory/import/template.xlsx')).status).toBe(403);
    await deputy.get('/inbox');
    expect((await deputy.postMultipart('/admin/directory/import', upload(csv(PEOPLE), '人员.csv'))).status).toBe(403);
  });

  it('a 40 MB upload is refused with 413 and a message, and one over 10 MB with the import limit', async () => {
    await admin.get('/admin/directory/import');
    const huge = await admin.postMultipart('/admin/directory/import', upload(Buffer.alloc(40 * 1024 * 1024, 0x61), 'big.csv'));
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('20 MB');
    await admin.get('/admin/directory/import');
    const big = await admin.postMultipart('/admin/directory/import', upload(Buffer.alloc(12 * 1024 * 1024, 0x61), 'big.csv'));
    expect(big.status).toBe(413);
    expect(big.text).toContain('10 MB');
  });
});

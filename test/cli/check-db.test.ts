// check-db.test.ts: `lvzhi check --db` checks the workflows against this install's directory (its
// people, groups and declared roles), not the demo one: a workflow that names a role declared at
// run time and a member group passes there, while the plain `check` refuses the undeclared role.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { lvzhiWith, ROOT } from '../helpers/cli.ts';
import { xlsx } from '../helpers/workbook.ts';

let place: TestDatabase;
let tmp: string;
beforeAll(async () => {
  place = await testDatabase(undefined, 'lvzhi-check-db-');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-check-db-files-'));
}, 30_000);
afterAll(async () => {
  await place?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ DATA_DIR: place.dataDir, DATABASE_URL: place.databaseUrl });
const FIXTURE = path.join(ROOT, 'test/fixtures/runtime/directory/liaison-case.yaml');

describe('lvzhi check --db', () => {
  it('knows the roles, people and groups of this install', async () => {
    const file = path.join(tmp, '通讯录.xlsx');
    fs.writeFileSync(file, await xlsx({
      角色: [['编码', '名称', '说明'], ['liaison', '民情联络员', '协助代表联系群众']],
      组织机构: [['编码', '名称', '类型', '上级编码'], ['city', '市人大常委会', '市人大常委会', ''], ['city-office', '办公室', '办公室', 'city'],
        ['zhangdian', '张店区人大常委会', '区县人大常委会', 'city'], ['zhangdian-office', '张店区人大办公室', '办公室', 'zhangdian'],
        ['zhangdian-delegation', '张店区代表团', '代表团', 'zhangdian']],
      人员: [['用户名', '姓名', '组织编码', '角色', '代表层级'], ['staff1', '郑晓东', 'city-office', '机关工作人员', ''], ['zd-staff', '田园', 'zhangdian-office', '机关工作人员', ''],
        ['wangjg', '王建国', 'zhangdian-delegation', '人大代表', '市'], ['gaowen', '高文', 'zhangdian-office', '民情联络员', ''], ['leader1', '赵志刚', 'city', 'leader', '']],
      分组: [['编码', '名称'], ['liaisons', '民情联络员'], ['readers', '传阅人员']],
      分组成员: [['分组编码', '用户名', '服务代表用户名'], ['liaisons', 'gaowen', 'wangjg'], ['readers', 'leader1', '']],
    }));
    const imported = await lvzhiWith({ env: env() }, 'directory', 'import', file);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);

    const plain = await lvzhiWith({ env: env() }, 'check', FIXTURE);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('LVZ_DSL_UNDECLARED_ROLE');

    const installed = await lvzhiWith({ env: env() }, 'check', '--db', FIXTURE);
    expect(installed.stderr).not.toContain('LVZ_DSL_UNDECLARED_ROLE');
    expect(installed.stdout).toContain('通讯录：');
    expect(installed.stdout).toContain('另声明角色 1 个');
    expect(installed.code, installed.stderr).toBe(0);
  }, 60_000);
});

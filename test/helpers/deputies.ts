// deputies.ts: a directory of thousands for the pickers' tests: the demo's 14 deputies plus enough
// more (in 30 delegations) to make 6,007, with a second 张伟 and a name that looks like HTML.

import { openDb } from '../../engine/store/db.ts';
import { getUser, insertOrgs, insertUsers } from '../../engine/store/directory.ts';
import type { TestServer } from './http.ts';

export const DEPUTY_TOTAL = 6007;
const DEMO_DEPUTIES = 14;
const DISTRICTS = ['淄川区', '博山区', '周村区', '桓台县', '高青县', '沂源县', '张店区', '临淄区', '高新区', '经开区'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'.split('');
const GIVEN = ['建华', '秀兰', '志强', '海燕', '国庆', '丽娟', '春生', '红霞', '德明', '玉梅', '文博', '晓东', '桂芳', '永刚', '淑珍', '立新', '佳怡', '子轩', '明辉', '雪梅', '振华', '凤英', '浩然', '静怡'];

/** A second 张伟 (the demo's deputy3 is 张店区代表团's): in 淄川区第1代表小组, username `zhangwei-zc`. */
export const SECOND_ZHANGWEI = { id: 'zhangwei-zc', unit: '淄川区第1代表小组' };
/** A deputy whose name is markup: pages and the picker must show it as text. */
export const HTML_NAME = { id: 'html-name', name: '<b>梁</b>测试', unit: '博山区第1代表小组' };

/** Adds deputies until there are DEPUTY_TOTAL, then moves the clock on so the directory cache reloads. */
export async function seedDeputies(s: TestServer): Promise<void> {
  const db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  try {
    const hash = (await getUser(db, 'deputy1'))!.passwordHash;
    const units = Array.from({ length: 30 }, (_, i) => ({ id: `big-unit-${i}`, name: `${DISTRICTS[i % DISTRICTS.length]}第${Math.floor(i / DISTRICTS.length) + 1}代表小组`, kind: 'delegation' as const, parentId: 'city' }));
    await insertOrgs(db, units);
    const users = Array.from({ length: DEPUTY_TOTAL - DEMO_DEPUTIES - 2 }, (_, i) => ({
      id: `dep${String(i).padStart(4, '0')}`, name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`,
      orgId: units[i % units.length]!.id, roles: ['deputy' as const], passwordHash: hash,
    }));
    users.push({ id: SECOND_ZHANGWEI.id, name: '张伟', orgId: 'big-unit-0', roles: ['deputy'], passwordHash: hash });
    users.push({ id: HTML_NAME.id, name: HTML_NAME.name, orgId: 'big-unit-1', roles: ['deputy'], passwordHash: hash });
    await insertUsers(db, users, s.clock.now);
  } finally {
    await db.destroy();
  }
  // The directory choices are cached for 30 s of the engine's clock.
  s.clock.now = new Date(s.clock.now.getTime() + 60_000);
}

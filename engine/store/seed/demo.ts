// demo.ts: the demo organisation tree and one account for every role, created on first start in demo mode.

import type { Db } from '../db.ts';
import { countUsers, insertOrgs, insertUsers, listOrgs } from '../directory.ts';
import type { NewOrg, NewUser } from '../types.ts';
import type { Role } from '../../runtime/types.ts';
import { hashPassword } from '../../auth/password.ts';

/** The password of every demo account; it is printed on the login page in demo mode. */
export const DEMO_PASSWORD = 'lvzhi2026';

const UNITS: [suffix: string, name: string, person: string][] = [
  ['fgw', '市发展和改革委员会', '刘洋'],
  ['jyj', '市教育局', '陈静'],
  ['gaj', '市公安局', '韩磊'],
  ['mzj', '市民政局', '高雪梅'],
  ['czj', '市财政局', '郭建平'],
  ['rsj', '市人力资源和社会保障局', '林晓燕'],
  ['zrzyj', '市自然资源和规划局', '何文斌'],
  ['sthjj', '市生态环境局', '罗丹'],
  ['zjj', '市住房和城乡建设局', '梁国栋'],
  ['jtj', '市交通运输局', '宋佳'],
  ['wjw', '市卫生健康委员会', '唐慧'],
  ['cgj', '市城市管理局', '许亮'],
];

export const DEMO_ORGS: NewOrg[] = [
  { id: 'city', name: '市人大常委会', kind: 'standing_committee', parentId: null },
  { id: 'city-office', name: '办公室', kind: 'office', parentId: 'city' },
  { id: 'city-xlw', name: '代表工作委员会（选举任免联络工作委员会）', kind: 'office', parentId: 'city' },
  { id: 'city-fzw', name: '法制工作委员会', kind: 'office', parentId: 'city' },
  { id: 'city-cjw', name: '财政经济委员会', kind: 'committee', parentId: 'city' },
  { id: 'city-jkww', name: '教育科学文化卫生委员会', kind: 'committee', parentId: 'city' },
  { id: 'city-chw', name: '城乡建设环境保护委员会', kind: 'committee', parentId: 'city' },
  { id: 'city-jsw', name: '监察和司法委员会', kind: 'committee', parentId: 'city' },
  { id: 'city-presidium', name: '主席团', kind: 'office', parentId: 'city' },
  { id: 'zhangdian', name: '张店区人大常委会', kind: 'district', parentId: 'city' },
  { id: 'zhangdian-chezhan', name: '车站街道人大工委', kind: 'town', parentId: 'zhangdian' },
  { id: 'zhangdian-mashang', name: '马尚街道人大工委', kind: 'town', parentId: 'zhangdian' },
  { id: 'zhangdian-delegation', name: '张店区代表团', kind: 'delegation', parentId: 'zhangdian' },
  { id: 'linzi', name: '临淄区人大常委会', kind: 'district', parentId: 'city' },
  { id: 'linzi-xindian', name: '辛店街道人大工委', kind: 'town', parentId: 'linzi' },
  { id: 'linzi-qidu', name: '齐都镇人大主席团', kind: 'town', parentId: 'linzi' },
  { id: 'linzi-delegation', name: '临淄区代表团', kind: 'delegation', parentId: 'linzi' },
  // The government is not part of the congress tree: a second root holding the handling units.
  { id: 'city-gov', name: '市人民政府', kind: 'office', parentId: null },
  ...UNITS.map(([suffix, name]): NewOrg => ({ id: `city-${suffix}`, name, kind: 'unit', parentId: 'city-gov' })),
];

const DEPUTY_NAMES = [
  '王建国', '李秀英', '张伟', '刘芳', '陈军', '杨丽', '黄海涛', '赵敏华',
  '周强', '吴桂兰', '徐志明', '孙红梅', '马德胜', '朱玉珍',
];

type DemoUser = Omit<NewUser, 'passwordHash'>;

const user = (id: string, name: string, role: Role, orgId: string): DemoUser => ({ id, name, roles: [role], orgId });

/** Every demo account, in the order the login page lists them after the main ones. */
export const DEMO_USERS: DemoUser[] = [
  user('admin', '系统管理员', 'admin', 'city-office'),
  ...DEPUTY_NAMES.map((name, i) => user(`deputy${i + 1}`, name, 'deputy', i % 2 === 0 ? 'zhangdian-delegation' : 'linzi-delegation')),
  user('review1', '张敏', 'review_office', 'city-xlw'),
  ...UNITS.map(([suffix, , person]) => user(`${suffix}1`, person, 'handling_unit', `city-${suffix}`)),
  user('leader1', '赵志刚', 'leader', 'city'),
  user('presidium1', '孙立', 'presidium', 'city-presidium'),
  user('cjw1', '周婷', 'committee', 'city-cjw'),
  user('jkww1', '冯晓光', 'committee', 'city-jkww'),
  user('chw1', '曹永胜', 'committee', 'city-chw'),
  user('jsw1', '彭丽娟', 'committee', 'city-jsw'),
  user('staff1', '郑晓东', 'staff', 'city-office'),
  user('zhangdian-admin', '董海燕', 'admin', 'zhangdian'),
  user('linzi-admin', '蒋立新', 'admin', 'linzi'),
];

/** The one account per role the login page shows first. */
export const MAIN_ACCOUNTS = ['deputy1', 'review1', 'fgw1', 'jyj1', 'cjw1', 'presidium1', 'leader1', 'staff1', 'admin'];

// One hash for all demo accounts: they share a published password anyway, and hashing forty
// times with scrypt would make every test that seeds a fresh database a few seconds slower.
let demoHash: Promise<string> | undefined;

/** Creates the demo directory unless the database already has users; returns whether it did. */
export async function seedDemo(db: Db, now: Date): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  demoHash ??= hashPassword(DEMO_PASSWORD);
  const passwordHash = await demoHash;
  try {
    await db.transaction(async (trx) => {
      if ((await countUsers(trx)) > 0) return;
      const existing = new Set((await listOrgs(trx)).map((o) => o.id));
      await insertOrgs(trx, DEMO_ORGS.map((o, i) => ({ ...o, sort: i })).filter((o) => !existing.has(o.id)));
      await insertUsers(trx, DEMO_USERS.map((u) => ({ ...u, passwordHash, isDemo: true })), now);
    });
  } catch (e) {
    // Two servers starting together on one PostgreSQL: the loser finds the winner's rows.
    if ((await countUsers(db)) > 0) return false;
    throw e;
  }
  return (await countUsers(db)) > 0;
}

export interface DemoAccount {
  username: string;
  password: string;
  name: string;
  /** Role ids; the runtime shows their labels (directory/roles.yaml). */
  roles: string[];
  /** Organisation name. */
  org: string;
  /** The main account of its role, listed first. */
  isMain: boolean;
}

/** The demo accounts the login page lists: the main one per role first, then the rest. */
export async function demoAccounts(db: Db): Promise<DemoAccount[]> {
  const rows = await db('users as u').leftJoin('orgs as o', 'o.id', 'u.org_id')
    .where('u.is_demo', true).select('u.id', 'u.name', 'u.roles', 'o.name as org_name');
  const rank = (id: string): number => {
    const main = MAIN_ACCOUNTS.indexOf(id);
    if (main >= 0) return main;
    const listed = DEMO_USERS.findIndex((u) => u.id === id);
    return MAIN_ACCOUNTS.length + (listed >= 0 ? listed : DEMO_USERS.length);
  };
  return rows
    .map((r: Record<string, unknown>): DemoAccount => {
      const roles = JSON.parse(String(r.roles)) as Role[];
      const id = String(r.id);
      return {
        username: id, password: DEMO_PASSWORD, name: String(r.name),
        roles, // labelled by the runtime, from directory/roles.yaml
        org: r.org_name == null ? '' : String(r.org_name), isMain: MAIN_ACCOUNTS.includes(id),
      };
    })
    .sort((a, b) => rank(a.username) - rank(b.username) || a.username.localeCompare(b.username));
}

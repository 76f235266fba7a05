// first-admin.ts: `lvzhi admin create` and `lvzhi admin reset-password`: the first administrator
// of a production install (with a root organisation when the directory is empty), and a way back
// in for an operator who forgot or locked their password. Run on the server, never over HTTP.

import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { hashPassword } from '../auth/password.ts';
import { ADMIN_ROLE } from '../dsl/roles.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { deleteUserSessions, getUser, insertOrgs, insertUsers, listOrgs, listUsers, setPasswordHash } from '../store/directory.ts';
import { installMode, markOnce } from '../store/install-marks.ts';
import { recordChanges } from '../store/directory-data.ts';
import { forgetLoginName } from '../store/login-failures.ts';
import type { OrgRow } from '../store/types.ts';
import { CITY, orgTree } from './authoring/access.ts';

/** Letters, digits, `.`, `_`, `-`; what a login form and a URL carry without surprises. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

export interface NewAdmin {
  username: string;
  password: string;
  /** The person's name (default: the user name). */
  name?: string;
  /** The admin's org, by id or name; in an empty directory the name of the office created. */
  org?: string;
  /** The root org's name when the directory is empty (default 市人大常委会). */
  rootOrg?: string;
  /** Mark the database as a rehearsal install rather than a production one. */
  rehearsal?: boolean;
  now: Date;
}

export interface CreatedAdmin {
  username: string;
  name: string;
  orgPath: string;
  /** Undefined for a city administrator. */
  district?: string;
  createdOrgs: string[];
  mode: 'production' | 'rehearsal';
}

export function ensureUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new LvzError('LVZ_AUTH_BAD_USERNAME', `用户名“${username}”不可用：请用 2–40 个英文字母、数字、点、下划线或连字符，以字母或数字开头（例如 zhangsan）`, {});
  }
}

export function ensurePassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new LvzError('LVZ_AUTH_WEAK_PASSWORD', problem, {});
}

/** The org the admin belongs to: the one named, or a new 市人大常委会 / 办公室 when there is none. */
async function adminOrg(trx: Knex, input: NewAdmin): Promise<{ org: OrgRow; created: string[] }> {
  const orgs = await listOrgs(trx);
  if (orgs.length === 0) {
    const root = { id: CITY, name: input.rootOrg?.trim() || '市人大常委会', kind: 'standing_committee' as const, parentId: null };
    const office = { id: `${CITY}-office`, name: input.org?.trim() || '办公室', kind: 'office' as const, parentId: CITY };
    await insertOrgs(trx, [root, office]);
    return { org: { ...office, sort: 1, disabled: false }, created: [root.name, `${root.name} / ${office.name}`] };
  }
  const wanted = input.org?.trim();
  const found = wanted
    ? orgs.filter((o) => o.id === wanted || o.name === wanted)
    : orgs.filter((o) => o.id === `${CITY}-office`).concat(orgs.filter((o) => o.parentId === null && o.kind !== 'district'));
  if (found.length === 0 || (wanted && found.length > 1)) {
    const what = found.length === 0 ? `没有名为“${wanted ?? ''}”的组织` : `有 ${found.length} 个组织名为“${wanted}”`;
    throw new LvzError('LVZ_AUTH_BAD_USERNAME', `${what}：请用 --org 写组织的编号（如 ${orgs.slice(0, 3).map((o) => o.id).join('、')}）`, {});
  }
  return { org: found[0]!, created: [] };
}

/** LVZ_AUTH_USER_EXISTS when the name is taken (asked before the password, so nobody types it in vain). */
export async function ensureNewUsername(db: Knex, username: string): Promise<void> {
  ensureUsername(username);
  if (await getUser(db, username)) {
    throw new LvzError('LVZ_AUTH_USER_EXISTS', `用户名“${username}”已经存在，未做任何修改：换一个用户名，或用 npx lvzhi admin reset-password ${username} 重设其密码`, {});
  }
}

export async function createAdmin(db: Knex, input: NewAdmin): Promise<CreatedAdmin> {
  ensureUsername(input.username);
  ensurePassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (trx) => {
    await ensureNewUsername(trx, input.username);
    const wantMode = input.rehearsal ? 'rehearsal' : 'production';
    const mode = await installMode(trx);
    if (mode === 'production' && input.rehearsal) throw productionDatabase();
    const { org, created } = await adminOrg(trx, input);
    const name = input.name?.trim() || input.username;
    await insertUsers(trx, [{ id: input.username, name, orgId: org.id, roles: [ADMIN_ROLE], passwordHash, isDemo: false }], input.now);
    const marked = await markOnce(trx, 'mode', wantMode, input.now);
    const tree = await orgTree(trx);
    const district = tree.districtOf(org.id);
    const orgPath = org.parentId ? `${tree.name(org.parentId)} / ${org.name}` : org.name;
    return { username: input.username, name, orgPath, ...(district && { district: tree.name(district) }), createdOrgs: created, mode: marked as CreatedAdmin['mode'] };
  });
}

/**
 * Sets a new password, lifts the login lock on the name and ends the user's sessions. The password
 * is a temporary one, as an administrator's reset on the 通讯录 page: the user must choose their own
 * at the next login (the operator who typed it knows it). The change is kept in 修改记录 (命令行).
 */
export async function resetPassword(db: Knex, input: { username: string; password: string; now: Date }): Promise<{ name: string; wasLocked: boolean }> {
  ensurePassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (trx) => {
    const user = await getUser(trx, input.username);
    if (!user) throw new LvzError('LVZ_AUTH_NO_SUCH_USER', `没有用户名为“${input.username}”的账号，未做任何修改：请检查拼写；还没有管理员时用 npx lvzhi admin create <用户名> 创建`, {});
    await setPasswordHash(trx, user.id, passwordHash, true);
    await recordChanges(trx, [{
      actorId: null, actorName: '命令行', source: 'cli', entity: 'user', entityId: user.id, action: 'reset_password', summary: '重置密码（下次登录须修改）',
    }], input.now);
    const wasLocked = await forgetLoginName(trx, input.username);
    await deleteUserSessions(trx, user.id);
    return { name: user.name, wasLocked };
  });
}

/** True while no account holds the admin role (a fresh production install). */
export async function needsFirstAdmin(db: Knex): Promise<boolean> {
  return (await listUsers(db, { role: ADMIN_ROLE })).length === 0;
}

export function productionDatabase(): LvzError {
  return new LvzError('LVZ_RUN_PRODUCTION_DB',
    '这个数据库是正式环境（已用 npx lvzhi admin create 创建管理员或已有正式账号），不能以演练模式运行：演练请用新的 DATA_DIR 或 DATABASE_URL，并用 npx lvzhi admin create --rehearsal 创建演练管理员；正式运行请去掉 LVZHI_REHEARSAL_START', {});
}

/** The hint shown on the login page and printed by `lvzhi serve` while there is no administrator. */
export const FIRST_ADMIN_HINT = '尚未创建管理员账号：请在服务器上运行 npx lvzhi admin create <用户名>（见 docs/deploy.md）';

/**
 * needsFirstAdmin for the login page, asked of the database until an admin exists and never
 * again after (an install does not lose its last admin: part of the directory's rules).
 */
export function firstAdminProbe(db: Knex): () => Promise<boolean> {
  let found = false;
  return async () => {
    if (found) return false;
    found = !(await needsFirstAdmin(db));
    return !found;
  };
}

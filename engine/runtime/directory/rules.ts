// rules.ts: what every directory write must satisfy, whether it comes from an import row or a
// 通讯录 form: pure checks over the merged state (what is stored with the change applied), each
// problem naming the row it came from. changes.ts runs them before it writes anything.

import { DEPUTY_LEVELS, DEPUTY_LEVEL_LABELS, type DeputyLevel, type OrgRow } from '../../store/types.ts';
import type { OrgFields, UserFields } from '../../store/directory-data.ts';
import type { RoleSet } from '../../dsl/roles.ts';
import { ADMIN_ROLE } from '../../dsl/roles.ts';

/** Where a record came from: an import's sheet and line, or nothing for a form. */
export interface RowAt {
  sheet: string;
  line: number;
}

export interface Problem {
  at?: RowAt;
  message: string;
}

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;
export const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const GROUP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const PHONE = /^[0-9+\-() ]{3,32}$/;

export const ORG_KINDS: Record<OrgRow['kind'], string> = {
  standing_committee: '市人大常委会',
  district: '区县人大常委会',
  town: '乡镇人大',
  office: '办公室',
  committee: '专门委员会',
  unit: '政府部门',
  delegation: '代表团',
};

export const where = (at: RowAt | undefined): string => (at ? `${at.sheet} 第 ${at.line} 行：` : '');

/** The org tree after the change: every parent exists, and following parents never comes back. */
export function checkOrgTree(orgs: Map<string, OrgFields & { at?: RowAt }>, touched: Set<string> = new Set(orgs.keys())): Problem[] {
  const out: Problem[] = [];
  for (const [id, o] of orgs) {
    if (!touched.has(id)) continue;
    if (!ORG_ID.test(id)) out.push({ at: o.at, message: `${where(o.at)}组织编码“${id}”不可用：请用英文字母、数字、点、下划线或连字符（例如 city-fgw）` });
    if (!o.name.trim()) out.push({ at: o.at, message: `${where(o.at)}组织“${id}”没有名称：请填写名称` });
    if (!(o.kind in ORG_KINDS)) out.push({ at: o.at, message: `${where(o.at)}组织“${o.name}”的类型“${o.kind}”不认识：可用的类型有 ${Object.values(ORG_KINDS).join('、')}` });
    if (o.parentId !== null && !orgs.has(o.parentId)) {
      out.push({ at: o.at, message: `${where(o.at)}组织“${o.name}”的上级编码“${o.parentId}”不存在：请先在组织机构中列出上级，或更正编码` });
    }
  }
  const reported = new Set<string>();
  for (const start of orgs.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    for (let at: string | null = start; at !== null && orgs.has(at); at = orgs.get(at)!.parentId) {
      if (onPath.has(at)) {
        const cycle = path.slice(path.indexOf(at));
        const key = [...cycle].sort().join('|');
        if (!reported.has(key)) {
          reported.add(key);
          const first = orgs.get(cycle[0]!)!;
          out.push({ at: first.at, message: `${where(first.at)}组织机构的上下级形成了循环：${[...cycle, at].map((id) => { const o = orgs.get(id)!; return o.at ? `${o.name}（第 ${o.at.line} 行）` : o.name; }).join(' → ')}：请更正其中一个的上级编码` });
        }
        break;
      }
      onPath.add(at);
      path.push(at);
    }
  }
  return out;
}

export interface PersonContext {
  orgs: Map<string, { name: string; disabled: boolean }>;
  roles: RoleSet;
}

/** One person after the change: a usable username, a live org, declared roles, a valid level and phone. */
export function checkPerson(id: string, u: UserFields & { at?: RowAt }, ctx: PersonContext): Problem[] {
  const out: Problem[] = [];
  const at = where(u.at);
  if (!USERNAME.test(id)) out.push({ at: u.at, message: `${at}用户名“${id}”不可用：请用 2–40 个英文字母、数字、点、下划线或连字符，以字母或数字开头` });
  if (!u.name.trim()) out.push({ at: u.at, message: `${at}用户“${id}”没有姓名：请填写姓名` });
  if (u.name.length > 100) out.push({ at: u.at, message: `${at}用户“${id}”的姓名超过 100 个字：请缩短` });
  const org = ctx.orgs.get(u.orgId);
  if (!org) out.push({ at: u.at, message: `${at}用户“${u.name}”的组织编码“${u.orgId}”不存在：请更正编码，或先在组织机构中添加该组织` });
  else if (org.disabled && !u.disabled) out.push({ at: u.at, message: `${at}组织“${org.name}”已停用，不能再有在用人员：请把“${u.name}”移到另一个组织，或先启用该组织` });
  const undeclared = u.roles.filter((r) => !ctx.roles.has(r));
  if (undeclared.length > 0) {
    out.push({ at: u.at, message: `${at}用户“${u.name}”的角色 ${undeclared.map((r) => `“${r}”`).join('、')} 没有声明：已声明的角色有 ${ctx.roles.summary()}；请先在“角色”中声明，或更正` });
  }
  if (u.deputyLevel !== null && !(DEPUTY_LEVELS as readonly string[]).includes(u.deputyLevel)) {
    out.push({ at: u.at, message: `${at}用户“${u.name}”的代表层级“${u.deputyLevel}”不认识：请填 ${Object.values(DEPUTY_LEVEL_LABELS).join('、')} 之一` });
  }
  if (u.phone !== null && !PHONE.test(u.phone)) out.push({ at: u.at, message: `${at}用户“${u.name}”的手机号“${u.phone}”格式不对：只能有数字、空格、+、- 和括号` });
  return out;
}

/** 全国/省/市/县/乡 (or the id) -> the level id; undefined when it is neither. */
export function deputyLevelOf(text: string): DeputyLevel | undefined {
  const t = text.trim().replace(/(人大)?代表$/, '').replace(/级$/, '');
  if ((DEPUTY_LEVELS as readonly string[]).includes(t)) return t as DeputyLevel;
  const found = Object.entries(DEPUTY_LEVEL_LABELS).find(([, label]) => label === t || `${label}级` === t);
  return found ? (found[0] as DeputyLevel) : undefined;
}

/** The active administrators of the city (an org under no district) after the change. */
export function cityAdmins(
  users: Iterable<[string, Pick<UserFields, 'roles' | 'disabled' | 'orgId'>]>,
  districtOf: (orgId: string) => string | undefined,
): string[] {
  const out: string[] = [];
  for (const [id, u] of users) if (!u.disabled && u.roles.includes(ADMIN_ROLE) && districtOf(u.orgId) === undefined) out.push(id);
  return out;
}

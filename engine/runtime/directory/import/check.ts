// check.ts: every rule that needs more than one row or the stored directory, over the whole file
// before anything is written: duplicate keys (both lines named), unknown orgs, parents and roles,
// a cycle in the org tree (its rows named), group members nobody knows, a 服务代表 who is no
// deputy, and a district admin's rows outside their district. It collects every problem.

import { DEPUTY_ROLE_ID, finalTree, type FinalTree } from './final-tree.ts';
import type { ImportProblem, ImportRecords, ImportScope, RowPlace, StoredDirectory } from './types.ts';

const lineOf = (at: RowPlace): string => `${at.sheet} 第 ${at.line} 行`;

/** A problem per key that two rows share, naming both lines. */
function duplicates<T extends { at: RowPlace }>(rows: T[], key: (r: T) => string, what: (r: T) => string, noun: string, out: ImportProblem[]): void {
  const first = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const prev = first.get(k);
    if (prev) out.push({ ...r.at, message: `${what(r)}与${lineOf(prev.at)}重复：${noun}只能出现一次，请删去或改正其中一行` });
    else first.set(k, r);
  }
}

/** Role ids by id and by label: a 角色 cell may hold either. */
function roleIndex(records: ImportRecords, stored: StoredDirectory): Map<string, string> {
  const byWord = new Map<string, string>();
  for (const r of [...stored.roles.values(), ...records.roles]) {
    byWord.set(r.id, r.id);
    byWord.set(r.label, r.id);
  }
  return byWord;
}

function checkRoles(records: ImportRecords, stored: StoredDirectory, scope: ImportScope, out: ImportProblem[]): void {
  duplicates(records.roles, (r) => r.id, (r) => `角色编码“${r.id}”`, '每个角色编码', out);
  duplicates(records.roles, (r) => r.label, (r) => `角色名称“${r.label}”`, '每个角色名称', out);
  for (const r of records.roles) {
    const s = stored.roles.get(r.id);
    if (scope.district) out.push({ ...r.at, message: `角色全市通用，只有市级管理员可以声明：请删去“角色”表，或请市人大常委会的管理员导入` });
    else if (s?.shipped && (s.label !== r.label || (r.description && s.description !== r.description))) {
      out.push({ ...r.at, message: `角色“${r.id}”已在 directory/roles.yaml 中声明为“${s.label}”，导入不能修改它：请删去这一行，或改在 roles.yaml 中修改` });
    }
    const clash = [...stored.roles.values()].find((x) => x.label === r.label && x.id !== r.id);
    if (clash) out.push({ ...r.at, message: `角色名称“${r.label}”已被角色“${clash.id}”使用：请换一个名称` });
  }
}

function checkOrgs(records: ImportRecords, stored: StoredDirectory, tree: FinalTree, scope: ImportScope, out: ImportProblem[]): void {
  duplicates(records.orgs, (o) => o.id, (o) => `组织编码“${o.id}”`, '每个组织编码', out);
  for (const o of records.orgs) {
    if (o.parentId && !tree.has(o.parentId)) {
      out.push({ ...o.at, message: `上级编码“${o.parentId}”不存在：请先在“组织机构”表中添加这个上级组织，或改为已有组织的编码` });
    } else if (o.parentId === o.id) {
      out.push({ ...o.at, message: `组织“${o.name}”的上级编码是它自己：请改为它的上级组织的编码` });
    }
    const d = scope.district;
    if (d && (tree.districtOf(o.id) !== d.id || (stored.orgs.has(o.id) && tree.storedDistrictOf(o.id) !== d.id))) {
      out.push({ ...o.at, message: `组织“${o.name}”（${o.id}）不在${d.name}内：您是${d.name}的管理员，只能导入本区的组织；请删去这一行，或请市人大常委会的管理员导入` });
    }
  }
  for (const cycle of tree.cycles()) {
    const rows = cycle.map((id) => records.orgs.find((o) => o.id === id)).filter((o) => o !== undefined);
    const at = rows[0]?.at ?? { sheet: '组织机构', line: 0 };
    out.push({ ...at, message: `组织机构的上级关系形成了循环（${[...cycle, cycle[0]].join(' → ')}，${rows.map((r) => `第 ${r.at.line} 行`).join('、')}）：请改正其中一行的上级编码` });
  }
}

function checkPeople(records: ImportRecords, stored: StoredDirectory, tree: FinalTree, scope: ImportScope, roles: Map<string, string>, out: ImportProblem[]): void {
  duplicates(records.people, (p) => p.id.toLowerCase(), (p) => `用户名“${p.id}”`, '每个用户名（不分大小写）', out);
  const declared = [...new Map([...stored.roles.values(), ...records.roles].map((r) => [r.id, `${r.label}（${r.id}）`])).values()].join('、');
  for (const p of records.people) {
    const org = tree.get(p.orgId);
    if (!org) out.push({ ...p.at, message: `组织编码“${p.orgId}”不存在：请先在“组织机构”表中添加，或改为已有组织的编码` });
    else if (org.disabled && p.disabled !== true) out.push({ ...p.at, message: `组织“${org.name}”（${p.orgId}）已停用：请把这个人放到在用的组织，或先启用该组织` });
    const unknown = p.roles.filter((r) => !roles.has(r));
    if (unknown.length > 0) {
      out.push({ ...p.at, message: `角色“${unknown.join('”“')}”没有声明：已声明的角色有 ${declared}；新角色请先在“角色”表中声明` });
    }
    const d = scope.district;
    const was = stored.users.get(p.id);
    if (d && org && (tree.districtOf(p.orgId) !== d.id || (was && tree.storedDistrictOf(was.orgId) !== d.id))) {
      out.push({ ...p.at, message: `${p.name}（${p.id}）${was && tree.storedDistrictOf(was.orgId) !== d.id ? '现在' : ''}不在${d.name}内：您是${d.name}的管理员，只能导入本区的人员；请删去这一行，或请市人大常委会的管理员导入` });
    }
  }
}

function checkGroups(records: ImportRecords, stored: StoredDirectory, tree: FinalTree, scope: ImportScope, roles: Map<string, string>, out: ImportProblem[]): void {
  duplicates(records.groups, (g) => g.id, (g) => `分组编码“${g.id}”`, '每个分组编码', out);
  duplicates(records.members, (m) => `${m.groupId}\u0000${m.userId}`, (m) => `分组“${m.groupId}”的成员“${m.userId}”`, '同一分组的每名成员', out);
  const d = scope.district;
  const groupIds = new Set([...stored.groups.keys(), ...records.groups.map((g) => g.id)]);
  for (const g of records.groups) {
    const owner = stored.groups.get(g.id)?.ownerOrg ?? null;
    if (d && stored.groups.has(g.id) && owner !== d.id) {
      out.push({ ...g.at, message: `分组“${g.name}”（${g.id}）不属于${d.name}：您只能导入本区的分组；请换一个编码，或请市人大常委会的管理员导入` });
    }
  }
  const people = new Map(records.people.map((p) => [p.id, p]));
  const rolesOf = (id: string): string[] | undefined => {
    const p = people.get(id);
    return p ? p.roles.map((r) => roles.get(r) ?? r) : stored.users.get(id)?.roles;
  };
  for (const m of records.members) {
    if (!groupIds.has(m.groupId)) out.push({ ...m.at, message: `分组编码“${m.groupId}”不存在：请先在“分组”表中添加这个分组，或改为已有分组的编码` });
    else if (d && stored.groups.has(m.groupId) && stored.groups.get(m.groupId)!.ownerOrg !== d.id) {
      out.push({ ...m.at, message: `分组“${m.groupId}”不属于${d.name}：您只能导入本区分组的成员` });
    }
    if (!rolesOf(m.userId)) out.push({ ...m.at, message: `用户名“${m.userId}”不在“人员”表中，系统中也没有这个人：请先在“人员”表中添加，或改为已有人员的用户名` });
    else if (d && tree.districtOf(people.get(m.userId)?.orgId ?? stored.users.get(m.userId)!.orgId) !== d.id) {
      out.push({ ...m.at, message: `“${m.userId}”不在${d.name}内：您只能把本区的人员加入分组` });
    }
    if (m.worksFor) {
      const r = rolesOf(m.worksFor);
      if (!r) out.push({ ...m.at, message: `服务代表用户名“${m.worksFor}”不在“人员”表中，系统中也没有这个人：请改为代表的用户名，或留空` });
      else if (!r.includes(DEPUTY_ROLE_ID)) out.push({ ...m.at, message: `服务代表“${m.worksFor}”不是人大代表（没有“人大代表”角色）：请改为代表的用户名，或留空` });
      else if (m.worksFor === m.userId) out.push({ ...m.at, message: `成员“${m.userId}”的服务代表是他自己：请改为他服务的代表，或留空` });
    }
  }
}

/** Every problem of the file against the stored directory; an empty list means it may be applied. */
export function checkRecords(records: ImportRecords, stored: StoredDirectory, scope: ImportScope): ImportProblem[] {
  const out = [...records.problems];
  const roles = roleIndex(records, stored);
  const tree = finalTree(records, stored);
  checkRoles(records, stored, scope, out);
  checkOrgs(records, stored, tree, scope, out);
  checkPeople(records, stored, tree, scope, roles, out);
  checkGroups(records, stored, tree, scope, roles, out);
  if (records.orgs.length + records.people.length + records.groups.length + records.members.length + records.roles.length === 0 && out.length === 0) {
    out.push({ sheet: '', line: 0, message: '文件中没有可导入的行：请在“组织机构”“人员”等表的表头下填写数据（可下载模板参考）' });
  }
  const order = new Map(['', '角色', '组织机构', '人员', '分组', '分组成员'].map((s, i) => [s, i]));
  return out.sort((a, b) => (order.get(a.sheet) ?? 9) - (order.get(b.sheet) ?? 9) || a.line - b.line);
}

/** 人员 第 12 行：… — the line a problem prints as, in the CLI and on the page. */
export function formatProblem(p: ImportProblem): string {
  return p.line > 0 ? `${p.sheet} 第 ${p.line} 行：${p.message}` : p.sheet ? `${p.sheet}：${p.message}` : p.message;
}

/** The role ids of a person's 角色 cell (ids or labels), once all are known to be declared. */
export function resolveRoles(records: ImportRecords, stored: StoredDirectory): (words: string[]) => string[] {
  const roles = roleIndex(records, stored);
  return (words) => [...new Set(words.map((w) => roles.get(w) ?? w))];
}

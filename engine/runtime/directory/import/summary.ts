// summary.ts: the zh-CN one-liner of each audit row an import writes (directory_changes.summary),
// e.g. 所属组织：市教育局 → 市财政局；角色：+协办单位 −承办单位.

import { KIND_LABELS, LEVEL_LABELS } from './sheets.ts';
import type { StoredGroup, StoredMember, StoredOrg, StoredUser } from './types.ts';

/** Names for ids: orgs, roles and people, as they will be after the import. */
export interface Namer {
  org(id: string | null): string;
  role(id: string): string;
  user(id: string | null): string;
}

const state = (disabled: boolean): string => (disabled ? '停用' : '在用');
const text = (v: string | null): string => v || '（空）';

function fields(parts: [label: string, before: string, after: string][]): string {
  return parts.filter(([, b, a]) => b !== a).map(([l, b, a]) => `${l}：${b} → ${a}`).join('；');
}

export function orgCreated(o: StoredOrg, n: Namer): string {
  return `新建组织 ${o.name}（${o.id}），${KIND_LABELS[o.kind]}，上级：${o.parentId ? n.org(o.parentId) : '无'}${o.disabled ? '，停用' : ''}`;
}

export function orgUpdated(b: StoredOrg, a: StoredOrg, n: Namer): string {
  return fields([
    ['名称', b.name, a.name], ['类型', KIND_LABELS[b.kind], KIND_LABELS[a.kind]],
    ['上级', b.parentId ? n.org(b.parentId) : '无', a.parentId ? n.org(a.parentId) : '无'], ['排序', String(b.sort), String(a.sort)],
    ['状态', state(b.disabled), state(a.disabled)],
  ]);
}

export function userCreated(u: StoredUser, n: Namer): string {
  const roles = u.roles.map(n.role).join('、') || '无角色';
  return `新建人员 ${u.name}（${u.id}），${n.org(u.orgId)}，${roles}${u.disabled ? '，停用' : ''}`;
}

export function userUpdated(b: StoredUser, a: StoredUser, n: Namer): string {
  const added = a.roles.filter((r) => !b.roles.includes(r)).map((r) => `+${n.role(r)}`);
  const removed = b.roles.filter((r) => !a.roles.includes(r)).map((r) => `−${n.role(r)}`);
  const level = (l: StoredUser['deputyLevel']): string => (l ? LEVEL_LABELS[l] : '（空）');
  const parts = [
    fields([['姓名', b.name, a.name], ['所属组织', n.org(b.orgId), n.org(a.orgId)]]),
    added.length + removed.length > 0 ? `角色：${[...added, ...removed].join(' ')}` : '',
    fields([
      ['手机', text(b.phone), text(a.phone)], ['代表层级', level(b.deputyLevel), level(a.deputyLevel)],
      ['选区', text(b.constituency), text(a.constituency)], ['状态', state(b.disabled), state(a.disabled)],
    ]),
  ];
  return parts.filter(Boolean).join('；');
}

export function groupCreated(g: StoredGroup): string {
  return `新建分组 ${g.name}（${g.id}）`;
}

export function groupUpdated(b: StoredGroup, a: StoredGroup): string {
  return fields([['名称', b.name, a.name], ['说明', text(b.description), text(a.description)]]);
}

export function memberAdded(m: StoredMember, n: Namer): string {
  return `加入成员 ${n.user(m.userId)}（${m.userId}）${m.worksFor ? `，服务代表：${n.user(m.worksFor)}` : ''}`;
}

export function memberUpdated(b: StoredMember, a: StoredMember, n: Namer): string {
  return `成员 ${n.user(a.userId)}（${a.userId}）：${fields([
    ['服务代表', b.worksFor ? n.user(b.worksFor) : '（空）', a.worksFor ? n.user(a.worksFor) : '（空）'], ['排序', String(b.sort), String(a.sort)],
  ])}`;
}

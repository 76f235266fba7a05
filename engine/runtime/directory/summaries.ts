// summaries.ts: the zh-CN line an official reads in 修改记录 for a person's or an org's change
// (所属组织：市教育局 → 市财政局；角色：+协办单位 −人大代表), from the record before and after.

import type { OrgFields, UserFields } from '../../store/directory-data.ts';
import { DEPUTY_LEVEL_LABELS, type DeputyLevel } from '../../store/types.ts';
import { ORG_KINDS } from './rules.ts';

/** 所属组织：市教育局 → 市财政局；角色：+协办单位 −人大代表 — what an official reads in the history. */
export function describeUser(before: UserFields | undefined, after: UserFields, orgName: (id: string) => string, roleLabel: (id: string) => string): string {
  if (!before) return `新增：${after.name}（${orgName(after.orgId)}）${after.roles.length ? `，角色：${after.roles.map(roleLabel).join('、')}` : ''}`;
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`姓名：${before.name} → ${after.name}`);
  if (before.orgId !== after.orgId) parts.push(`所属组织：${orgName(before.orgId)} → ${orgName(after.orgId)}`);
  const added = after.roles.filter((r) => !before.roles.includes(r));
  const removed = before.roles.filter((r) => !after.roles.includes(r));
  if (added.length || removed.length) parts.push(`角色：${[...added.map((r) => `+${roleLabel(r)}`), ...removed.map((r) => `−${roleLabel(r)}`)].join(' ')}`);
  if (before.phone !== after.phone) parts.push(`手机：${before.phone ?? '无'} → ${after.phone ?? '无'}`);
  const level = (l: DeputyLevel | null): string => (l ? DEPUTY_LEVEL_LABELS[l] : '无');
  if (before.deputyLevel !== after.deputyLevel) parts.push(`代表层级：${level(before.deputyLevel)} → ${level(after.deputyLevel)}`);
  if (before.constituency !== after.constituency) parts.push(`选区：${before.constituency ?? '无'} → ${after.constituency ?? '无'}`);
  if (before.disabled !== after.disabled) parts.push(after.disabled ? '停用' : '启用');
  return parts.join('；');
}

export function describeOrg(before: OrgFields | undefined, after: OrgFields, orgName: (id: string | null) => string): string {
  if (!before) return `新增：${after.name}（${ORG_KINDS[after.kind] ?? after.kind}，上级：${orgName(after.parentId)}）`;
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`名称：${before.name} → ${after.name}`);
  if (before.kind !== after.kind) parts.push(`类型：${ORG_KINDS[before.kind]} → ${ORG_KINDS[after.kind]}`);
  if (before.parentId !== after.parentId) parts.push(`上级：${orgName(before.parentId)} → ${orgName(after.parentId)}`);
  if (before.sort !== after.sort) parts.push(`排序：${before.sort} → ${after.sort}`);
  if (before.disabled !== after.disabled) parts.push(after.disabled ? '停用' : '启用');
  return parts.join('；');
}

// not-in-directory.ts: `lvzhi check` and the studio's check: an id written into user('…'), org('…') or
// members('…') names somebody, some org or some group the directory has; and so does each directory
// selector a construct holds (a group step's `to:`, a ballot's `electorate:`): its group exists, its role
// is held by someone, its orgs' kind has orgs, a district written as a literal is a district. Pure: the
// caller passes the directory; `validate` has none and skips this. Without groups in the directory passed,
// group ids are not checked.

import { LvzError } from '../errors.ts';
import { exprSites } from './expr-sites.ts';
import type { SelectorUse } from '../constructs/index.ts';
import type { Directory } from './directory-view.ts';
import { constructUsesOf } from './walk.ts';
import type { CompiledWorkflow } from './types.ts';
import { list, q } from '../yaml/zh.ts';

/** Errors for ids no one has, and warnings for a disabled group (members() of it is empty). */
export function notInDirectory(wf: CompiledWorkflow, dir: Directory): { errors: LvzError[]; warnings: LvzError[] } {
  const users = new Set(dir.users.map((u) => u.id));
  const orgs = new Set(dir.orgs.map((o) => o.id));
  const groups = dir.groups && new Map(dir.groups.map((g) => [g.id, g]));
  const errors: LvzError[] = [];
  const warnings: LvzError[] = [];
  for (const site of exprSites(wf.def)) {
    for (const call of wf.exprs.get(site.source)?.directoryCalls ?? []) {
      if (call.id === undefined) continue;
      const at = { where: wf.source.at(site.path), path: site.path, params: { fn: call.fn, id: call.id } };
      const where = `表达式${q(site.source)}中`;
      if (call.fn === 'user' && !users.has(call.id)) {
        errors.push(new LvzError('LVZ_DSL_NOT_IN_DIRECTORY', `${where}的用户${q(call.id)}不在通讯录中：请检查用户名，或先在通讯录中添加该人员`, at));
      } else if (call.fn === 'org' && !orgs.has(call.id)) {
        errors.push(new LvzError('LVZ_DSL_NOT_IN_DIRECTORY', `${where}的组织${q(call.id)}不在通讯录中：请检查组织编码，或先在通讯录中添加该组织`, at));
      } else if (call.fn === 'members' && groups) {
        const g = groups.get(call.id);
        if (!g) {
          const known = groups.size > 0 ? `，或改用已有的分组：${list(groups.keys())}` : '（通讯录中还没有任何分组）';
          errors.push(new LvzError('LVZ_DSL_NOT_IN_DIRECTORY', `${where}的分组${q(call.id)}不在通讯录中：请在通讯录管理中建立该分组${known}`, at));
        } else if (g.disabled) {
          warnings.push(new LvzError('LVZ_DSL_NOT_IN_DIRECTORY', `${where}的分组${q(call.id)}已停用，members(${q(call.id)}) 得出空列表，没有人会收到：请在通讯录管理中启用该分组，或改用其他分组`, at));
        }
      }
    }
  }
  for (const { construct, def, site } of constructUsesOf(wf.def)) {
    for (const use of construct.selectors?.(def, site) ?? []) {
      const found = selectorNotInDirectory(use, dir, wf);
      errors.push(...found.errors);
      warnings.push(...found.warnings);
    }
  }
  return { errors, warnings };
}

/** `'zhangdian'` -> zhangdian: a district written as a CEL string literal, the one kind a check can hold to the directory. */
function literalOf(source: string | undefined): string | undefined {
  return source === undefined ? undefined : /^\s*(['"])([^'"\\]*)\1\s*$/.exec(source)?.[2];
}

/** The names one selector gives that the directory lacks (errors), or that name a disabled group (a warning). */
function selectorNotInDirectory({ selector: s, path, what }: SelectorUse, dir: Directory, wf: CompiledWorkflow): { errors: LvzError[]; warnings: LvzError[] } {
  const errors: LvzError[] = [];
  const warnings: LvzError[] = [];
  const refuse = (sub: string, message: string, params: Record<string, unknown>, into = errors): void => {
    const at = `${path}/${sub}`;
    into.push(new LvzError('LVZ_DSL_NOT_IN_DIRECTORY', `${what}${message}`, { where: wf.source.at(at), path: at, params }));
  };
  if ('group' in s && dir.groups) {
    const g = dir.groups.find((x) => x.id === s.group);
    const known = dir.groups.length > 0 ? `，或改用已有的分组：${list(dir.groups.map((x) => x.id))}` : '（通讯录中还没有任何分组）';
    if (!g) refuse('group', `中的分组${q(s.group)}不在通讯录中，这一步将没有人收到：请在通讯录管理中建立该分组${known}`, { group: s.group });
    else if (g.disabled) refuse('group', `中的分组${q(s.group)}已停用，这一步将没有人收到：请在通讯录管理中启用该分组，或改用其他分组`, { group: s.group }, warnings);
  }
  if ('role' in s && !dir.users.some((u) => u.roles.includes(s.role))) {
    refuse('role', `中的角色${q(s.role)}在通讯录中没有人担任，这一步将没有人收到：请在通讯录中为相应人员分配该角色，或改用其他角色`, { role: s.role });
  }
  if ('orgs' in s && !dir.orgs.some((o) => o.kind === s.orgs.kind)) {
    const kinds = [...new Set(dir.orgs.map((o) => o.kind))];
    refuse('orgs/kind', `中的组织类型${q(s.orgs.kind)}在通讯录中没有任何组织，这一步将没有单位收到：请先在通讯录中添加这类组织，或改用已有的类型：${list(kinds)}`, { kind: s.orgs.kind });
  }
  const [sub, source] = 'role' in s ? ['district', s.district] : 'deputies' in s ? ['deputies/district', s.deputies.district] : 'orgs' in s ? ['orgs/district', s.orgs.district] : ['', undefined];
  const district = literalOf(source);
  if (district !== undefined && !dir.orgs.some((o) => o.id === district && o.kind === 'district')) {
    const known = dir.orgs.filter((o) => o.kind === 'district').map((o) => o.id);
    refuse(sub, `中的区县${q(district)}不在通讯录中（没有这个编码的区县人大常委会）：请改用区县的组织编码${known.length > 0 ? `：${list(known)}` : ''}，或写 data.district 取表单中的区县`, { district });
  }
  return { errors, warnings };
}

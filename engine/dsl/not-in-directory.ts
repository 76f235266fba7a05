// not-in-directory.ts: `lvzhi check` and the studio's check: an id written into user('…'), org('…') or
// members('…') names somebody, some org or some group the directory has. Pure: the caller passes the
// directory; `validate` has none and skips this. A group left out of the directory passed is not checked.

import { LvzError } from '../errors.ts';
import { exprSites } from './expr-sites.ts';
import type { Directory } from './directory-view.ts';
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
  return { errors, warnings };
}

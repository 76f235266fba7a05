// undeclared-role.ts: every role a workflow lists in roles: is declared in directory/roles.yaml. The other places a
// role appears (starters:, viewers:, role:, anonymous_to:, copy.roles:) must be in roles: (unknown-role.ts), so this covers them.

import { LvzError } from '../../errors.ts';
import { ROLES_FILE } from '../roles.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const undeclaredRole: Check = (wf, src, ctx) => {
  const declared = ctx.roles;
  if (!declared) return []; // compiled without the directory (a stored version being reloaded): nothing to check against
  return wf.roles.flatMap((role, i) => {
    if (declared.has(role)) return [];
    const path = `/roles/${i}`;
    return [new LvzError('LVZ_DSL_UNDECLARED_ROLE',
      `未声明的角色${q(role)}：已声明的角色有 ${declared.summary()}；请在 ${ROLES_FILE} 中声明（id、label、description），或改用已声明的角色`,
      { where: src.at(path), path, params: { role } })];
  });
};

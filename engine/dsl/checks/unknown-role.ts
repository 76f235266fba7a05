// unknown-role.ts: every role a step, a starter or viewer list, a copy, an anonymity or a handoff rule names is in roles:,
// and every role a construct names (its `roles` hook: a ballot's chair, a group step's close_by, a selector's role).

import { LvzError } from '../../errors.ts';
import { constructUsesOf, groupsOf } from '../walk.ts';
import { list, q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const unknownRole: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const declared = new Set(wf.roles);
  const report = (role: string, path: string, what: string): void => {
    if (declared.has(role)) return;
    errors.push(
      new LvzError(
        'LVZ_DSL_UNKNOWN_ROLE',
        `${what}引用的角色${q(role)}未在 roles: 中声明：请把它加入 roles:，或改用已声明的角色之一：${list(wf.roles)}`,
        { where: src.at(path), path, params: { role } },
      ),
    );
  };
  wf.starters.forEach((r, i) => report(r, `/starters/${i}`, 'starters: '));
  wf.viewers.forEach((r, i) => report(r, `/viewers/${i}`, 'viewers: '));
  for (const { state, group, path } of groupsOf(wf)) {
    if (group.role !== undefined) report(group.role, `${path}/role`, `步骤${q(state.name)}`);
    group.anonymous_to.forEach((r, i) => report(r, `${path}/anonymous_to/${i}`, `步骤${q(state.name)}的 anonymous_to: `));
    group.handoff?.roles?.forEach((r, i) => report(r, `${path}/handoff/roles/${i}`, `步骤${q(state.name)}的 handoff: `));
  }
  for (const state of Object.values(wf.states)) {
    state.copy?.roles.forEach((r, i) => report(r, `/states/${state.name}/copy/roles/${i}`, `步骤${q(state.name)}的 copy: `));
  }
  for (const { construct, def, site } of constructUsesOf(wf)) {
    for (const r of construct.roles?.(def, site) ?? []) report(r.role, r.path, r.what);
  }
  return errors;
};

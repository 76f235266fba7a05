// assignment.ts: each task group says who takes it (role or assignee, not both) and has a unique id in its state.

import { LvzError } from '../../errors.ts';
import { groupsOf } from '../walk.ts';
import type { Check } from './types.ts';

export const assignment: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const seen = new Map<string, Set<string>>();
  for (const { state, group, path } of groupsOf(wf)) {
    const hasRole = group.role !== undefined;
    const hasAssignee = group.assignee !== undefined;
    if (hasRole === hasAssignee) {
      errors.push(
        new LvzError(
          'LVZ_DSL_SCHEMA',
          hasRole
            ? `a task of "${state.name}" has both role and assignee: keep role for anyone with it, or assignee for one person`
            : `a task of "${state.name}" says nobody takes it: add role: <role> or assignee: initiator (or a CEL user id)`,
          { where: src.at(path), path, params: { state: state.name } },
        ),
      );
    }
    const ids = seen.get(state.name) ?? new Set<string>();
    seen.set(state.name, ids);
    if (ids.has(group.id)) {
      errors.push(
        new LvzError('LVZ_DSL_SCHEMA', `state "${state.name}" has two task groups with id "${group.id}": give each its own id`, {
          where: src.at(`${path}/id`),
          path: `${path}/id`,
          params: { state: state.name, id: group.id },
        }),
      );
    }
    ids.add(group.id);
  }
  return errors;
};

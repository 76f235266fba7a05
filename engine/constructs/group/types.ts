// types.ts: what the group construct adds to a task group (docs/group-steps.md). A `group:` step is
// normalised to the state's one task group, with these fields set; the runtime takes the group
// path (engine/runtime/group/) for every group that has `to`.

import type { Selector } from '../../model/selector.ts';

export interface GroupStepFields {
  /** Who is asked, fixed when the step is entered. */
  to: Selector;
  /** Roles that may close the group early (提前结束, a reason required). */
  close_by: string[];
  /** complete_when as CEL over tally.<group> (total, open, done, one count per outcome). */
  complete_expr: string;
}

/** A group counts at most this many outcomes (group_counts n1 … n8). */
export const MAX_OUTCOMES = 8;

/** The office actions a member's task may offer; 加签 and 退回 would reopen the counting. */
export const GROUP_ACTIONS = ['remind', 'delegate', 'reassign'] as const;

// normalise.ts: a `group:` step's own keys, for the task group the state's one group becomes (its id
// is the state's name, so its counts are tally.<state>).

import type { Selector } from '../../model/selector.ts';
import { completeExpr } from './complete-when.ts';
import type { GroupStepFields } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

/** The raw group with the defaults the shared task normalisation should see (outcomes: [submit]). */
export function groupTaskRaw(raw: Raw): Raw {
  return { ...raw, outcomes: raw.outcomes ?? ['submit'], complete_when: undefined };
}

export function groupStepFields(raw: Raw, id: string, outcomes: readonly { id: string }[]): GroupStepFields {
  return {
    to: raw.to as Selector,
    close_by: (raw.close_by ?? []) as string[],
    complete_expr: completeExpr(id, raw.complete_when, outcomes[0]?.id ?? 'submit'),
  };
}

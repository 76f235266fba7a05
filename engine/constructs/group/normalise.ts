// normalise.ts: a `group:` step's own keys. The state's one task group is normalised from the same YAML
// by dsl/normalise.ts (its id is the state's name, so its counts are tally.<state>) and carries these.

import type { NormaliseContext } from '../types.ts';
import type { Selector } from '../../model/selector.ts';
import { completeExpr } from './complete-when.ts';
import type { GroupStepFields } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

/** The raw group with the defaults the shared task normalisation should see (outcomes: [submit]). */
export function groupTaskRaw(raw: Raw): Raw {
  return { ...raw, outcomes: raw.outcomes ?? ['submit'], complete_when: undefined };
}

function firstOutcome(raw: Raw): string {
  const o = Array.isArray(raw.outcomes) ? raw.outcomes[0] : undefined;
  return typeof o === 'string' ? o : typeof o?.id === 'string' ? o.id : 'submit';
}

export function normaliseGroupStep(value: unknown, ctx: NormaliseContext): GroupStepFields {
  const raw = value as Raw;
  const id = String(ctx.path[1]);
  return {
    to: raw.to as Selector,
    close_by: (raw.close_by ?? []) as string[],
    complete_expr: completeExpr(id, raw.complete_when, firstOutcome(raw)),
    ...(raw.close_after !== undefined && { close_after: ctx.duration(raw.close_after, [...ctx.path, 'close_after']) }),
  };
}

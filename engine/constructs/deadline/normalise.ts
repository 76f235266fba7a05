// normalise.ts: `deadline:` as written (a duration or { when, after } cases; one reminder or a list) -> DeadlineDef.

import type { NormaliseContext } from '../types.ts';
import type { DeadlineDef } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

export function normaliseDeadline(raw: unknown, ctx: NormaliseContext): DeadlineDef {
  const d = raw as Raw;
  const { path } = ctx;
  const dur = ctx.duration;
  const after =
    typeof d.after === 'string'
      ? [{ duration: dur(d.after, [...path, 'after']) }]
      : (d.after as Raw[]).map((c, i) => ({
          ...(c.when !== undefined && { when: c.when as string }),
          duration: dur(c.after, [...path, 'after', i, 'after']),
        }));
  const remindRaw: string[] = d.remind === undefined ? [] : typeof d.remind === 'string' ? [d.remind] : d.remind;
  const remind = remindRaw.map((r, i) => dur(r, typeof d.remind === 'string' ? [...path, 'remind'] : [...path, 'remind', i]));
  return { after, remind, ...(d.escalate !== undefined && { escalate: d.escalate }) };
}

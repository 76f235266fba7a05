// candidate-order.ts: in a list of candidates (transitions, deadline cases) only the last may omit `when`,
// because first match wins and every candidate after an unconditional one would never be taken.

import { LvzError } from '../../errors.ts';
import { deadlinesOf } from '../walk.ts';
import type { Check } from './types.ts';

export const candidateOrder: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const check = (items: { when?: string }[], pathOf: (i: number) => string, what: string): void => {
    items.slice(0, -1).forEach((c, i) => {
      if (c.when !== undefined) return;
      const path = pathOf(i);
      errors.push(
        new LvzError(
          'LVZ_DSL_SCHEMA',
          `${what}: candidate ${i + 1} has no when, so the ones after it are never used: give it a when or move it last`,
          { where: src.at(path), path, params: { index: i } },
        ),
      );
    });
  };
  for (const s of Object.values(wf.states)) {
    for (const [event, ts] of Object.entries(s.on)) check(ts, (i) => ts[i]!.path, `state "${s.name}" on.${event}`);
    check(s.always, (i) => s.always[i]!.path, `state "${s.name}" always`);
  }
  for (const { state, deadline, path } of deadlinesOf(wf)) {
    check(deadline.after, (i) => `${path}/after/${i}`, `the deadline of "${state.name}"`);
  }
  return errors;
};

// ballot.ts: every `ballot:` can be voted on and counted, and its step can go on (constructs/ballot/step.ts).

import { checkBallotStep } from '../../constructs/ballot/step.ts';
import { LvzError } from '../../errors.ts';
import type { Check } from './types.ts';

export const ballot: Check = (wf, src) => {
  const errors: LvzError[] = [];
  const seen = new Map<string, string>();
  for (const s of Object.values(wf.states)) {
    if (!s.ballot) continue;
    const found = checkBallotStep(s.ballot, { state: s.name, hasTasks: s.tasks.length > 0, events: Object.keys(s.on), roles: wf.roles });
    const other = seen.get(s.ballot.id);
    if (other) {
      found.push(new LvzError('LVZ_BALLOT_BAD_DEFINITION', `表决“${s.ballot.id}”在步骤“${other}”已经用过这个 id：请换一个`, { path: `${s.ballot.path}/id`, params: { ballot: s.ballot.id, state: s.name } }));
    }
    seen.set(s.ballot.id, s.name);
    for (const e of found) errors.push(new LvzError(e.code, e.message, { where: src.at(e.path!), path: e.path!, params: e.params }));
  }
  return errors;
};

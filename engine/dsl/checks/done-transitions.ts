// done-transitions.ts: `done` fires when a state's task groups complete (and a construct that waits
// there is done: the children of spawn: wait have reported), so only such a state may wait for it.

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import { constructUsesOf } from '../walk.ts';
import type { Check } from './types.ts';

export const doneTransitions: Check = (wf, src) => {
  const waiting = new Set(constructUsesOf(wf).filter(({ construct, def }) => construct.waits?.(def)).map(({ site }) => site.state.name));
  return Object.values(wf.states)
    .filter((s) => s.tasks.length === 0 && !waiting.has(s.name) && 'done' in s.on)
    .map((s) => {
      const path = `/states/${s.name}/on/done`;
      return new LvzError(
        'LVZ_DSL_DONE_WITHOUT_TASKS',
        `步骤${q(s.name)}在等待 done（任务全部办完），但它没有任务：请添加 task: 或 tasks:，或用 spawn: 的 wait 等待子流程；如要自动流转，请改用 always:`,
        { where: src.at(path), path, params: { state: s.name } },
      );
    });
};

// deadline-handler.ts: a deadline's escalate names an event its state handles under on:.

import { LvzError } from '../../errors.ts';
import { list, q } from '../../yaml/zh.ts';
import { deadlinesOf } from '../walk.ts';
import type { Check } from './types.ts';

export const deadlineHandler: Check = (wf, src) =>
  deadlinesOf(wf)
    .filter(({ state, deadline }) => deadline.escalate !== undefined && !(deadline.escalate in state.on))
    .map(({ state, deadline, path }) => {
      const at = `${path}/escalate`;
      const events = Object.keys(state.on);
      return new LvzError(
        'LVZ_DSL_DEADLINE_NO_HANDLER',
        `步骤${q(state.name)}的办理期限到期后触发事件${q(deadline.escalate)}，但它的 on: 没有处理这个事件：` +
          `请添加 on: { ${deadline.escalate}: <步骤> }${events.length > 0 ? `，或改用已有事件之一：${list(events)}` : ''}`,
        { where: src.at(at), path: at, params: { state: state.name, event: deadline.escalate } },
      );
    });

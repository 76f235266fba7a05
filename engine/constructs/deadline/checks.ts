// checks.ts: a deadline's escalate names an event its state handles under on: (LVZ_DSL_DEADLINE_NO_HANDLER).

import { LvzError } from '../../errors.ts';
import { list, q } from '../../yaml/zh.ts';
import type { CheckContext, SiteView } from '../types.ts';
import type { DeadlineDef } from './types.ts';

export function deadlineHandler(deadline: DeadlineDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
  if (deadline.escalate === undefined || state.events.includes(deadline.escalate)) return [];
  const at = `${path}/escalate`;
  const events = state.events;
  return [
    new LvzError(
      'LVZ_DSL_DEADLINE_NO_HANDLER',
      `步骤${q(state.name)}的办理期限到期后触发事件${q(deadline.escalate)}，但它的 on: 没有处理这个事件：` +
        `请添加 on: { ${deadline.escalate}: <步骤> }${events.length > 0 ? `，或改用已有事件之一：${list(events)}` : ''}`,
      { where: src.at(at), path: at, params: { state: state.name, event: deadline.escalate } },
    ),
  ];
}

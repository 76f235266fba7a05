// checks.ts: a deadline's semantic checks, run with the others (dsl/checks/constructs.ts), and its finding
// for `lvzhi check` (dsl/model-check.ts).

import { LvzError } from '../../errors.ts';
import { list, q } from '../../yaml/zh.ts';
import type { CheckContext, SiteView } from '../types.ts';
import type { DeadlineDef } from './types.ts';

export function deadlineChecks(deadline: DeadlineDef, site: SiteView, ctx: CheckContext): LvzError[] {
  return [...inFinal(site, ctx), ...caseOrder(deadline, site, ctx), ...handler(deadline, site, ctx)];
}

/** A final state ends the process, so it has no deadline of its own (dsl/checks/final-state.ts says the same of on: and always:). */
function inFinal({ state, group, path }: SiteView, { src }: CheckContext): LvzError[] {
  if (!state.final || group) return [];
  return [new LvzError('LVZ_DSL_SCHEMA', `结束步骤${q(state.name)}不能有${q('deadline')}：流程在这里结束；请删除${q('deadline')}，或去掉“final: true”`, {
    where: src.at(path),
    path,
    params: { state: state.name, key: 'deadline' },
  })];
}

/** Only the last case may omit when: first match wins, so every case after an unconditional one is never taken. */
function caseOrder(deadline: DeadlineDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
  return deadline.after.slice(0, -1).flatMap((c, i) => {
    if (c.when !== undefined) return [];
    const at = `${path}/after/${i}`;
    return [new LvzError(
      'LVZ_DSL_SCHEMA',
      `步骤${q(state.name)}的办理期限：第 ${i + 1} 个候选没有 when，排在它后面的候选永远不会被采用：请给它加上 when，或把它移到最后`,
      { where: src.at(at), path: at, params: { index: i } },
    )];
  });
}

/** escalate names an event its state handles under on: (LVZ_DSL_DEADLINE_NO_HANDLER). */
function handler(deadline: DeadlineDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
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

/** `lvzhi check`: a deadline that neither reminds nor escalates passes unnoticed. */
export function deadlineUnnoticed(deadline: DeadlineDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
  if (deadline.escalate !== undefined || deadline.remind.length > 0) return [];
  return [new LvzError('LVZ_DSL_DEADLINE_NO_HANDLER', `步骤${q(state.name)}的办理期限既不提醒也不触发事件，到期了也没有人知道：请添加 remind: [2个工作日]，或添加 escalate: <事件> 并在 on: 下处理该事件`, {
    where: src.at(path),
    path,
    params: { state: state.name },
  })];
}

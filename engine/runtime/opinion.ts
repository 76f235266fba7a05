// opinion.ts: the opinion typed beside a step's buttons (审批意见, or the step's own name for it), checked.

import type { TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import { ensurePlainText } from './load.ts';

export function checkOpinion(g: TaskGroupDef, opinion: string | undefined): string | undefined {
  const label = g.opinion_label ?? '审批意见';
  ensurePlainText(opinion, label, 'opinion');
  const o = (opinion ?? '').trim();
  if (g.opinion === 'required' && !o) {
    throw new LvzError('LVZ_RUN_OPINION_REQUIRED', `这一步需要填写${label}：请填写${label}（可从常用语中选择）后再提交`, { params: { label } });
  }
  if (o.length > 2000) throw new LvzError('LVZ_RUN_BAD_REQUEST', `${label}不能超过 2000 个字：请精简后再提交`, {});
  return o || undefined;
}

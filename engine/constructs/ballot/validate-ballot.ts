// validate-ballot.ts: is a ballot's definition one that can be voted on and counted? Every problem, with its path.
//
// The later DSL check turns each path (relative to the ballot's YAML node) into file:line:col.

import { LvzError } from '../../errors.ts';
import { decimalsOf } from './score-units.ts';
import type { Ballot } from './types.ts';

const QUORUM = ['majority_of_members', 'two_thirds_of_members', 'none'];
const PASS = ['majority_of_members', 'majority_of_present', 'two_thirds_of_members', 'two_thirds_of_present', 'none'];

export function validateBallot(ballot: Ballot): LvzError[] {
  const errors: LvzError[] = [];
  const add = (path: string, message: string): void => {
    errors.push(new LvzError('LVZ_BALLOT_BAD_DEFINITION', `表决“${ballot.id}”：${message}`, { path, params: { ballot: ballot.id } }));
  };
  if (!Number.isSafeInteger(ballot.members) || ballot.members < 1) add('/members', '应到人数须为正整数');
  if (!QUORUM.includes(ballot.quorum)) add('/quorum', `quorum 须为 ${QUORUM.join('、')} 之一`);
  if (!PASS.includes(ballot.pass)) add('/pass', `pass 须为 ${PASS.join('、')} 之一`);
  switch (ballot.kind) {
    case 'for_against':
      break;
    case 'rating':
      checkList(ballot.scale, '/scale', '评价档次', add);
      if (ballot.pass !== 'none' && !ballot.pass_options?.length) add('/pass_options', '有通过规则时须用 pass_options 写明哪些档次算赞成（如 [满意, 基本满意]）');
      for (const o of ballot.pass_options ?? []) if (!ballot.scale.includes(o)) add('/pass_options', `“${o}”不在评价档次 ${ballot.scale.join('、')} 中`);
      break;
    case 'score':
      checkScore(ballot.min, ballot.max, ballot.step, add);
      if (ballot.pass !== 'none') add('/pass', '评分表决只计总分和平均分：pass 须为 none');
      break;
    case 'choose': {
      checkList(ballot.options, '/options', '候选项', add);
      const [key, n] = 'exactly' in ballot.choose ? ['exactly', ballot.choose.exactly] : ['up_to', ballot.choose.up_to];
      if (!Number.isSafeInteger(n) || n < 1 || n > ballot.options.length) add(`/choose/${key}`, `可选项数须为 1 到 ${ballot.options.length} 之间的整数`);
      const elect = ballot.elect;
      if (elect !== undefined && (!Number.isSafeInteger(elect) || elect < 1 || elect > ballot.options.length)) {
        add('/elect', `确定的项数须为 1 到 ${ballot.options.length} 之间的整数`);
      }
    }
  }
  return errors;
}

function checkList(list: string[], path: string, what: string, add: (p: string, m: string) => void): void {
  if (!Array.isArray(list) || list.length < 2) return add(path, `${what}至少要有两项`);
  if (list.some((o) => typeof o !== 'string' || o.trim() === '')) add(path, `${what}不能为空`);
  if (new Set(list).size !== list.length) add(path, `${what}有重复`);
}

function checkScore(min: number, max: number, step: number, add: (p: string, m: string) => void): void {
  for (const [key, x] of [['min', min], ['max', max], ['step', step]] as const) {
    if (!Number.isFinite(x) || decimalsOf(x) === null) add(`/${key}`, `${key} 须为最多三位小数的数`);
  }
  if (!(min < max)) add('/max', 'max 须大于 min');
  if (!(step > 0)) add('/step', 'step 须大于 0');
  if (errorsFree(min, max, step)) {
    const d = Math.max(decimalsOf(min)!, decimalsOf(max)!, decimalsOf(step)!);
    const u = (x: number): number => Math.round(x * 10 ** d);
    if ((u(max) - u(min)) % u(step) !== 0) add('/step', `从 ${min} 到 ${max} 不能按每 ${step} 分一档分完`);
  }
}

function errorsFree(min: number, max: number, step: number): boolean {
  return [min, max, step].every((x) => Number.isFinite(x) && decimalsOf(x) !== null) && min < max && step > 0;
}

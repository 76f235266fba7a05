// validate-cast.ts: is a choice one this ballot allows? zh-CN messages for the voter's page.

import { LvzError } from '../../errors.ts';
import { scoreUnits } from './score-units.ts';
import { FOR_AGAINST, type Ballot, type ChooseBallot, type Choice, type ScoreBallot } from './types.ts';

const FOR_AGAINST_LABEL = '赞成、反对或弃权';

function bad(ballot: Ballot, reason: string, message: string): LvzError {
  return new LvzError('LVZ_BALLOT_BAD_CHOICE', message, { params: { ballot: ballot.id, kind: ballot.kind, reason } });
}

/** Throws LVZ_BALLOT_BAD_CHOICE (nothing is cast) unless `choice` is valid for the ballot's kind. */
export function validateCast(ballot: Ballot, choice: unknown): asserts choice is Choice {
  switch (ballot.kind) {
    case 'for_against':
      if (typeof choice !== 'string' || !(FOR_AGAINST as readonly string[]).includes(choice)) {
        throw bad(ballot, 'not_an_option', `请选择${FOR_AGAINST_LABEL}中的一项后再提交`);
      }
      return;
    case 'rating':
      if (typeof choice !== 'string' || !ballot.scale.includes(choice)) {
        throw bad(ballot, 'not_an_option', `请选择“${ballot.scale.join('”“')}”中的一项后再提交`);
      }
      return;
    case 'score':
      validateScore(ballot, choice);
      return;
    case 'choose':
      validateChosen(ballot, choice);
  }
}

function validateScore(ballot: ScoreBallot, choice: unknown): void {
  const range = `${ballot.min} 到 ${ballot.max}`;
  if (typeof choice !== 'number' || !Number.isFinite(choice)) {
    throw bad(ballot, 'not_a_number', `请填写 ${range} 之间的分数后再提交`);
  }
  if (choice < ballot.min || choice > ballot.max) {
    throw bad(ballot, 'out_of_range', `分数 ${choice} 不在 ${range} 之间：请改为这个范围内的分数`);
  }
  const units = scoreUnits(ballot);
  const x = units.of(choice);
  if (x === null || (x - units.of(ballot.min)!) % units.of(ballot.step)! !== 0) {
    throw bad(ballot, 'off_step', `分数须为 ${ballot.min} 起每 ${ballot.step} 分一档：请改为如 ${ballot.min}、${ballot.min + ballot.step} 这样的分数`);
  }
}

function validateChosen(ballot: ChooseBallot, choice: unknown): void {
  if (!Array.isArray(choice) || choice.some((c) => typeof c !== 'string')) {
    throw bad(ballot, 'not_a_list', '请勾选候选项后再提交');
  }
  const unknown = choice.filter((c) => !ballot.options.includes(c));
  if (unknown.length > 0) {
    throw bad(ballot, 'not_an_option', `“${unknown[0]}”不是本次表决的候选项：请只勾选列出的候选项`);
  }
  if (new Set(choice).size !== choice.length) {
    throw bad(ballot, 'duplicate', '同一候选项只能勾选一次：请去掉重复的勾选');
  }
  const rule = ballot.choose;
  if ('exactly' in rule && choice.length !== rule.exactly) {
    throw bad(ballot, 'wrong_count', `须勾选 ${rule.exactly} 项，现勾选了 ${choice.length} 项：请调整后再提交`);
  }
  if ('up_to' in rule && choice.length > rule.up_to) {
    throw bad(ballot, 'too_many', `最多勾选 ${rule.up_to} 项，现勾选了 ${choice.length} 项：请去掉 ${choice.length - rule.up_to} 项后再提交`);
  }
}

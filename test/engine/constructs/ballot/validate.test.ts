// validate.test.ts: casts each kind refuses (zh-CN, LVZ_BALLOT_BAD_CHOICE) and definitions that cannot be counted.
import { describe, expect, it } from 'vitest';
import { validateBallot, validateCast } from '../../../../engine/constructs/ballot/index.ts';
import type { Ballot, ChooseBallot, RatingBallot, ScoreBallot } from '../../../../engine/constructs/ballot/index.ts';
import type { LvzError } from '../../../../engine/errors.ts';

const base = { id: 'b', secret: true, members: 33, quorum: 'none', pass: 'none' } as const;
const forAgainst: Ballot = { ...base, kind: 'for_against' };
const rating: RatingBallot = { ...base, kind: 'rating', scale: ['满意', '基本满意', '不满意'] };
const score: ScoreBallot = { ...base, kind: 'score', min: 0, max: 10, step: 0.5 };
const choose20: ChooseBallot = { ...base, kind: 'choose', options: Array.from({ length: 20 }, (_, i) => `项目${i + 1}`), choose: { up_to: 13 } };

function refusal(ballot: Ballot, choice: unknown): LvzError {
  try {
    validateCast(ballot, choice);
  } catch (e) {
    return e as LvzError;
  }
  throw new Error(`accepted ${JSON.stringify(choice)}`);
}

describe('validateCast', () => {
  it('accepts a valid choice of each kind', () => {
    for (const [b, c] of [[forAgainst, 'against'], [rating, '基本满意'], [score, 7.5], [score, 0], [score, 10], [choose20, ['项目1', '项目20']], [choose20, []]] as const) {
      expect(() => validateCast(b, c)).not.toThrow();
    }
  });

  const cases: [string, Ballot, unknown, string, RegExp][] = [
    ['a for/against word not on the list', forAgainst, '同意', 'not_an_option', /赞成、反对或弃权/],
    ['a for/against number', forAgainst, 1, 'not_an_option', /赞成/],
    ['a value off the scale', rating, '很满意', 'not_an_option', /“满意”“基本满意”“不满意”/],
    ['a score above the range', score, 10.5, 'out_of_range', /不在 0 到 10 之间/],
    ['a score below the range', score, -1, 'out_of_range', /不在 0 到 10 之间/],
    ['a score between steps', score, 7.3, 'off_step', /每 0.5 分一档/],
    ['a score with too many decimals', score, 7.5000001, 'off_step', /每 0.5 分一档/],
    ['a score as text', score, '7', 'not_a_number', /请填写 0 到 10 之间的分数/],
    ['a score that is NaN', score, Number.NaN, 'not_a_number', /分数/],
    ['14 of 20 where 13 are allowed', choose20, choose20.options.slice(0, 14), 'too_many', /最多勾选 13 项，现勾选了 14 项：请去掉 1 项/],
    ['an option twice', choose20, ['项目1', '项目1'], 'duplicate', /只能勾选一次/],
    ['an option not on the list', choose20, ['项目21'], 'not_an_option', /“项目21”不是本次表决的候选项/],
    ['not a list', choose20, '项目1', 'not_a_list', /请勾选/],
    ['fewer than exactly', { ...choose20, choose: { exactly: 3 } }, ['项目1'], 'wrong_count', /须勾选 3 项，现勾选了 1 项/],
  ];
  for (const [name, ballot, choice, reason, message] of cases) {
    it(`refuses ${name}`, () => {
      const e = refusal(ballot, choice);
      expect(e.code).toBe('LVZ_BALLOT_BAD_CHOICE');
      expect(e.params).toMatchObject({ ballot: 'b', reason });
      expect(e.message).toMatch(message);
    });
  }
});

describe('validateBallot', () => {
  it('finds nothing in sound definitions', () => {
    for (const b of [forAgainst, rating, score, choose20, { ...rating, pass: 'majority_of_present', pass_options: ['满意', '基本满意'] } as Ballot]) {
      expect(validateBallot(b)).toEqual([]);
    }
  });
  const cases: [string, Ballot, string[]][] = [
    ['a scale of one', { ...rating, scale: ['满意'] }, ['/scale']],
    ['a repeated option', { ...choose20, options: ['甲', '甲'], choose: { up_to: 1 } }, ['/options']],
    ['a pass rule without pass_options', { ...rating, pass: 'majority_of_present' }, ['/pass_options']],
    ['pass_options off the scale', { ...rating, pass: 'majority_of_present', pass_options: ['好'] }, ['/pass_options']],
    ['a step that does not divide the range', { ...score, max: 10, step: 3 }, ['/step']],
    ['max below min and a zero step', { ...score, min: 5, max: 1, step: 0 }, ['/max', '/step']],
    ['a score with a pass rule', { ...score, pass: 'majority_of_present' }, ['/pass']],
    ['choose more than there are', { ...choose20, choose: { up_to: 21 } }, ['/choose/up_to']],
    ['elect zero', { ...choose20, elect: 0 }, ['/elect']],
    ['no members and an unknown rule', { ...forAgainst, members: 0, quorum: 'most' as 'none' }, ['/members', '/quorum']],
  ];
  for (const [name, ballot, paths] of cases) {
    it(`reports ${name}`, () => {
      const errors = validateBallot(ballot);
      expect(errors.map((e) => e.code)).toEqual(paths.map(() => 'LVZ_BALLOT_BAD_DEFINITION'));
      expect(errors.map((e) => e.path)).toEqual(paths);
      expect(errors[0]!.message).toMatch(/^表决“b”：/);
    });
  }
});

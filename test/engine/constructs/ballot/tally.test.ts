// tally.test.ts: the seeds' figures, each kind, each quorum and pass rule at its edges.
import { describe, expect, it } from 'vitest';
import { isPassed, isQuorumMet, shareOf, tally } from '../../../../engine/constructs/ballot/index.ts';
import type {
  Ballot, ChooseBallot, ChooseTally, CountTally, ForAgainstBallot, PassRule, RatingBallot, ScoreBallot, ScoreTally,
} from '../../../../engine/constructs/ballot/index.ts';
import { LvzError } from '../../../../engine/errors.ts';

const forAgainst = (over: Partial<ForAgainstBallot> = {}): ForAgainstBallot =>
  ({ id: 'b1', kind: 'for_against', secret: true, members: 45, quorum: 'majority_of_members', pass: 'majority_of_members', ...over });
const casts = (spec: Record<string, number>): { choice: string }[] =>
  Object.entries(spec).flatMap(([choice, n]) => Array.from({ length: n }, () => ({ choice })));

describe('shares of members present (the seeds: DOMAIN.md section 5)', () => {
  it('4 and 7 against of 33 present are 12.1% and 21.2%; 5 and 6 of 27 are 18.5% and 22.2%', () => {
    expect(shareOf(4, 33)?.text).toBe('12.1%');
    expect(shareOf(7, 33)?.text).toBe('21.2%');
    expect(shareOf(5, 27)?.text).toBe('18.5%');
    expect(shareOf(6, 27)?.text).toBe('22.2%');
  });

  it('a satisfaction vote with 7 against of 33 present reports 21.2% against in its counts', () => {
    const t = tally(forAgainst(), casts({ for: 24, against: 7, abstain: 2 }), 33) as CountTally;
    expect(t.counts.map((c) => [c.option, c.count, c.share?.text])).toEqual([
      ['for', 24, '72.7%'], ['against', 7, '21.2%'], ['abstain', 2, '6.1%'],
    ]);
    expect(t.cast).toBe(33);
  });

  it('rounds half up, exactly: 1 of 8 is 12.5%, 1 of 16 (6.25%) is 6.3%, 1 of 3 is 33.3%, 2 of 3 is 66.7%', () => {
    expect(shareOf(1, 8)?.text).toBe('12.5%');
    expect(shareOf(1, 16)?.text).toBe('6.3%');
    expect(shareOf(1, 3)?.text).toBe('33.3%');
    expect(shareOf(2, 3)?.text).toBe('66.7%');
    expect(shareOf(3, 3)?.text).toBe('100.0%');
    expect(shareOf(0, 33)?.text).toBe('0.0%');
    // 1 of 1600 is 0.0625% → 0.1%; float rounding of 0.0625*10 would need care, integers need none.
    expect(shareOf(1, 1600)?.text).toBe('0.1%');
    expect(shareOf(1, 2001)?.text).toBe('0.0%');
  });

  it('has no share with nobody present', () => {
    expect(shareOf(0, 0)).toBeNull();
    const t = tally(forAgainst({ quorum: 'none', pass: 'majority_of_present' }), [], 0) as CountTally;
    expect(t.counts.every((c) => c.share === null)).toBe(true);
    expect(t.passed).toBe(false);
  });
});

describe('quorum rules', () => {
  it('majority_of_members (全体组成人员过半数出席) needs more than half: 23 of 45, not 22; 4 of 8 is not, 5 is', () => {
    expect(isQuorumMet('majority_of_members', 45, 23)).toBe(true);
    expect(isQuorumMet('majority_of_members', 45, 22)).toBe(false);
    expect(isQuorumMet('majority_of_members', 8, 4)).toBe(false);
    expect(isQuorumMet('majority_of_members', 8, 5)).toBe(true);
  });
  it('two_thirds_of_members (三分之二以上) includes two thirds itself: 22 of 33 is, 21 is not; 30 of 45 is', () => {
    expect(isQuorumMet('two_thirds_of_members', 33, 22)).toBe(true);
    expect(isQuorumMet('two_thirds_of_members', 33, 21)).toBe(false);
    expect(isQuorumMet('two_thirds_of_members', 45, 30)).toBe(true);
    expect(isQuorumMet('two_thirds_of_members', 45, 29)).toBe(false);
  });
  it('none is met even with nobody present', () => {
    expect(isQuorumMet('none', 45, 0)).toBe(true);
  });
  it('without quorum nothing passes, however the votes went', () => {
    const t = tally(forAgainst(), casts({ for: 22 }), 22) as CountTally;
    expect(t.quorum_met).toBe(false);
    expect(t.passed).toBe(false);
    expect(t.counts[0]!.count).toBe(22);
  });
});

describe('pass rules', () => {
  const cases: [PassRule, number, number, number, boolean][] = [
    // rule, yes, members, present, passed
    ['majority_of_members', 23, 45, 33, true],
    ['majority_of_members', 22, 45, 33, false],   // a majority of those present, not of the members
    ['majority_of_present', 17, 45, 33, true],
    ['majority_of_present', 16, 45, 33, false],
    ['majority_of_present', 15, 45, 30, false],   // exactly half is not 过半数
    ['majority_of_present', 16, 45, 30, true],
    ['two_thirds_of_members', 30, 45, 40, true],  // exactly two thirds is 三分之二以上
    ['two_thirds_of_members', 29, 45, 40, false],
    ['two_thirds_of_present', 22, 45, 33, true],
    ['two_thirds_of_present', 21, 45, 33, false],
    ['two_thirds_of_present', 0, 45, 0, false],   // 0 >= 0 would pass; nobody present passes nothing
    ['majority_of_present', 0, 45, 0, false],
  ];
  for (const [rule, yes, members, present, passed] of cases) {
    it(`${rule}: ${yes} yes of ${members} members, ${present} present → ${passed ? 'passed' : 'not passed'}`, () => {
      expect(isPassed(rule as Exclude<PassRule, 'none'>, yes, members, present)).toBe(passed);
      const t = tally(forAgainst({ pass: rule, quorum: 'none', members }), casts({ for: yes, against: present - yes }), present) as CountTally;
      expect(t.passed).toBe(passed);
      expect(t.yes).toBe(yes);
    });
  }
  it('abstentions and members present who did not vote count against a majority of those present', () => {
    const t = tally(forAgainst({ pass: 'majority_of_present', quorum: 'none' }), casts({ for: 16, abstain: 5 }), 33) as CountTally;
    expect(t.cast).toBe(21);
    expect(t.passed).toBe(false);
  });
  it('pass none reports counts only', () => {
    expect((tally(forAgainst({ pass: 'none' }), casts({ for: 30 }), 33) as CountTally).passed).toBeNull();
  });
});

describe('rating', () => {
  const rating: RatingBallot = {
    id: 'r1', kind: 'rating', secret: true, members: 45, quorum: 'majority_of_members', pass: 'majority_of_present',
    scale: ['满意', '基本满意', '不满意'], pass_options: ['满意', '基本满意'],
  };
  it('counts each value of the scale, in the scale order, with shares of present', () => {
    const t = tally(rating, casts({ 不满意: 4, 满意: 20, 基本满意: 9 }), 33) as CountTally;
    expect(t.counts.map((c) => [c.option, c.count, c.share?.text])).toEqual([
      ['满意', 20, '60.6%'], ['基本满意', 9, '27.3%'], ['不满意', 4, '12.1%'],
    ]);
    expect(t.yes).toBe(29);
    expect(t.passed).toBe(true);
  });
  it('passes on its pass_options only: 8 满意 + 8 基本满意 of 33 is not a majority', () => {
    const t = tally(rating, casts({ 满意: 8, 基本满意: 8, 不满意: 17 }), 33) as CountTally;
    expect(t.passed).toBe(false);
  });
  it('a 好 / 较好 / 差 scale with no pass rule', () => {
    const t = tally({ ...rating, scale: ['好', '较好', '差'], pass_options: undefined, pass: 'none' }, casts({ 好: 2, 差: 1 }), 3) as CountTally;
    expect(t.counts.map((c) => c.count)).toEqual([2, 0, 1]);
    expect(t.passed).toBeNull();
  });
});

describe('score', () => {
  const score: ScoreBallot = { id: 's1', kind: 'score', secret: true, members: 30, quorum: 'none', pass: 'none', min: 0, max: 100, step: 1 };
  it('sums and averages exactly, two decimals half-up', () => {
    const t = tally(score, [{ choice: 90 }, { choice: 85 }, { choice: 87 }], 3) as ScoreTally;
    expect([t.sum, t.average, t.lowest, t.highest]).toEqual(['262', '87.33', 85, 90]);
    expect((tally(score, [{ choice: 90 }, { choice: 85 }], 3) as ScoreTally).average).toBe('87.50');
    expect((tally(score, [{ choice: 1 }, { choice: 0 }, { choice: 0 }, { choice: 0 }, { choice: 0 }, { choice: 0 }, { choice: 0 }, { choice: 0 }], 8) as ScoreTally).average).toBe('0.13');
  });
  it('counts tenths without float drift: 0.1 + 0.2 is 0.3', () => {
    const tenths: ScoreBallot = { ...score, min: 0, max: 10, step: 0.1 };
    const t = tally(tenths, [{ choice: 0.1 }, { choice: 0.2 }], 2) as ScoreTally;
    expect(t.sum).toBe('0.3');
    expect(t.average).toBe('0.15');
  });
  it('has no average with no cast', () => {
    const t = tally(score, [], 5) as ScoreTally;
    expect([t.sum, t.average, t.lowest]).toEqual(['0', null, null]);
  });
});

describe('choose N of M', () => {
  const projects = ['甲', '乙', '丙', '丁', '戊'];
  const choose = (over: Partial<ChooseBallot> = {}): ChooseBallot => ({
    id: 'c1', kind: 'choose', secret: true, members: 10, quorum: 'none', pass: 'none', options: projects, choose: { up_to: 2 }, ...over,
  });
  const lists = (...ls: string[][]): { choice: string[] }[] => ls.map((choice) => ({ choice }));

  it('the N most chosen, with counts, shares and blank casts', () => {
    const t = tally(choose(), lists(['甲', '乙'], ['甲', '丙'], ['甲', '乙'], [], ['丁']), 5) as ChooseTally;
    expect(t.counts.map((c) => [c.option, c.count, c.share?.text])).toEqual([
      ['甲', 3, '60.0%'], ['乙', 2, '40.0%'], ['丙', 1, '20.0%'], ['丁', 1, '20.0%'], ['戊', 0, '0.0%'],
    ]);
    expect(t.chosen).toEqual(['甲', '乙']);
    expect(t.tied).toBeNull();
    expect(t.blank).toBe(1);
  });
  it('reports a tie across the last seat instead of picking', () => {
    const t = tally(choose(), lists(['甲', '乙'], ['甲', '丙'], ['丁']), 3) as ChooseTally;
    expect(t.chosen).toEqual(['甲']);
    expect(t.tied).toEqual({ options: ['乙', '丙', '丁'], seats: 1 });
  });
  it('a tie that fills the seats exactly is no tie', () => {
    const t = tally(choose({ choose: { exactly: 2 } }), lists(['甲', '乙'], ['乙', '甲']), 2) as ChooseTally;
    expect(t.chosen).toEqual(['甲', '乙']);
    expect(t.tied).toBeNull();
  });
  it('with a pass rule an option must pass it to be chosen; elect sets the seats', () => {
    const b = choose({ pass: 'majority_of_present', elect: 3 });
    const t = tally(b, lists(['甲', '乙'], ['甲', '乙'], ['甲', '丙'], ['丁', '戊']), 4) as ChooseTally;
    expect(t.chosen).toEqual(['甲']); // 乙 has 2 of 4: exactly half is not 过半数
    expect(t.passed).toBe(false);      // three seats, one filled
    const full = tally(choose({ pass: 'majority_of_present' }), lists(['甲', '乙'], ['甲', '乙'], ['甲', '乙']), 3) as ChooseTally;
    expect(full.passed).toBe(true);
  });
  it('chooses nothing without quorum and nothing with zero votes', () => {
    expect((tally(choose({ quorum: 'majority_of_members' }), lists(['甲']), 5) as ChooseTally).chosen).toEqual([]);
    expect((tally(choose(), lists([], []), 2) as ChooseTally).chosen).toEqual([]);
  });
});

describe('attendance', () => {
  const refused = (b: Ballot, n: number, present: number): LvzError => {
    try {
      tally(b, casts({ for: n }), present);
    } catch (e) {
      return e as LvzError;
    }
    throw new Error('not refused');
  };
  it('refuses more present than members, more casts than present, a fraction', () => {
    expect(refused(forAgainst(), 0, 46).code).toBe('LVZ_BALLOT_BAD_ATTENDANCE');
    expect(refused(forAgainst(), 34, 33).code).toBe('LVZ_BALLOT_BAD_ATTENDANCE');
    expect(refused(forAgainst(), 1, 2.5).code).toBe('LVZ_BALLOT_BAD_ATTENDANCE');
    expect(refused(forAgainst(), 0, -1).message).toContain('实到 -1 人');
  });
  it('refuses a stored cast the ballot does not allow, naming its row', () => {
    const e = (() => { try { tally(forAgainst(), [{ choice: 'for' }, { choice: '同意' }], 2); } catch (x) { return x as LvzError; } })()!;
    expect(e.code).toBe('LVZ_BALLOT_BAD_CHOICE');
    expect(e.params.row).toBe(2);
    expect(e.message).toMatch(/^第 2 张票无效/);
  });
});

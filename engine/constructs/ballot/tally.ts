// tally.ts: counts, shares of members present, quorum and pass, from the casts and the attendance.
//
// Pure and exact: every count and comparison is on integers; the only rounding is the one the
// seeds use (one decimal, half-up) and a score's average (two decimals, half-up).

import { LvzError, isLvzError } from '../../errors.ts';
import { isPassed, isQuorumMet, shareOf } from './rules.ts';
import { scoreUnits, fixed } from './score-units.ts';
import { validateCast } from './validate-cast.ts';
import {
  FOR_AGAINST,
  type Ballot, type Cast, type ChooseBallot, type ChooseTally, type CountTally, type OptionCount, type ScoreBallot,
  type ScoreTally, type Tally, type TallyBase,
} from './types.ts';

/** Tally `casts` of a ballot with `present` members signed in. Throws on an impossible attendance or a bad cast. */
export function tally(ballot: Ballot, casts: readonly Pick<Cast, 'choice'>[], present: number): Tally {
  checkAttendance(ballot, casts.length, present);
  casts.forEach((c, i) => checkStored(ballot, c.choice, i));
  const base: TallyBase = {
    members: ballot.members, present, cast: casts.length,
    quorum_met: isQuorumMet(ballot.quorum, ballot.members, present), passed: null,
  };
  switch (ballot.kind) {
    case 'for_against':
    case 'rating':
      return countTally(ballot, casts.map((c) => c.choice as string), base);
    case 'score':
      return scoreTally(ballot, casts.map((c) => c.choice as number), base);
    case 'choose':
      return chooseTally(ballot, casts.map((c) => c.choice as string[]), base);
  }
}

function checkAttendance(ballot: Ballot, cast: number, present: number): void {
  const whole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
  if (!whole(present) || !whole(ballot.members) || present > ballot.members || cast > present) {
    throw new LvzError('LVZ_BALLOT_BAD_ATTENDANCE',
      `应到 ${ballot.members} 人、实到 ${present} 人、已投 ${cast} 票，人数不合：实到人数须为不超过应到人数的整数，投票数不能多于实到人数；请核对签到后再计票`,
      { params: { ballot: ballot.id, members: ballot.members, present, cast } });
  }
}

function checkStored(ballot: Ballot, choice: unknown, i: number): void {
  try {
    validateCast(ballot, choice);
  } catch (e) {
    if (!isLvzError(e)) throw e;
    throw new LvzError(e.code, `第 ${i + 1} 张票无效（${e.message}）`, { params: { ...e.params, row: i + 1 }, cause: e });
  }
}

function optionCounts(options: readonly string[], counted: Map<string, number>, present: number): OptionCount[] {
  return options.map((option) => {
    const count = counted.get(option) ?? 0;
    return { option, count, share: shareOf(count, present) };
  });
}

function countTally(ballot: Ballot & { kind: 'for_against' | 'rating' }, choices: string[], base: TallyBase): CountTally {
  const counted = new Map<string, number>();
  for (const c of choices) counted.set(c, (counted.get(c) ?? 0) + 1);
  const options = ballot.kind === 'for_against' ? FOR_AGAINST : ballot.scale;
  const yesOptions = ballot.kind === 'for_against' ? ['for'] : (ballot.pass_options ?? []);
  const yes = yesOptions.reduce((n, o) => n + (counted.get(o) ?? 0), 0);
  const passed = ballot.pass === 'none' ? null : base.quorum_met && isPassed(ballot.pass, yes, base.members, base.present);
  return { ...base, kind: ballot.kind, passed, counts: optionCounts(options, counted, base.present), yes };
}

function scoreTally(ballot: ScoreBallot, scores: number[], base: TallyBase): ScoreTally {
  const units = scoreUnits(ballot);
  const sum = scores.reduce((n, s) => n + units.of(s)!, 0);
  return {
    ...base, kind: 'score',
    sum: units.text(sum),
    average: scores.length === 0 ? null : averageText(sum, scores.length, units.decimals),
    lowest: scores.length === 0 ? null : Math.min(...scores),
    highest: scores.length === 0 ? null : Math.max(...scores),
  };
}

/** sum / count (sum in units of 10^-decimals) with two decimals, half away from zero, on integers. */
export function averageText(sum: number, count: number, decimals: number): string {
  const num = Math.abs(sum) * 100;
  const den = count * 10 ** decimals;
  const twice = 2 * num + den;
  const hundredths = (twice - (twice % (2 * den))) / (2 * den);
  return fixed(sum < 0 ? -hundredths : hundredths, 2);
}

function chooseTally(ballot: ChooseBallot, lists: string[][], base: TallyBase): ChooseTally {
  const counted = new Map<string, number>();
  for (const list of lists) for (const o of list) counted.set(o, (counted.get(o) ?? 0) + 1);
  const counts = optionCounts(ballot.options, counted, base.present)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.count - a.c.count || a.i - b.i)
    .map(({ c }) => c);
  const seats = ballot.elect ?? ('exactly' in ballot.choose ? ballot.choose.exactly : ballot.choose.up_to);
  const eligible = base.quorum_met
    ? counts.filter((c) => c.count > 0 && (ballot.pass === 'none' || isPassed(ballot.pass, c.count, base.members, base.present)))
    : [];
  const { chosen, tied } = mostChosen(eligible, seats);
  const passed = ballot.pass === 'none' ? null : base.quorum_met && tied === null && chosen.length === seats;
  return { ...base, kind: 'choose', passed, counts, chosen, tied, blank: lists.filter((l) => l.length === 0).length };
}

/** The `seats` most chosen of `ranked` (most first); options tied across the last seat are reported, not picked. */
function mostChosen(ranked: OptionCount[], seats: number): Pick<ChooseTally, 'chosen' | 'tied'> {
  if (ranked.length <= seats) return { chosen: ranked.map((c) => c.option), tied: null };
  const boundary = ranked[seats - 1]!.count;
  const above = ranked.filter((c) => c.count > boundary).map((c) => c.option);
  const at = ranked.filter((c) => c.count === boundary).map((c) => c.option);
  if (above.length + at.length === seats) return { chosen: [...above, ...at], tied: null };
  return { chosen: above, tied: { options: at, seats: seats - above.length } };
}

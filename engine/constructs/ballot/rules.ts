// rules.ts: quorum and pass rules, and shares of members present, on integers only.
//
// 过半数 is strictly more than half (2·yes > n); 三分之二以上 includes two thirds itself (3·yes ≥ 2·n),
// as 以上 includes the number in Chinese legal usage. Comparing cross-multiplied integers keeps
// 22 of 33 exactly two thirds, where 22 / 33 >= 2 / 3 in floating point is a coin toss.

import type { PassRule, QuorumRule, Share } from './types.ts';

export function isQuorumMet(rule: QuorumRule, members: number, present: number): boolean {
  if (rule === 'none') return true;
  if (rule === 'majority_of_members') return 2 * present > members;
  return 3 * present >= 2 * members;
}

/** Whether `yes` votes pass under `rule`; a base of zero (nobody present) never passes. */
export function isPassed(rule: Exclude<PassRule, 'none'>, yes: number, members: number, present: number): boolean {
  const base = rule.endsWith('_of_members') ? members : present;
  if (base === 0) return false;
  return rule.startsWith('majority') ? 2 * yes > base : 3 * yes >= 2 * base;
}

/**
 * count / present as a percentage with one decimal, rounded half-up, as the seeds report it
 * (4 of 33 = 12.1%, 7 of 33 = 21.2%): round(1000·count / present) = ⌊(2000·count + present) / (2·present)⌋.
 * null when nobody is present.
 */
export function shareOf(count: number, present: number): Share | null {
  if (present === 0) return null;
  const numerator = 2000 * count + present;
  const permille = (numerator - (numerator % (2 * present))) / (2 * present);
  return { permille, text: `${Math.floor(permille / 10)}.${permille % 10}%` };
}

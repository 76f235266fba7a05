// score-units.ts: scores as whole numbers of the ballot's smallest unit, so sums and steps are exact.
//
// A 0–10 ballot with step 0.5 counts in tenths: 7.5 is 75. Scores have at most 3 decimals; a number
// that needs more (or is written 1e-7) has no units and is refused.

import type { ScoreBallot } from './types.ts';

const MAX_DECIMALS = 3;

export function decimalsOf(x: number): number | null {
  const s = String(Math.abs(x));
  if (s.includes('e')) return null;
  const dot = s.indexOf('.');
  const d = dot < 0 ? 0 : s.length - dot - 1;
  return d <= MAX_DECIMALS ? d : null;
}

export interface ScoreUnits {
  /** Decimals of the unit: 1 for tenths. */
  decimals: number;
  /** x in units, or null when x has more decimals than the unit. */
  of(x: number): number | null;
  /** units back to text with the unit's decimals ("7.5"). */
  text(units: number): string;
}

export function scoreUnits(ballot: Pick<ScoreBallot, 'min' | 'max' | 'step'>): ScoreUnits {
  const decimals = Math.max(decimalsOf(ballot.min) ?? 0, decimalsOf(ballot.max) ?? 0, decimalsOf(ballot.step) ?? 0);
  const scale = 10 ** decimals;
  return {
    decimals,
    of: (x) => {
      const d = decimalsOf(x);
      return d === null || d > decimals ? null : Math.round(x * scale);
    },
    text: (units) => fixed(units, decimals),
  };
}

/** An integer of 10^-decimals as text: fixed(-75, 1) = "-7.5". */
export function fixed(units: number, decimals: number): string {
  const sign = units < 0 ? '-' : '';
  const a = Math.abs(units);
  if (decimals === 0) return `${sign}${a}`;
  const scale = 10 ** decimals;
  return `${sign}${Math.floor(a / scale)}.${String(a % scale).padStart(decimals, '0')}`;
}

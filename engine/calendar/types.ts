// types.ts: the working-day calendar contract; durations use DurationSpec from engine/dsl/types.ts.

import type { LvzError } from '../errors.ts';

/**
 * Business dates (deadlines, working days) are reckoned in China Standard Time: UTC+8, without
 * daylight saving since 1992. Named as a fixed offset, not 'Asia/Shanghai': luxon then adds
 * eight hours instead of asking Intl for the zone's offset on every date, which was a quarter of
 * the inbox page's CPU (docs/benchmarks.md).
 */
export const BUSINESS_ZONE = 'UTC+8';

/** One listed day of the holiday calendar file. */
export interface CalendarDay {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** 元旦, 春节, 国庆节调休上班 … */
  name: string;
}

/** One year of the file, as written. */
export interface CalendarYear {
  year: number;
  /** Rest days by statute, including any that fall on a weekend. */
  holidays: CalendarDay[];
  /** Weekend days that are working days (调休上班). */
  workdays: CalendarDay[];
}

export interface Calendar {
  /** The years whose schedule is known (file or studio), ascending. */
  readonly years: number[];
  /** Whether `year`'s schedule is known; dates of any other year are estimated (provisional). */
  covers(year: number): boolean;
  /**
   * Whether a local date (`YYYY-MM-DD`, Asia/Shanghai) is a working day: Monday–Friday unless a
   * holiday, Saturday–Sunday only when listed as a make-up working day. In a year not covered:
   * Monday–Friday less the fixed-date statutory holidays (元旦, 劳动节, 国庆节), an estimate.
   */
  isWorkingDay(localDate: string): boolean;
  /** The listed name of a holiday or make-up day, or undefined for an ordinary day. */
  nameOf(localDate: string): string | undefined;
}

/** Result of checking a calendar file: every problem is collected, as `lvzhi validate` wants. */
export type CalendarResult =
  | { ok: true; calendar: Calendar; years: CalendarYear[] }
  | { ok: false; errors: LvzError[] };

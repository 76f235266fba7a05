// index.ts: the public API of the working-day calendar and durations.

export { BUSINESS_ZONE } from './types.ts';
export type { Calendar, CalendarDay, CalendarYear, CalendarResult } from './types.ts';
export type { Reckoned } from './duration.ts';
export { loadCalendar, parseCalendar, parseCalendarYear, formatCalendarYear, createCalendar } from './holidays.ts';
export {
  ACCEPTED_FORMS,
  parseDuration,
  addDuration,
  subtractDuration,
  reckonAdd,
  reckonSubtract,
  workingDaysBetween,
  localDateOf,
} from './duration.ts';

// index.ts: the public API of the working-day calendar and durations.

export { BUSINESS_ZONE } from './types.ts';
export type { Calendar, CalendarDay, CalendarYear, CalendarResult } from './types.ts';
export { loadCalendar, parseCalendar, createCalendar } from './holidays.ts';
export {
  ACCEPTED_FORMS,
  parseDuration,
  addDuration,
  subtractDuration,
  workingDaysBetween,
  localDateOf,
} from './duration.ts';

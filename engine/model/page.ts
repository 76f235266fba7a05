// page.ts: one page of a list, and where lists stop counting.

/** The instance list counts at most this many (a cheap count at a million instances); beyond, it shows 999+. */
export const COUNT_CAP = 1000;
/**
 * The inbox lists and the navigation badges count at most this many, shown as 99+ beyond: every
 * page counts the four lists, and a badge, like a phone's, needs no more (docs/benchmarks.md).
 */
export const INBOX_COUNT_CAP = 100;

export interface Page<T> {
  items: T[];
  /** At most the list's cap (COUNT_CAP, INBOX_COUNT_CAP): lists count no further. */
  total: number;
  /** The count stopped at the cap: there are `total` items or more (shown as 999+ or 99+). */
  isCapped: boolean;
  page: number;
  pageSize: number;
}

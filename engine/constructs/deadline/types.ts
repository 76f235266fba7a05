// types.ts: a deadline as the runtime reads it (docs/dsl.md, "Deadlines").

import type { DurationSpec } from '../../model/duration.ts';

export interface DeadlineDef {
  /** The first case whose `when` holds gives the duration; the last case has no `when`. */
  after: { when?: string; duration: DurationSpec }[];
  /** Reminders before the deadline (e.g. `2 working days`). */
  remind: DurationSpec[];
  /** Event sent to the machine when the deadline passes (an `on:` key), or none: just marked overdue. */
  escalate?: string;
}

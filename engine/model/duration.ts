// duration.ts: a duration as a definition writes it (`3 months`, `7 working days`, `P7D`), parsed.

export interface DurationSpec {
  /** Text as written: `3 months`, `7 working days`, `P3M`, `P7D`. */
  text: string;
  amount: number;
  unit: 'minutes' | 'hours' | 'days' | 'working_days' | 'weeks' | 'months' | 'years';
}

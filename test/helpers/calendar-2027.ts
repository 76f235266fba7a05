// calendar-2027.ts: a plausible 2027 holiday schedule for tests (the State Council's notice is not
// out yet): 元旦 1–3 January, 春节 5–13 February, Saturday 20 February worked.

const DAYS = (from: number, to: number, month: string, name: string): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `    - { date: 2027-${month}-${String(from + i).padStart(2, '0')}, name: ${name} }\n`).join('');

export const YEAR_2027 = `2027:\n  holidays:\n${DAYS(1, 3, '01', '元旦')}${DAYS(5, 13, '02', '春节')}  workdays:\n    - { date: 2027-02-20, name: 春节调休上班 }\n`;

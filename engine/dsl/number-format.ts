// number-format.ts: a workflow's `number:` (建议 第{year}{seq:3}号): what it may say, and the number it gives.
//
// The year and a sequence kept per workflow and year are what make a number unique, so both must be
// in it; the literal text around them tells one workflow's numbers from another's.

/** The format of a workflow that declares none: 2026-0001, as numbers read before `number:` existed. */
export const DEFAULT_NUMBER_FORMAT = '{year}-{seq:4}';

/** Longest literal text (besides the placeholders), so a number fits the 32-character column. */
const MAX_LITERAL = 16;
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** What is wrong with a format, in zh-CN, or undefined when it is usable. */
export function numberFormatProblem(format: string): string | undefined {
  const names = [...format.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const unknown = names.filter((n) => n !== 'year' && !/^seq(:[1-9])?$/.test(n));
  if (unknown.length > 0) return `不认识占位符 {${unknown[0]}}：只能用 {year}（年份）和 {seq} 或 {seq:3}（序号，补零到 3 位，1 到 9 位）`;
  const literal = format.replace(PLACEHOLDER, '');
  if (/[{}]/.test(literal)) return '花括号不成对：占位符写作 {year}、{seq} 或 {seq:3}';
  if (names.filter((n) => n === 'year').length !== 1) return '须含且只含一个 {year}：编号按年重新起算，没有年份会与往年重复';
  if (names.filter((n) => n.startsWith('seq')).length !== 1) return '须含且只含一个序号 {seq} 或 {seq:3}：同一年内靠它区分各件';
  if ([...literal].length > MAX_LITERAL) return `固定文字最多 ${MAX_LITERAL} 个字：编号要在列表中一眼读完`;
  return undefined;
}

/** The number of the `seq`-th instance of `year`: 建议 第2026001号. */
export function formatNumber(format: string, year: number, seq: number): string {
  return format.replace(PLACEHOLDER, (_, name: string) => {
    if (name === 'year') return String(year);
    const width = Number(name.split(':')[1] ?? 1);
    return String(seq).padStart(width, '0');
  });
}

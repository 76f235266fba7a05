// zh.ts: the shared pieces of zh-CN definition-error wording: quoted names, listed choices, "did you mean".
//
// Names from the YAML (states, fields, keys) stay verbatim inside “”, so an admin can search the file for them.

/** `review` -> `“review”`. */
export const q = (name: unknown): string => `“${String(name)}”`;

/** `['a', 'b']` -> `a、b`. */
export const list = (items: Iterable<unknown>): string => [...items].map(String).join('、');

/** JSON types as an admin reads them. */
const TYPE_WORDS: Record<string, string> = {
  string: '文本',
  object: '键值映射（map）',
  array: '列表',
  integer: '整数',
  number: '数字',
  boolean: 'true 或 false',
  null: '空值',
};

/** `'string,array'` or `['string', 'array']` -> `文本或列表`. */
export function typeWords(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  return types.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join('或');
}

/** ajv's `comparison` (`>=`, `<`, …) in words. */
export function comparisonWords(c: unknown): string {
  const words: Record<string, string> = { '>=': '大于或等于', '<=': '小于或等于', '>': '大于', '<': '小于' };
  return words[String(c)] ?? String(c);
}

/** Edit distance, for "did you mean": max_lenght -> max_length. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The allowed word closest to a typo (at most two edits away), if any. */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  const best = allowed.map((k) => ({ k, d: distance(word, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? best.k : undefined;
}

/** `（是否想写“title”？）` when a close match exists, else ''. */
export function didYouMean(word: string, allowed: readonly string[]): string {
  const best = closest(word, allowed);
  return best === undefined ? '' : `（是否想写${q(best)}？）`;
}

// regex-check.ts: refuses, when a definition loads, the regular expressions that can backtrack for minutes.
//
// An admin writes regexes in a form field's `pattern:` and in CEL's `matches`; V8 runs them by
// backtracking, so `(a+)+$` on forty a's and a '!' holds the event loop for minutes (ReDoS). The process
// also falls back to V8's linear engine after too many backtracks (linear-regexp.ts), but that engine
// takes no backreferences, lookarounds or the `u` flag, so this check is the bound that always holds. It
// is a small tokenizer of JavaScript regex syntax and is conservative: when unsure, it refuses.

/** The longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 200;

export interface RegexProblem {
  /** zh-CN, says what to write instead. */
  message: string;
  /** Offset in the pattern where the problem starts. */
  index: number;
}

interface Group {
  start: number;
  /** Holds a quantifier whose count varies (`+`, `*`, `?`, `{1,3}`), directly or in a nested group. */
  varies: boolean;
  lookaround: boolean;
  /** Offsets where each branch starts (one when the group has no `|`). */
  branches: number[];
}

interface Quantifier { end: number; max: number; varies: boolean }

const SPECIAL = new Set([...'\\^$.|?*+()[]{}']);

/** A `\p{..}`/`\u{..}` escape or a character outside the BMP, which mean something else without the `u` flag. */
export const needsUnicode = (pattern: string): boolean => /\\[pPu]\{|[\u{10000}-\u{10FFFF}]/u.test(pattern);

/**
 * The first problem of a pattern, or undefined when it is safe to run on any input. A pattern run with the
 * `u` flag (`unicode`) gets no linear fallback, so it may also hold only one long quantifier (`+`, `*`,
 * `{n,}`, `{m,n}` with n over 20): several in a row are polynomial (`\p{L}+\p{L}+\p{L}+x` on 2,000
 * letters: 1.3 s; on 10,000, minutes).
 */
export function unsafeRegex(pattern: string, unicode = false): RegexProblem | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { index: MAX_PATTERN_LENGTH, message: `正则表达式有 ${pattern.length} 个字符，上限 ${MAX_PATTERN_LENGTH} 个：请写得短一些` };
  }
  let long = 0;
  const count = (q: Quantifier | undefined, at: number): RegexProblem | undefined =>
    unicode && q && q.max > 20 && ++long > 1
      ? { index: at, message: '用了 \\p{..}、\\u{..} 或 BMP 以外字符的正则最多只能有一个 +、*、{n,} 或上限超过 20 的 {m,n}：请用 {m,n} 限定其余的次数' }
      : undefined;
  const stack: Group[] = [{ start: 0, varies: false, lookaround: false, branches: [0] }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '(') {
      const look = /^\(\?<?[=!]/.test(pattern.slice(i, i + 4));
      const open = /^\(\?(?::|<?[=!]|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i))?.[0].length ?? 1;
      if (pattern[i + 1] === '?' && open === 1) return { index: i, message: '不支持这种 (? 写法：请只用 (?: )、(?= )、(?! ) 或 (?<名称> )' };
      stack.push({ start: i, varies: false, lookaround: look, branches: [i + open] });
      i += open;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return { index: i, message: '右括号 ) 多于左括号：请检查括号是否配对' };
      const group = stack.pop()!;
      const q = quantifier(pattern, i + 1);
      const problem = checkGroup(pattern, group, i, q) ?? count(q, i + 1);
      if (problem) return problem;
      const parent = stack[stack.length - 1]!;
      parent.varies ||= group.varies || !!q?.varies;
      i = q?.end ?? i + 1;
      continue;
    }
    if (c === '|') {
      top.branches.push(i + 1);
      i += 1;
      continue;
    }
    const atomEnd = atom(pattern, i);
    if (typeof atomEnd !== 'number') return atomEnd;
    const q = quantifier(pattern, atomEnd);
    const problem = count(q, atomEnd);
    if (problem) return problem;
    if (q?.varies) top.varies = true;
    i = q?.end ?? atomEnd;
  }
  if (stack.length > 1) return { index: stack[stack.length - 1]!.start, message: '左括号 ( 没有对应的右括号：请检查括号是否配对' };
  return undefined;
}

/** The end of one atom (a character, an escape, a class) at `i`, or the problem with it. */
function atom(p: string, i: number): number | RegexProblem {
  const c = p[i]!;
  if (c === '[') {
    let j = i + 1;
    if (p[j] === ']') j += 1; // `[]]` is not a JavaScript class, but be safe about where it ends
    while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
    if (j >= p.length) return { index: i, message: '方括号 [ 没有对应的 ]：请检查' };
    return j + 1;
  }
  if (c !== '\\') return i + 1;
  const e = p[i + 1];
  if (e === undefined) return { index: i, message: '正则表达式不能以 \\ 结尾' };
  if (/[1-9]/.test(e) || e === 'k') {
    return { index: i, message: `反向引用 ${p.slice(i, i + 2)} 可能使匹配耗时极长：请改写为不引用前面分组的写法` };
  }
  if ((e === 'u' || e === 'p' || e === 'P') && p[i + 2] === '{') {
    const close = p.indexOf('}', i + 3);
    if (close < 0) return { index: i, message: `${p.slice(i, i + 3)} 没有对应的 }：请检查` };
    return close + 1;
  }
  return i + 2;
}

/** The quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), if there is one. */
function quantifier(p: string, i: number): Quantifier | undefined {
  const c = p[i];
  let end: number;
  let min: number;
  let max: number;
  if (c === '*' || c === '+' || c === '?') {
    [end, min, max] = [i + 1, c === '+' ? 1 : 0, c === '?' ? 1 : Infinity];
  } else {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return undefined;
    [end, min] = [i + m[0].length, Number(m[1])];
    max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  }
  if (p[end] === '?') end += 1;
  return { end, max, varies: min !== max };
}

/** Nested quantifiers, a repeated alternation whose branches may overlap, a quantified lookaround. */
function checkGroup(p: string, g: Group, close: number, q: Quantifier | undefined): RegexProblem | undefined {
  const text = p.slice(g.start, q?.end ?? close + 1);
  if (g.lookaround && (g.varies || q)) {
    return { index: g.start, message: `断言 ${text} 中含有量词：这种写法可能使匹配耗时极长，请去掉断言或其中的量词` };
  }
  if (!q || q.max < 2) return undefined;
  if (g.varies) {
    return { index: g.start, message: `${text} 是嵌套的量词（重复的分组里又有 +、*、? 或 {m,n}），某些输入会使匹配耗时极长：请改写，如 (a+)+ 写成 a+，(\\w+\\s?)* 写成 [\\w\\s]*` };
  }
  if (g.branches.length > 1 && !distinctBranches(p, g.branches)) {
    return { index: g.start, message: `${text} 重复的多个分支可能匹配同样的开头，某些输入会使匹配耗时极长：请让各分支以不同的字符开头，或改用字符类 [...]` };
  }
  return undefined;
}

/** Every branch starts with a plain character, and no two with the same one. */
function distinctBranches(p: string, starts: number[]): boolean {
  const firsts = starts.map((s) => p[s]);
  if (firsts.some((c) => c === undefined || SPECIAL.has(c))) return false;
  return new Set(firsts).size === firsts.length;
}

// text-safety.ts: the characters no text input may carry, one rule for every field and both databases.
//
// PostgreSQL refuses NUL in text (a 500 before this) while SQLite stores it, and the other C0
// controls and DEL only ever arrive by accident or by attack. Bidi overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) make a one-line value such as a title or a file name read
// differently from what it is ("Trojan Source", "txt.exe" shown as "exe.txt"); in one line of
// Chinese administrative text they have no honest use. Tab and line breaks stay allowed in
// multi-line text (a textarea, a reason), and tab in one-line text, where pasting brings it.

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;
const ONE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f\u202a-\u202e\u2066-\u2069]/u;

const MAX_DEPTH = 8;

/**
 * Where the first character `s` may not hold is, and which (`第 5 个字处，U+0007`), else undefined.
 * The place comes first: the character is invisible, so its position is what lets a user find it.
 */
export function badCharacter(s: string, multiline: boolean): string | undefined {
  const m = (multiline ? CONTROL : ONE_LINE).exec(s);
  if (!m) return undefined;
  const position = [...s.slice(0, m.index)].length + 1;
  return `第 ${position} 个字处，U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first bad character in any string of a value (lists, rows, refs), else undefined. */
export function badCharacterIn(value: unknown, multiline: boolean, depth = 0): string | undefined {
  if (typeof value === 'string') return badCharacter(value, multiline);
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  const items = Array.isArray(value) ? value : [...Object.keys(value), ...Object.values(value)];
  for (const item of items) {
    const bad = badCharacterIn(item, multiline, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

/** The message a field (or a reason, a file name) shows; `label` names it for the user. */
export function badCharacterMessage(label: string, code: string): string {
  return `${label}含有看不见的控制字符或方向控制符（${code}），通常来自复制粘贴：请删除该处后重新输入，或清空后重新键入`;
}

/** One rule for a text input outside a form (reasons, opinions, messages): the message or undefined. */
export function textProblem(label: string, value: string | undefined, multiline: boolean): string | undefined {
  const bad = value === undefined ? undefined : badCharacter(value, multiline);
  return bad ? badCharacterMessage(label, bad) : undefined;
}

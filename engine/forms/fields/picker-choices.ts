// picker-choices.ts: what a directory picker does with its choices when they are many: search them,
// and read what a user typed without JavaScript (a name or a username) back to one choice.
//
// Pure functions of the choices the caller passes; the same list validates, so a search can never
// offer, nor a typed name reach, anyone the field does not allow.

import type { Choice } from '../types.ts';

/** Up to this many choices are written into the page; above it the page carries only the picked ones. */
export const PICKER_INLINE_LIMIT = 300;
/** At most this many matches come back from one search. */
export const PICKER_SEARCH_LIMIT = 50;
/** At most this many candidates are named in an error. */
const CANDIDATES_SHOWN = 10;

/** Typed entries: names or usernames separated by 、，, ; or line breaks. */
export function splitEntries(text: string): string[] {
  return text.split(/[、，,;；\r\n]+/).map((s) => s.trim()).filter(Boolean);
}

/** True when the field's choices are too many to write into the page. */
export function isSearchPicker(choices: readonly Choice[]): boolean {
  return choices.length > PICKER_INLINE_LIMIT;
}

function nameOf(c: Choice): string {
  return c.name ?? c.label;
}

/** The one choice an entry means: its value (username or org id), else a name or label no one else has. */
export function resolveEntry(entry: string, choices: readonly Choice[]): string | undefined {
  const e = entry.trim();
  if (choices.some((c) => c.value === e)) return e;
  const named = choices.filter((c) => nameOf(c) === e || c.label === e);
  return named.length === 1 ? named[0]!.value : undefined;
}

interface Hay {
  name: string;
  value: string;
  all: string;
}

/** Lower-cased text per choice, kept per list: the directory's lists live for its cache's 30 s, searches come often. */
const HAYS = new WeakMap<readonly Choice[], Hay[]>();

function haysOf(choices: readonly Choice[]): Hay[] {
  let hays = HAYS.get(choices);
  if (!hays) {
    hays = choices.map((c) => {
      const name = nameOf(c).toLowerCase();
      const value = c.value.toLowerCase();
      return { name, value, all: `${name} ${value} ${(c.group ?? '').toLowerCase()} ${c.label.toLowerCase()}` };
    });
    HAYS.set(choices, hays);
  }
  return hays;
}

/** How well a choice matches the lower-cased query words: 0 for no match, higher is better. */
function score(h: Hay, words: readonly string[]): number {
  if (!words.every((w) => h.all.includes(w))) return 0;
  const first = words[0]!;
  if (h.name === first || h.value === first) return 3;
  return h.name.startsWith(first) || h.value.startsWith(first) ? 2 : 1;
}

export interface PickerMatches {
  items: Choice[];
  /** True when more matched than were returned: the user should type more. */
  hasMore: boolean;
}

/** Choices matching every word of `q` (in the name, username, unit or label), best first, at most `limit`. */
export function searchChoices(choices: readonly Choice[], q: string, limit = PICKER_SEARCH_LIMIT): PickerMatches {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { items: choices.slice(0, limit), hasMore: choices.length > limit };
  const hays = haysOf(choices);
  const scored: { c: Choice; s: number; i: number }[] = [];
  choices.forEach((c, i) => {
    const s = score(hays[i]!, words);
    if (s > 0) scored.push({ c, s, i });
  });
  // Best match first; otherwise the directory's own order, which keeps a unit's people together.
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return { items: scored.slice(0, limit).map((x) => x.c), hasMore: scored.length > limit };
}

/** `张伟 — 张店区代表团（zhangwei2）`: enough to tell two people of one name apart, and what to type. */
function candidateText(c: Choice): string {
  return `${nameOf(c)}${c.group ? ` — ${c.group}` : ''}（${c.value}）`;
}

/**
 * The message for an entry that is not one choice: the candidates it could mean (up to ten), or,
 * when nothing matches, `undefined` so the caller says the value is not offered.
 */
export function ambiguousMessage(label: string, entry: string, choices: readonly Choice[]): string | undefined {
  const { items, hasMore } = searchChoices(choices, entry, CANDIDATES_SHOWN);
  if (items.length === 0) return undefined;
  const list = items.map(candidateText).join(' / ');
  return `${label}中的“${entry}”可能是以下${hasMore ? '（仅列出前 10 个）' : ''}：${list}，请输入其中一位的用户名（括号内）`;
}

/** `${label}中没有找到“王五”`: an entry typed into the plain input that matches no one. */
export function notFoundMessage(label: string, entry: string): string {
  return `${label}中没有找到“${entry}”：请检查姓名，或输入用户名`;
}

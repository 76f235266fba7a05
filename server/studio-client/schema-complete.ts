// schema-complete.ts: key completion from the JSON Schema of the DSL, for the studio's editor (runs in
// the browser, bundled by `npm run build:studio`; pure, so it is tested in node too).
//
// The YAML path at the cursor is read from indentation (the shipped files are block-style YAML):
// walking up from the cursor's line, each line indented less than the last one seen names a parent
// key, and a `- ` item is a step into a list. The schema is then walked by that path: `properties`,
// `additionalProperties` (a map such as `states:`), `items` (a list), across `anyOf`/`oneOf`.

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  required?: string[];
}

export type PathStep = string | { item: true };

export interface KeyContext {
  /** Keys from the document root to the mapping the cursor is in. */
  path: PathStep[];
  /** Keys already written in that mapping (not offered again). */
  siblings: string[];
  /** Column where the key being typed starts, and what has been typed of it. */
  from: number;
  typed: string;
}

const KEY_LINE = /^(\s*)(- +)?([A-Za-z_][\w-]*)\s*:(\s|$)/;

interface LineKey {
  ind: number;
  dash: number;
  key: string;
}

function lineKey(line: string): LineKey | undefined {
  const k = KEY_LINE.exec(line);
  return k ? { ind: k[1]!.length, dash: k[2]?.length ?? 0, key: k[3]! } : undefined;
}

/**
 * Where the cursor is, as a path of keys, when it sits where a key may be typed: at the start of a line
 * (after its indentation or a `- `), or inside a key not yet followed by `:`. Undefined after a `:`.
 */
export function keyContextAt(lines: readonly string[], lineIndex: number, col: number): KeyContext | undefined {
  const before = (lines[lineIndex] ?? '').slice(0, col);
  const m = /^(\s*)(- +)?([A-Za-z_][\w-]*)?$/.exec(before);
  if (!m) return undefined;
  const typed = m[3] ?? '';
  const path: PathStep[] = [];
  const siblings: string[] = [];
  // `need`: the column of the keys of the mapping we are in; `list`: the dash column of the list it is an item of.
  let need = m[1]!.length + (m[2]?.length ?? 0);
  let list = m[2] ? m[1]!.length : -1;
  if (list >= 0) path.unshift({ item: true });
  let isOwnLevel = list < 0;
  const enterParent = (k: LineKey): void => {
    isOwnLevel = false;
    path.unshift(k.key);
    need = k.ind + k.dash;
    list = -1;
    if (k.dash > 0) {
      path.unshift({ item: true });
      list = k.ind;
    }
  };
  for (let i = lineIndex - 1; i >= 0 && (need > 0 || list > 0); i--) {
    const k = lineKey(lines[i]!);
    if (!k) continue;
    const keyCol = k.ind + k.dash;
    if (list >= 0) {
      // Looking for the key that holds the list: skip earlier items and their contents.
      if ((k.dash > 0 && k.ind === list) || keyCol > list) continue;
      enterParent(k);
      continue;
    }
    if (keyCol > need) continue;
    if (keyCol === need) {
      if (isOwnLevel) siblings.push(k.key);
      if (k.dash > 0) {
        // The first key of the list item we are in.
        path.unshift({ item: true });
        list = k.ind;
        isOwnLevel = false;
      }
      continue;
    }
    enterParent(k);
  }
  return { path, siblings, from: col - typed.length, typed };
}

function alternatives(s: JsonSchema): JsonSchema[] {
  const alts = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  return alts.length > 0 ? [s, ...alts.flatMap(alternatives)] : [s];
}

function child(s: JsonSchema, step: PathStep): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const a of alternatives(s)) {
    if (typeof step === 'string') {
      const p = a.properties?.[step];
      if (p) out.push(p);
      else if (a.patternProperties) out.push(...Object.values(a.patternProperties));
      else if (a.additionalProperties && typeof a.additionalProperties === 'object') out.push(a.additionalProperties);
    } else if (a.items) {
      out.push(...(Array.isArray(a.items) ? a.items : [a.items]));
    }
  }
  return out;
}

export interface KeySuggestion {
  key: string;
  description?: string;
  required: boolean;
}

/** The keys the schema allows at a path, with their descriptions; an empty list where it names none. */
export function keysAt(schema: JsonSchema, path: readonly PathStep[], siblings: readonly string[] = []): KeySuggestion[] {
  let here: JsonSchema[] = [schema];
  for (const step of path) here = here.flatMap((s) => child(s, step));
  const seen = new Map<string, KeySuggestion>();
  for (const s of here.flatMap(alternatives)) {
    for (const [key, p] of Object.entries(s.properties ?? {})) {
      if (siblings.includes(key) || seen.has(key)) continue;
      seen.set(key, { key, ...(p.description && { description: p.description }), required: (s.required ?? []).includes(key) });
    }
  }
  return [...seen.values()].sort((a, b) => Number(b.required) - Number(a.required));
}

// source.ts: YAML text -> plain value plus a way back from any JSON path to file:line:col.
//
// Shared by workflows and forms. Parsing is guarded: a size cap, an alias cap (a "billion
// laughs" document expands aliases exponentially) and a depth cap, each reported as an error
// with a position instead of hanging the process. Tags other than the core schema's (`!!js/function`,
// `!foo`, yaml's own `!!binary`, `!!set`) are refused: the value would otherwise be dropped or turned into
// something the definitions never hold, silently.

import { LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
import { LvzError, type LvzCode, type Where } from '../errors.ts';

export const MAX_SOURCE_BYTES = 512 * 1024;
export const MAX_DEPTH = 32;
export const MAX_ALIASES = 100;

export interface Source {
  file: string;
  /** The document as plain JS (undefined when it did not parse). */
  value: unknown;
  /** Position of the node at a JSON pointer or key path; falls back to the nearest parent. */
  at(path: string | readonly (string | number)[]): Where;
}

export interface ParsedSource {
  source: Source;
  errors: LvzError[];
}

export function toPathArray(path: string | readonly (string | number)[]): (string | number)[] {
  if (typeof path !== 'string') return [...path];
  return path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function toPointer(path: readonly (string | number)[]): string {
  return '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Parse YAML text with positions. `kind` picks the error codes (workflow or form). */
export function parseSource(text: string, file: string, kind: 'dsl' | 'form' = 'dsl'): ParsedSource {
  const syntax: LvzCode = kind === 'dsl' ? 'LVZ_DSL_YAML_SYNTAX' : 'LVZ_FORM_YAML_SYNTAX';
  const lineCounter = new LineCounter();
  const origin: Where = { file, line: 1, col: 1 };
  const empty: Source = { file, value: undefined, at: () => origin };
  if (Buffer.byteLength(text, 'utf8') > MAX_SOURCE_BYTES) {
    return {
      source: empty,
      errors: [new LvzError('LVZ_DSL_YAML_LIMIT', `文件超过 ${MAX_SOURCE_BYTES / 1024} KB：请拆分文件，或删去不用的部分`, { where: origin })],
    };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const pos = (offset: number): Where => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const errors: LvzError[] = doc.errors.map(
    (e) => new LvzError(syntax, `YAML 语法错误：${firstLine(e.message)}`, { where: pos(e.pos[0]) }),
  );
  const at = (path: string | readonly (string | number)[]): Where => nodeWhere(doc, toPathArray(path), pos) ?? origin;
  if (errors.length > 0) return { source: { file, value: undefined, at }, errors };

  const depthError = findTooDeep(doc, pos);
  if (depthError) return { source: { file, value: undefined, at }, errors: [depthError] };
  const tagErrors = unknownTags(doc, text, pos);
  if (tagErrors.length > 0) return { source: { file, value: undefined, at }, errors: tagErrors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return {
      source: { file, value: undefined, at },
      errors: [new LvzError('LVZ_DSL_YAML_LIMIT', `YAML 别名展开过多（${firstLine(String((e as Error).message))}）：请直接写出取值，不要大量使用别名`, { where: origin })],
    };
  }
  return { source: { file, value, at }, errors: [] };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function nodeWhere(doc: Document, path: (string | number)[], pos: (o: number) => Where): Where | undefined {
  // Walk up until a node exists: an error about a missing key points at its parent.
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) {
      // For a map value prefer the key's position: it is where the admin looks.
      if (sub.length > 0) {
        const parent = sub.length === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
        const key = keyNodeOf(parent, sub[sub.length - 1]!);
        if (key?.range) return pos(key.range[0]);
      }
      return pos(node.range[0]);
    }
  }
  return undefined;
}

interface RangedNode { range?: [number, number, number] | null }

function keyNodeOf(parent: unknown, key: string | number): RangedNode | undefined {
  const items = (parent as { items?: { key?: unknown }[] } | undefined)?.items;
  if (!Array.isArray(items) || typeof key === 'number') return undefined;
  for (const pair of items) {
    const k = pair.key as { value?: unknown; range?: [number, number, number] } | undefined;
    if (k && typeof k === 'object' && k.value === key) return k;
  }
  return undefined;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** Where a tag written before a node starts: the node's range begins after the tag (and any anchor). */
function tagStart(text: string, nodeStart: number): number {
  let i = nodeStart;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return text[i] === '!' ? i : nodeStart;
}

function unknownTags(doc: Document, text: string, pos: (o: number) => Where): LvzError[] {
  const errors: LvzError[] = [];
  visit(doc, {
    Node(_key, node) {
      if (node.tag === undefined || CORE_TAGS.has(node.tag)) return;
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      errors.push(new LvzError('LVZ_DSL_YAML_TAG', `不支持 YAML 标签 ${JSON.stringify(tag)}：定义只用普通的映射、列表、文字、数字和布尔值；请删去这个标签，直接写出取值`, {
        where: pos(node.range ? tagStart(text, node.range[0]) : 0), params: { tag },
      }));
    },
  });
  return errors;
}

function findTooDeep(doc: Document, pos: (o: number) => Where): LvzError | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const items = (node as { items?: unknown[] } | null)?.items;
    if (!Array.isArray(items)) continue;
    if (depth >= MAX_DEPTH) {
      const range = (node as RangedNode).range;
      return new LvzError('LVZ_DSL_YAML_LIMIT', `嵌套超过 ${MAX_DEPTH} 层：请减少嵌套层级`, {
        where: pos(range ? range[0] : 0),
      });
    }
    for (const item of items) {
      const pair = item as { key?: unknown; value?: unknown };
      if (pair && typeof pair === 'object' && 'value' in pair && 'key' in pair) stack.push({ node: pair.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

// extends.ts: district customisation: a district's document `extends` the city's and is merged into one
// effective document before schema validation, so what is validated, shown and run is the whole process.
//
// Merge rules (docs/dsl.md, "District customisation"): top-level keys replace; `states.<name>` deep-merges
// into the city's step; maps merge key by key, lists and scalars replace whole; `null` removes a key;
// `remove: [name]` removes steps; a name the city lacks adds a step. An override that refers to something
// the city's definition does not have is LVZ_DSL_OVERRIDE_CONFLICT, so a district learns when a new city
// version broke it. Pure: the caller reads the parent's text.

import { stringify } from 'yaml';
import { LvzError } from '../errors.ts';
import { effectiveWhere } from './extends-where.ts';
import { parseSource, toPointer, type Source } from '../yaml/source.ts';
import { list, q } from '../yaml/zh.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML before the schema */
type Raw = Record<string, any>;

/** The text of a workflow another may extend, and the file it came from (for positions). */
export interface ParentText {
  text: string;
  file: string;
}

/** By workflow id (its newest version) and by `id@version`; or a function answering the same question. */
export type ParentLookup = Map<string, ParentText> | ((id: string, version?: number) => ParentText | undefined);

/** Keys a district never inherits: they say who the district's definition is (and whose case a number names). */
const OWN_KEYS = new Set(['id', 'version', 'owner', 'extends', 'remove', 'number']);
const MAX_CHAIN = 5;

export const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `suggestion` or `suggestion@2`. */
export function parseExtends(value: unknown): { id: string; version?: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^([a-z][a-z0-9_-]*)(?:@([1-9][0-9]*))?$/.exec(value);
  if (!m) return undefined;
  return m[2] === undefined ? { id: m[1]! } : { id: m[1]!, version: Number(m[2]) };
}

/** A lookup over workflow texts: each under `id@version`, and the newest version under `id`. */
export function parentIndex(texts: readonly ParentText[]): Map<string, ParentText> {
  const index = new Map<string, ParentText>();
  const newest = new Map<string, number>();
  for (const t of texts) {
    const v = parseSource(t.text, t.file).source.value as Raw | undefined;
    if (!isMap(v) || typeof v.id !== 'string' || typeof v.version !== 'number') continue;
    index.set(`${v.id}@${v.version}`, t);
    if ((newest.get(v.id) ?? 0) < v.version) {
      newest.set(v.id, v.version);
      index.set(v.id, t);
    }
  }
  return index;
}

function lookup(parents: ParentLookup | undefined, id: string, version?: number): ParentText | undefined {
  if (!parents) return undefined;
  if (typeof parents === 'function') return parents(id, version);
  return parents.get(version === undefined ? id : `${id}@${version}`);
}

export interface Resolved {
  /** The effective document; its `at` points into the district's file or the city's, whichever wrote that part. */
  source: Source;
  errors: LvzError[];
  /** The parent actually used (id, version, file), when the document extends one. */
  parent?: { id: string; version: number; file: string };
  /** Every file the effective document was made from, child first (for cache keys). */
  texts: string[];
}

/**
 * The effective source of a parsed document: itself when it extends nothing, else its chain of parents
 * merged in (a town may extend a district that extends the city), at most five deep.
 */
export function resolveSource(source: Source, text: string, parents: ParentLookup | undefined, seen: string[] = []): Resolved {
  const raw = source.value as Raw;
  if (!isMap(raw) || raw.extends === undefined) return { source, errors: [], texts: [text] };
  const ref = parseExtends(raw.extends);
  const fail = (message: string): Resolved => ({
    source,
    texts: [text],
    errors: [new LvzError('LVZ_DSL_UNKNOWN_PARENT', message, { where: source.at('/extends'), path: '/extends', params: { extends: raw.extends } })],
  });
  if (!ref) return fail(`extends: ${q(String(raw.extends))}不是流程 id：请写市级流程的 id，如 extends: suggestion（或写 suggestion@1 固定版本）`);
  if (ref.id === raw.id) return fail(`流程不能继承自身：请为区级定义另取一个 id，如 id: zhangdian-${ref.id}`);
  if (seen.includes(ref.id) || seen.length >= MAX_CHAIN) return fail(`extends: ${ref.id} 形成了循环继承或超过 ${MAX_CHAIN} 层（${[...seen, ref.id].join(' → ')}）：请直接继承市级流程`);
  const found = lookup(parents, ref.id, ref.version);
  if (!found) {
    const which = ref.version === undefined ? q(ref.id) : `${q(ref.id)}第 ${ref.version} 版`;
    return fail(`extends 指定的流程${which}不存在：请改用 workflows/ 中已有流程的 id（如 suggestion），或去掉 @版本号`);
  }
  const parsed = parseSource(found.text, found.file, 'dsl');
  if (parsed.errors.length > 0) return { source, errors: parsed.errors, texts: [text] };
  const up = resolveSource(parsed.source, found.text, parents, [...seen, String(raw.id)]);
  if (up.errors.length > 0) return { ...up, source, texts: [text, ...up.texts] };
  const merged = resolveExtends(source, up.source);
  const pv = up.source.value as Raw;
  return { ...merged, parent: { id: ref.id, version: Number(pv.version), file: found.file }, texts: [text, ...up.texts] };
}

/** Merge a district's document into its (effective) parent: the effective document and any override conflicts. */
export function resolveExtends(child: Source, parent: Source, previous?: Source): { source: Source; errors: LvzError[] } {
  const c = child.value as Raw;
  if (!isMap(c)) return { source: child, errors: [] }; // not a mapping: the schema says so
  const p = (isMap(parent.value) ? parent.value : {}) as Raw;
  const conflicts: LvzError[] = [];
  const conflict = (path: (string | number)[], message: string): void => {
    conflicts.push(new LvzError('LVZ_DSL_OVERRIDE_CONFLICT', message, { where: child.at(path), path: toPointer(path), params: { parent: p.id, version: p.version } }));
  };
  const value: Raw = {};
  for (const [k, v] of Object.entries(p)) if (!OWN_KEYS.has(k)) value[k] = v;
  for (const [k, v] of Object.entries(c)) {
    if (k === 'states' || k === 'remove') continue;
    if (v === null && !OWN_KEYS.has(k)) {
      if (!(k in value)) conflict([k], `要删除的${q(k)}在${cityName(p)}中不存在：请删去这一行`);
      delete value[k];
    } else value[k] = v;
  }
  value.extends = c.extends;
  value.states = mergeStates(p, c, previous, conflict);
  // Keep the key order of the child's own keys first, so the effective text reads like the district's file.
  const effective: Raw = {};
  for (const k of ['id', 'version', 'title', 'description', 'extends', 'owner']) if (k in value) effective[k] = value[k];
  Object.assign(effective, value);
  return { source: { file: child.file, value: effective, at: effectiveWhere(effective, child, parent) }, errors: conflicts };
}

type Conflict = (path: (string | number)[], message: string) => void;

const cityName = (p: Raw): string => `上级流程${q(p.id)}（第 ${String(p.version)} 版）`;

function mergeStates(p: Raw, c: Raw, previous: Source | undefined, conflict: Conflict): Raw {
  const states: Raw = { ...(isMap(p.states) ? p.states : {}) };
  const removeList: unknown[] = Array.isArray(c.remove) ? c.remove : [];
  removeList.forEach((name, i) => {
    if (typeof name === 'string' && name in states) delete states[name];
    else conflict(['remove', i], `要删除的步骤${q(name)}在${cityName(p)}中不存在：请把它从 remove: 中删去`);
  });
  if (c.remove !== undefined && !Array.isArray(c.remove)) conflict(['remove'], 'remove: 必须是步骤名称的列表，如 remove: [review]');
  const prevStates = isMap((previous?.value as Raw | undefined)?.states) ? (previous!.value as Raw).states : undefined;
  for (const [name, entry] of Object.entries(isMap(c.states) ? c.states : {})) {
    const path = ['states', name];
    if (entry === null) {
      if (name in states) delete states[name];
      else conflict(path, `要删除的步骤${q(name)}在${cityName(p)}中不存在：请删去这一项`);
    } else if (name in states) {
      states[name] = mergeState(states[name], entry, path, conflict, p);
    } else if (prevStates ? name in prevStates : !looksLikeNewStep(entry)) {
      conflict(path, `要覆盖的步骤${q(name)}在${cityName(p)}中已不存在：请删去这项覆盖；如要新增这个步骤，请写出完整的步骤（含 on:、always: 或 final: true）`);
    } else states[name] = entry;
  }
  return states;
}

/**
 * A new step says where it leads (whole transitions, each with a target) or that it ends. An entry with only a
 * deadline, a title, a task change or a relabelled button (`accept: { label: … }`) is an override.
 */
function looksLikeNewStep(entry: unknown): boolean {
  if (!isMap(entry)) return false;
  if (entry.final === true || entry.always !== undefined) return true;
  if (!isMap(entry.on) || Object.keys(entry.on).length === 0) return false;
  return Object.values(entry.on).every((t) => typeof t === 'string' || Array.isArray(t) || (isMap(t) && t.to !== undefined));
}

function mergeState(ps: unknown, cs: unknown, path: (string | number)[], conflict: Conflict, p: Raw): unknown {
  if (!isMap(ps) || !isMap(cs)) return cs;
  const out: Raw = deepMerge(ps, omit(cs, ['tasks', 'task', 'on']), path, conflict, p) as Raw;
  if (cs.task !== undefined) {
    if (Array.isArray(ps.tasks) && cs.task !== null) {
      conflict([...path, 'task'], `${cityName(p)}的步骤${q(path[1])}有多个任务组（${list(ps.tasks.map((g: Raw) => g.id))}）：请在 tasks: { <任务组 id>: … } 下覆盖其中一个`);
    } else setOrDelete(out, 'task', deepMerge(ps.task, cs.task, [...path, 'task'], conflict, p));
  }
  if (cs.tasks !== undefined) setOrDelete(out, 'tasks', mergeTasks(ps, cs.tasks, [...path, 'tasks'], conflict, p));
  if (Array.isArray(cs.tasks)) delete out.task; // a new list of groups replaces a single task
  if (cs.on !== undefined) setOrDelete(out, 'on', mergeOn(ps.on, cs.on, [...path, 'on'], conflict, p));
  return out;
}

/** `tasks:` as a list replaces the groups; as a map (group id → override) merges into the named groups. */
function mergeTasks(ps: Raw, ct: unknown, path: (string | number)[], conflict: Conflict, p: Raw): unknown {
  if (!isMap(ct)) return ct;
  if (!Array.isArray(ps.tasks)) {
    conflict(path, `${cityName(p)}的步骤${q(path[1])}${ps.task ? '只有一个任务：请在 task: 下覆盖它' : '没有任务组：请把 tasks: 写成列表'}`);
    return ps.tasks;
  }
  const groups: Raw[] = [...ps.tasks];
  for (const [id, g] of Object.entries(ct)) {
    const i = groups.findIndex((x) => isMap(x) && x.id === id);
    if (g === null) {
      if (i >= 0) groups.splice(i, 1);
      else conflict([...path, id], `要删除的任务组${q(id)}在${cityName(p)}的步骤${q(path[1])}中不存在：请删去这一项`);
    } else if (i >= 0) groups[i] = deepMerge(groups[i], g, [...path, id], conflict, p) as Raw;
    else if (isMap(g) && (g.role !== undefined || g.assignee !== undefined)) groups.push({ id, ...g });
    else conflict([...path, id], `要覆盖的任务组${q(id)}在${cityName(p)}的步骤${q(path[1])}中已不存在：请改用已有任务组之一：${list(groups.map((x) => x.id))}；如要新增任务组，请写上 role: 或 assignee:`);
  }
  return groups;
}

/** Events merge one by one; a partial transition (no `to`) must refer to an event the parent has. */
function mergeOn(po: unknown, co: unknown, path: (string | number)[], conflict: Conflict, p: Raw): unknown {
  if (!isMap(co)) return co;
  const base: Raw = isMap(po) ? po : {};
  for (const [event, t] of Object.entries(co)) {
    if (!(event in base) && isMap(t) && t.to === undefined) {
      const known = Object.keys(base);
      conflict([...path, event], `要修改的事件${q(event)}在${cityName(p)}的步骤${q(path[1])}中不存在：如要新增按钮，请写上 to: <步骤>${known.length > 0 ? `；或改用已有事件之一：${list(known)}` : ''}`);
    }
  }
  return deepMerge(base, co, path, conflict, p);
}

/** Maps merge key by key; `null` removes; anything else (lists, scalars) replaces whole. */
export function deepMerge(base: unknown, over: unknown, path: (string | number)[], conflict: Conflict, p: Raw): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      if (!(k in out)) conflict([...path, k], `要删除的${q(k)}在${cityName(p)}的这一位置不存在：请删去这一行`);
      delete out[k];
    } else out[k] = k in out ? deepMerge(out[k], v, [...path, k], conflict, p) : v;
  }
  return out;
}

function omit(o: Raw, keys: string[]): Raw {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function setOrDelete(o: Raw, key: string, v: unknown): void {
  if (v === null || v === undefined) delete o[key];
  else o[key] = v;
}

/**
 * Whether a district's overrides still apply to a new version of the city's definition: the
 * LVZ_DSL_OVERRIDE_CONFLICT errors, at the district's lines. With `previous` (the version the district was
 * written against), an override of a step the new version dropped is always a conflict, whatever its shape.
 * Compile the district against the new version as well, for the ordinary errors (a transition to a removed step).
 */
export function checkOverrides(child: Source, newParent: Source, previous?: Source): LvzError[] {
  return resolveExtends(child, newParent, previous).errors;
}

/**
 * The effective definition as YAML text, without `extends:`, so it compiles on its own: what to record as the
 * published text of a district's version (instances keep running on it whatever the city does later), and what
 * the studio shows as "the effective definition".
 */
export function effectiveText(source: Source, parent?: { id: string; version: number }): string {
  const { extends: from, ...rest } = source.value as Raw;
  const head = from === undefined ? '' : `# effective definition: ${parent ? `${parent.id}@${parent.version}` : String(from)} with the overrides of ${source.file}\n`;
  return head + stringify(rest, { lineWidth: 0 });
}

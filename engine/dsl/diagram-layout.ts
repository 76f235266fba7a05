// diagram-layout.ts: where each state box, arrow and arrow label of a workflow diagram goes, and what it says.
//
// @dagrejs/dagre lays the graph out in layers from top to bottom (a phone's shape, and a thumbnail's):
// each arrow label is a node of its own in the layout, so labels never overlap a box or each other,
// and arrows are routed round the boxes they do not join. dagre is synchronous and pure, so this stays
// a function of the definition; the result is cached per definition object (one per workflow version).

import dagre from '@dagrejs/dagre';
import { bandsOf, route, type Chain, type Point, type Rect } from './diagram-route.ts';
import { constructsAt } from '../constructs/index.ts';
import type { DurationSpec, StateDef, WorkflowDef } from './types.ts';
import { constructValue, systemEventLabel, systemEventsOf } from './walk.ts';

const BOX_W = 168;
const LINE_H = 18;
const BOX_PAD_Y = 14;
const TITLE_UNITS = 10; // a CJK character is one unit, ASCII half: ~10 CJK characters fit a box at 14px
const WHO_UNITS = 12; // the assignee line is set smaller (12px): ~12 CJK characters and an ellipsis fit
export const LABEL_LINE_H = 16;
const LABEL_UNITS = 9; // an arrow label wraps after ~9 CJK characters at 12px, so the diagram stays narrow
const LABEL_PAD_X = 4;
const LABEL_PAD_Y = 2;
/** The node dagre places for the start dot; state names are `[a-z][a-z0-9_]*`, so it cannot clash. */
const START = '@start';
const START_R = 6;
const LOOP_W = 22; // the loop of a step that returns to itself, between its box and its label

export type { Point, Rect } from './diagram-route.ts';

export interface Box extends Rect {
  state: StateDef;
  /** Title lines, then the assignee line, then one line per construct (限时 …, 子流程 …; each optional but the title). */
  title: string[];
  who?: string;
  constructLines?: string[];
}

/** One arrow per pair of states; every distinct transition label between them is a line of its label. */
export interface Arrow {
  from: string;
  to: string;
  lines: string[];
  /** The polyline dagre routed, from the edge of `from`'s box to the edge of `to`'s. */
  points: Point[];
  label: Rect;
}

export interface DiagramLayout {
  boxes: Map<string, Box>;
  arrows: Arrow[];
  /** The start dot's centre and the arrow from it to the initial state. */
  start?: { x: number; y: number; r: number; points: Point[] };
  width: number;
  height: number;
}

const UNIT_LABELS: Record<DurationSpec['unit'], string> = {
  minutes: '分钟',
  hours: '小时',
  days: '天',
  working_days: '个工作日',
  weeks: '周',
  months: '个月',
  years: '年',
};

/** States in layers by BFS from the initial state; states not reached go in one last layer (the text alternative's order). */
export function layersOf(def: WorkflowDef): string[][] {
  const layer = new Map<string, number>();
  const layers: string[][] = [];
  const queue: string[] = [];
  if (def.initial in def.states) {
    layer.set(def.initial, 0);
    queue.push(def.initial);
  }
  while (queue.length > 0) {
    const name = queue.shift()!;
    const depth = layer.get(name)!;
    (layers[depth] ??= []).push(name);
    const s = def.states[name]!;
    for (const t of [...Object.values(s.on).flat(), ...s.always]) {
      if (t.to in def.states && !layer.has(t.to)) {
        layer.set(t.to, depth + 1);
        queue.push(t.to);
      }
    }
  }
  const rest = Object.keys(def.states).filter((n) => !layer.has(n));
  if (rest.length > 0) layers.push(rest);
  return layers;
}

// Per definition object (the registry keeps one per workflow version), then per box text (role labels can change).
const cache = new WeakMap<WorkflowDef, Map<string, DiagramLayout>>();
const PER_DEF = 8;

/** `roleLabel`: the zh-CN name of a role, from directory/roles.yaml (the id when not given). */
export function diagramLayout(def: WorkflowDef, roleLabel: (role: string) => string = (r) => r): DiagramLayout {
  const described = Object.values(def.states).map((s) => describe(s, roleLabel));
  const key = JSON.stringify(described.map((b) => [b.title, b.who, b.constructLines]));
  const byText = cache.get(def) ?? new Map<string, DiagramLayout>();
  const hit = byText.get(key);
  if (hit) return hit;
  const result = place(def, described);
  if (byText.size >= PER_DEF) byText.clear();
  byText.set(key, result);
  cache.set(def, byText);
  return result;
}

interface EdgeLabel {
  width: number;
  height: number;
  labelpos: 'c';
  x?: number;
  y?: number;
  points?: Point[];
}

function place(def: WorkflowDef, described: Box[]): DiagramLayout {
  const g = new dagre.graphlib.Graph<Record<string, unknown>, { width: number; height: number; x?: number; y?: number }, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, edgesep: 16, ranksep: 44, marginx: 16, marginy: 16 });
  const arrows = arrowsOf(def).map((a) => ({ ...a, size: labelSize(a.lines) }));
  // A step that returns to itself: the loop and its label go right of the box, in room dagre keeps for them.
  const loopW = new Map(arrows.filter((a) => a.from === a.to).map((a) => [a.from, a.size]));
  for (const b of described) {
    const loop = loopW.get(b.state.name);
    g.setNode(b.state.name, { width: b.w + (loop ? LOOP_W + loop.w : 0), height: Math.max(b.h, loop?.h ?? 0) });
  }
  arrows.forEach((a, i) => a.from !== a.to && g.setEdge(a.from, a.to, { width: a.size.w, height: a.size.h, labelpos: 'c' }, `a${i}`));
  const hasStart = def.initial in def.states;
  if (hasStart) {
    g.setNode(START, { width: START_R * 2, height: START_R * 2 });
    g.setEdge(START, def.initial, { width: 0, height: 0, labelpos: 'c' }, 'start');
  }
  dagre.layout(g);

  const boxes = new Map<string, Box>();
  for (const b of described) {
    const n = g.node(b.state.name);
    boxes.set(b.state.name, { ...b, x: n.x! - n.width / 2, y: n.y! - b.h / 2 });
  }
  const rects = new Map<string, Rect>(boxes);
  const placed = g.nodes().map((name: string) => {
    const n = g.node(name);
    return { x: n.x! - n.width / 2, y: n.y! - n.height / 2, w: n.width, h: n.height };
  });
  const labels = new Map<number, Rect>();
  arrows.forEach((a, i) => {
    if (a.from === a.to) return;
    const e = g.edge(a.from, a.to, `a${i}`);
    labels.set(i, { x: e.x! - a.size.w / 2, y: e.y! - a.size.h / 2, w: a.size.w, h: a.size.h });
  });
  const chains: Chain[] = arrows.flatMap((a, i) => (a.from === a.to ? [] : [{ from: a.from, to: a.to, via: g.edge(a.from, a.to, `a${i}`).points!.slice(1, -1) }]));
  if (hasStart) {
    const n = g.node(START);
    rects.set(START, { x: n.x! - START_R, y: n.y! - START_R, w: START_R * 2, h: START_R * 2 });
    chains.push({ from: START, to: def.initial, via: g.edge(START, def.initial, 'start').points!.slice(1, -1) });
  }
  const paths = route(chains, rects, bandsOf([...placed, ...labels.values()]));
  let k = 0;
  const out: Arrow[] = arrows.map(({ size, ...a }, i) => {
    if (a.from !== a.to) return { ...a, points: paths[k++]!.map(round), label: labels.get(i)! };
    const b = boxes.get(a.from)!;
    const [right, mid] = [b.x + b.w, b.y + b.h / 2];
    const points = [{ x: right, y: mid - 10 }, { x: right + LOOP_W - 6, y: mid - 10 }, { x: right + LOOP_W - 6, y: mid + 10 }, { x: right, y: mid + 10 }];
    return { ...a, points, label: { x: right + LOOP_W, y: mid - size.h / 2, w: size.w, h: size.h } };
  });
  const graph = g.graph() as { width: number; height: number };
  const start = hasStart ? { x: g.node(START).x!, y: g.node(START).y!, r: START_R, points: paths[k]!.map(round) } : undefined;
  return { boxes, arrows: out, ...(start && { start }), width: Math.ceil(graph.width), height: Math.ceil(graph.height) };
}

const round = (p: Point): Point => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 });

/** The label box of an arrow: its lines at 12px (CJK 12px wide, ASCII 7px), padded. */
function labelSize(lines: string[]): { w: number; h: number } {
  const w = Math.max(...lines.map(textWidth)) + LABEL_PAD_X * 2;
  return { w, h: lines.length * LABEL_LINE_H + LABEL_PAD_Y * 2 };
}

function textWidth(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u0000-\u00ff]/.test(ch) ? 7 : 12), 0);
}

/**
 * One arrow per (from, to), in the order the YAML declares them. Transitions between the same two states
 * that share a note are one label (办理完成或超期：附议代表不足十人); different ones are lines of it.
 */
function arrowsOf(def: WorkflowDef): Omit<Arrow, 'points' | 'label'>[] {
  const byPair = new Map<string, { from: string; to: string; byNote: Map<string, string[]> }>();
  for (const s of Object.values(def.states)) {
    const escalations = new Set<string | undefined>(systemEventsOf(s, true));
    const candidates = [
      ...Object.entries(s.on).flatMap(([event, ts]) => ts.map((t) => ({ event, t }))),
      ...s.always.map((t) => ({ event: undefined, t })),
    ];
    for (const { event, t } of candidates) {
      if (!(t.to in def.states)) continue;
      const base = t.label ?? eventLabel(s, event, escalations.has(event));
      const key = `${s.name} ${t.to}`;
      const pair = byPair.get(key) ?? { from: s.name, to: t.to, byNote: new Map<string, string[]>() };
      // A note may be a whole sentence for the user (附议代表不足十人：…请补充…); the diagram shows its headline.
      const note = (t.note ?? '').split('：')[0]!;
      const bases = pair.byNote.get(note) ?? [];
      if (!bases.includes(base)) bases.push(base);
      pair.byNote.set(note, bases);
      byPair.set(key, pair);
    }
  }
  return [...byPair.values()].map((p) => ({
    from: p.from,
    to: p.to,
    lines: [...p.byNote].flatMap(([note, bases]) => labelLines(bases.join('或') + (note ? `：${note}` : ''))),
  }));
}

/** A label too long for one line breaks after its `：` first (提交： / 附议代表不足十人), then by width. */
function labelLines(label: string): string[] {
  if (unitsOf(label) <= LABEL_UNITS) return [label];
  const at = label.indexOf('：');
  const parts = at > 0 && at < label.length - 1 ? [label.slice(0, at + 1), label.slice(at + 1)] : [label];
  return parts.flatMap((p) => wrapAll(p, LABEL_UNITS));
}

function eventLabel(s: StateDef, event: string | undefined, isEscalation: boolean): string {
  if (event === undefined) return '自动';
  if (event === 'done') return '办理完成';
  if (isEscalation) return systemEventLabel(s, event) ?? '超期';
  const outcome = s.tasks.flatMap((g) => g.outcomes).find((o) => o.id === event);
  return outcome?.label ?? event;
}

function describe(s: StateDef, roleLabel: (role: string) => string): Box {
  const title = wrap(s.title, TITLE_UNITS);
  const who = whoOf(s, roleLabel);
  // The state's constructs' lines (限时 3个月, 子流程 …), one each; plain words, not glyphs.
  const extra = constructLines(s);
  const lines = title.length + (who ? 1 : 0) + extra.length;
  return { state: s, x: 0, y: 0, w: BOX_W, h: BOX_PAD_Y * 2 + lines * LINE_H, title, ...(who && { who }), ...(extra.length > 0 && { constructLines: extra }) };
}

function whoOf(s: StateDef, roleLabel: (role: string) => string): string | undefined {
  const who = s.tasks.map((g) => (g.role ? roleLabel(g.role) : g.assignee === 'initiator' ? '发起人' : '指定人员'));
  const unique = [...new Set(who)];
  if (unique.length === 0) return undefined;
  // Labels are data now (directory/roles.yaml, up to 40 characters): one line, shortened to what the box holds.
  const lines = wrap(unique.join('、'), WHO_UNITS);
  return lines.length > 1 ? `${lines[0]}…` : lines[0];
}

/** One line per construct of the state that gives one (constructs/<name>/ diagramLine). */
function constructLines(s: StateDef): string[] {
  return constructsAt('state').flatMap((c) => {
    const def = constructValue(s, c.key);
    const line = def !== undefined ? c.diagramLine?.(def, { durationText }) : undefined;
    return line ? [line] : [];
  });
}

/** `7 working days` -> `7个工作日`: the diagram speaks zh-CN whatever unit words the YAML used. */
export function durationText(d: DurationSpec): string {
  return `${d.amount}${UNIT_LABELS[d.unit]}`;
}

/** Display width in units: a CJK character is one, other characters half. */
function unitsOf(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u0000-\u00ff]/.test(ch) ? 0.5 : 1), 0);
}

/** Greedy wrap by display width (CJK = 1, other = 0.5), every line kept. */
function wrapAll(text: string, units: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = /[\u0000-\u00ff]/.test(ch) ? 0.5 : 1;
    if (used + w > units && line !== '') {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  lines.push(line);
  return lines;
}

/**
 * Greedy wrap as wrapAll, at most two lines, the second cut with …. Two lines break after a comma
 * when both halves fit (不予立案， / 转为建议处理), not one character before the end.
 */
export function wrap(text: string, units: number): string[] {
  const lines = wrapAll(text, units);
  if (lines.length === 2) {
    const chars = [...text];
    for (let at = chars.length - 2; at > 0; at--) {
      const [head, rest] = [chars.slice(0, at + 1).join(''), chars.slice(at + 1).join('')];
      if (/[，、；：,;]/.test(chars[at]!) && unitsOf(head) <= units && unitsOf(rest) <= units) return [head, rest];
    }
  }
  if (lines.length <= 2) return lines;
  return [lines[0]!, lines[1]!.slice(0, -1) + '…'];
}

export const TEXT = { LINE_H, BOX_PAD_Y };

// diagram-layout.ts: where each state box of a workflow diagram goes, and what it says.
//
// Layers by breadth-first distance from the initial state, left to right; past four layers
// the layers wrap into another row, so a long process stays narrow enough for a phone.

import type { DurationSpec, StateDef, WorkflowDef } from './types.ts';

export const LAYERS_PER_ROW = 4;
export const BOX_W = 168;
export const COL_GAP = 76;
export const STACK_GAP = 28;
export const ROW_GAP = 72;
export const PAD = 24;
export const START_W = 36; // room for the start dot left of the first column
const LINE_H = 18;
const BOX_PAD_Y = 14;
const TITLE_UNITS = 10;
const WHO_UNITS = 12; // the assignee line is set smaller (12px): ~12 CJK characters and an ellipsis fit // a CJK character is one unit, ASCII half: ~10 CJK characters fit a box

export interface Box {
  state: StateDef;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Title lines, then the assignee line, then the deadline line (each optional but the title). */
  title: string[];
  who?: string;
  deadline?: string;
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

/** States in layers by BFS from the initial state; states not reached go in one last layer. */
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

/** `roleLabel`: the zh-CN name of a role, from directory/roles.yaml (the id when not given). */
export function layout(def: WorkflowDef, roleLabel: (role: string) => string = (r) => r): { boxes: Map<string, Box>; width: number; height: number } {
  const layers = layersOf(def);
  const boxes = new Map<string, Box>();
  let top = PAD;
  let width = 0;
  for (let row = 0; row * LAYERS_PER_ROW < layers.length; row++) {
    const inRow = layers.slice(row * LAYERS_PER_ROW, (row + 1) * LAYERS_PER_ROW);
    let bandH = 0;
    inRow.forEach((names, col) => {
      const x = PAD + START_W + col * (BOX_W + COL_GAP);
      let y = top;
      for (const name of names) {
        const box = describe(def.states[name]!, x, y, roleLabel);
        boxes.set(name, box);
        y += box.h + STACK_GAP;
      }
      bandH = Math.max(bandH, y - STACK_GAP - top);
      width = Math.max(width, x + BOX_W + PAD);
    });
    top += bandH + ROW_GAP;
  }
  return { boxes, width, height: top - ROW_GAP + PAD };
}

function describe(s: StateDef, x: number, y: number, roleLabel: (role: string) => string): Box {
  const title = wrap(s.title, TITLE_UNITS);
  const who = whoOf(s, roleLabel);
  const deadline = s.deadline ? `⏱ ${s.deadline.after.map((c) => durationText(c.duration)).join(' / ')}` : undefined;
  const lines = title.length + (who ? 1 : 0) + (deadline ? 1 : 0);
  return { state: s, x, y, w: BOX_W, h: BOX_PAD_Y * 2 + lines * LINE_H, title, ...(who && { who }), ...(deadline && { deadline }) };
}

function whoOf(s: StateDef, roleLabel: (role: string) => string): string | undefined {
  const who = s.tasks.map((g) => (g.role ? roleLabel(g.role) : g.assignee === 'initiator' ? '发起人' : '指定人员'));
  const unique = [...new Set(who)];
  if (unique.length === 0) return undefined;
  // Labels are data now (directory/roles.yaml, up to 40 characters): one line, shortened to what the box holds.
  const lines = wrap(unique.join('、'), WHO_UNITS);
  return lines.length > 1 ? `${lines[0]}…` : lines[0];
}

/** `7 working days` -> `7个工作日`: the diagram speaks zh-CN whatever unit words the YAML used. */
export function durationText(d: DurationSpec): string {
  return `${d.amount}${UNIT_LABELS[d.unit]}`;
}

/** Greedy wrap by display width (CJK = 1, other = 0.5), at most two lines, the second cut with …. */
export function wrap(text: string, units: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = /[\u0000-\u00ff]/.test(ch) ? 0.5 : 1;
    if (used + w > units) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  lines.push(line);
  if (lines.length <= 2) return lines;
  return [lines[0]!, lines[1]!.slice(0, -1) + '…'];
}

export const TEXT = { LINE_H, BOX_PAD_Y };

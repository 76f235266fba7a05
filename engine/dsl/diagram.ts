// diagram.ts: a workflow as a self-contained, accessible SVG, and the same steps as a text alternative.
//
// Every piece of text passes through esc(): titles come from admin-written YAML, and the
// server places this markup unescaped (DiagramModel.svg), so escaping here is what keeps it safe.

import type { DiagramModel } from '../runtime/types.ts';
import { BOX_W, ROW_GAP, TEXT, layersOf, layout, type Box } from './diagram-layout.ts';
import type { StateDef, WorkflowDef } from './types.ts';

export interface DiagramOptions {
  /** States the instance is in now (highlighted). */
  current?: string[];
  /** States it has been in (tinted). */
  visited?: string[];
  /** A role's zh-CN name (RoleSet.labelOf, from directory/roles.yaml); without it the id is shown. */
  roleLabel?: (role: string) => string;
}

interface Edge {
  from: string;
  to: string;
  label: string;
}

const STYLE = `
.lz-diagram{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:14px}
.lz-diagram-state rect{fill:#ffffff;stroke:#505a5f;stroke-width:1.5}
.lz-diagram-visited rect{fill:#e8f1f8}
.lz-diagram-current rect{fill:#fff7bf;stroke:#0b0c0c;stroke-width:3}
.lz-diagram text{fill:#0b0c0c}
.lz-diagram .lz-diagram-sub{font-size:12px;fill:#383f43}
.lz-diagram-edge{fill:none;stroke:#505a5f;stroke-width:1.5}
.lz-diagram-label rect{fill:#ffffff;stroke:none}
.lz-diagram .lz-diagram-label text{font-size:12px;fill:#383f43}
.lz-diagram .lz-diagram-badge{font-size:12px;font-weight:bold}`;

export function renderDiagram(def: WorkflowDef, opts: DiagramOptions = {}): string {
  const { boxes, width, height } = layout(def, opts.roleLabel);
  const current = new Set(opts.current ?? []);
  const visited = new Set(opts.visited ?? []);
  const id = `lz-diagram-${def.id.replace(/[^a-z0-9_-]/gi, '')}`;
  const steps = diagramSteps(def, opts);
  const desc = `步骤：${steps.map((s) => s.title + (s.isCurrent ? '（当前）' : '')).join(' → ')}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lz-diagram" role="img" aria-labelledby="${id}-title ${id}-desc"` +
      ` viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width:100%;height:auto">`,
    `<title id="${id}-title">${esc(`流程图：${def.title}`)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
    `<style>${STYLE}</style>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="#505a5f"/></marker></defs>`,
    startMarker(boxes.get(def.initial), id),
    ...edgesOf(def).map((e, i) => edge(e, boxes, id, i)),
    ...[...boxes.values()].map((b) => stateBox(b, current.has(b.state.name), visited.has(b.state.name))),
    '</svg>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

/** The text alternative: states in the diagram's order (breadth-first from the initial one). */
export function diagramSteps(def: WorkflowDef, opts: DiagramOptions = {}): DiagramModel['steps'] {
  const current = new Set(opts.current ?? []);
  const visited = new Set(opts.visited ?? []);
  return layersOf(def)
    .flat()
    .map((name) => {
      const s = def.states[name]!;
      return { name, title: s.title, isCurrent: current.has(name), isVisited: visited.has(name), isFinal: s.final };
    });
}

/** One edge per (from, to, label): candidates of one event to one target are drawn once. */
function edgesOf(def: WorkflowDef): Edge[] {
  const seen = new Map<string, Edge>();
  for (const s of Object.values(def.states)) {
    const escalations = new Set([s.deadline?.escalate, ...s.tasks.map((g) => g.deadline?.escalate)]);
    const candidates = [
      ...Object.entries(s.on).flatMap(([event, ts]) => ts.map((t) => ({ event, t }))),
      ...s.always.map((t) => ({ event: undefined, t })),
    ];
    for (const { event, t } of candidates) {
      if (!(t.to in def.states)) continue;
      const base = t.label ?? eventLabel(s, event, escalations.has(event));
      const label = t.note ? `${base}：${t.note}` : base;
      const key = `${s.name}\u0000${t.to}\u0000${label}`;
      if (!seen.has(key)) seen.set(key, { from: s.name, to: t.to, label });
    }
  }
  return [...seen.values()];
}

function eventLabel(s: StateDef, event: string | undefined, isEscalation: boolean): string {
  if (event === undefined) return '自动';
  if (event === 'done') return '办理完成';
  if (isEscalation) return '超期';
  const outcome = s.tasks.flatMap((g) => g.outcomes).find((o) => o.id === event);
  return outcome?.label ?? event;
}

function edge(e: Edge, boxes: Map<string, Box>, id: string, i: number): string {
  const a = boxes.get(e.from)!;
  const b = boxes.get(e.to)!;
  const { d, mx, my } = route(a, b, i);
  return (
    `<path class="lz-diagram-edge" d="${d}" marker-end="url(#${id}-arrow)"/>\n` +
    label(e.label, mx, my)
  );
}

/** A path from box a to box b and the point its label sits on. */
function route(a: Box, b: Box, i: number): { d: string; mx: number; my: number } {
  const cx = (x: Box): number => x.x + x.w / 2;
  if (a === b) {
    const x = a.x + a.w - 24;
    return { d: `M${x},${a.y} C${x},${a.y - 34} ${x + 34},${a.y - 34} ${a.x + a.w},${a.y + 12}`, mx: x + 14, my: a.y - 28 };
  }
  if (b.x > a.x) {
    const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
    return { d: `M${x1},${y1} L${x2},${y2}`, mx: (x1 + x2) / 2, my: (y1 + y2) / 2 - 8 };
  }
  if (b.y >= a.y + a.h + ROW_GAP / 2 && b.x < a.x) {
    // Forward into the next row (the layers wrapped): down, across in the gap between rows, down again.
    const [x1, y1, x2, y2] = [cx(a), a.y + a.h, cx(b), b.y];
    const gy = y2 - ROW_GAP / 2 + (i % 3) * 6;
    return { d: `M${x1},${y1} V${gy} H${x2} V${y2}`, mx: (x1 + x2) / 2, my: gy - 2 };
  }
  if (b.y >= a.y + a.h || b.y + b.h <= a.y) {
    const down = b.y >= a.y + a.h;
    const [x1, y1] = [cx(a) + (down ? 0 : 12), down ? a.y + a.h : a.y];
    const [x2, y2] = [cx(b) + (down ? 0 : -12), down ? b.y : b.y + b.h];
    return { d: `M${x1},${y1} L${x2},${y2}`, mx: (x1 + x2) / 2, my: (y1 + y2) / 2 };
  }
  // Backwards within a row: a curve under the boxes, each one a little lower so they do not overlap.
  const [x1, y1, x2, y2] = [cx(a) - 16, a.y + a.h, cx(b) + 16, b.y + b.h];
  const cy = Math.max(y1, y2) + 40 + (i % 3) * 10;
  const qx = (x1 + x2) / 2;
  return { d: `M${x1},${y1} Q${qx},${cy} ${x2},${y2}`, mx: qx, my: (y1 + y2) / 4 + cy / 2 };
}

function label(text: string, x: number, y: number): string {
  const w = [...text].reduce((n, ch) => n + (/[\u0000-\u00ff]/.test(ch) ? 7 : 12), 0) + 8;
  return (
    `<g class="lz-diagram-label"><rect x="${x - w / 2}" y="${y - 10}" width="${w}" height="16" rx="3"/>` +
    `<text x="${x}" y="${y + 2}" text-anchor="middle">${esc(text)}</text></g>`
  );
}

function startMarker(first: Box | undefined, id: string): string {
  if (!first) return '';
  const y = first.y + first.h / 2;
  return (
    `<circle cx="${first.x - 30}" cy="${y}" r="6" fill="#0b0c0c"><title>开始</title></circle>\n` +
    `<path class="lz-diagram-edge" d="M${first.x - 24},${y} L${first.x},${y}" marker-end="url(#${id}-arrow)"/>`
  );
}

function stateBox(b: Box, isCurrent: boolean, isVisited: boolean): string {
  const cls = ['lz-diagram-state', isCurrent && 'lz-diagram-current', isVisited && !isCurrent && 'lz-diagram-visited'].filter(Boolean).join(' ');
  const rects = [`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="10"/>`];
  // A final state is double-bordered, as in UML: an inner outline 4px in.
  if (b.state.final) rects.push(`<rect x="${b.x + 4}" y="${b.y + 4}" width="${b.w - 8}" height="${b.h - 8}" rx="7"/>`);
  const cx = b.x + BOX_W / 2;
  let y = b.y + TEXT.BOX_PAD_Y + 13;
  const lines: string[] = [];
  for (const t of b.title) {
    lines.push(`<text x="${cx}" y="${y}" text-anchor="middle">${esc(t)}</text>`);
    y += TEXT.LINE_H;
  }
  for (const sub of [b.who, b.deadline]) {
    if (!sub) continue;
    lines.push(`<text class="lz-diagram-sub" x="${cx}" y="${y}" text-anchor="middle">${esc(sub)}</text>`);
    y += TEXT.LINE_H;
  }
  // "当前" in words as well as colour, so the highlight does not rely on colour alone.
  const badge = isCurrent ? `<text class="lz-diagram-badge" x="${b.x + 6}" y="${b.y - 6}">当前</text>` : '';
  return `<g class="${cls}" data-state="${esc(b.state.name)}">${rects.join('')}${lines.join('')}${badge}</g>`;
}

/** XML-escape text and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}


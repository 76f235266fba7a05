// diagram.ts: a workflow as a self-contained, accessible SVG, and the same steps as a text alternative.
//
// Every piece of text passes through esc(): titles come from admin-written YAML, and the
// server places this markup unescaped (DiagramModel.svg), so escaping here is what keeps it safe.

import type { DiagramModel } from '../model/diagram.ts';
import { LABEL_LINE_H, TEXT, diagramLayout, layersOf, type Arrow, type Box, type Point } from './diagram-layout.ts';
import type { WorkflowDef } from './types.ts';

export interface DiagramOptions {
  /** States the instance is in now (highlighted). */
  current?: string[];
  /** States it has been in (tinted). */
  visited?: string[];
  /** A role's zh-CN name (RoleSet.labelOf, from directory/roles.yaml); without it the id is shown. */
  roleLabel?: (role: string) => string;
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
.lz-diagram .lz-diagram-badge rect{fill:#0b0c0c;stroke:none}
.lz-diagram .lz-diagram-badge text{font-size:12px;font-weight:bold;fill:#ffffff}`;

/** The workflow top to bottom (its natural size fits a phone's column or scales down to it), with where an instance stands. */
export function renderDiagram(def: WorkflowDef, opts: DiagramOptions = {}): string {
  const { boxes, arrows, start, width, height } = diagramLayout(def, opts.roleLabel);
  const current = new Set(opts.current ?? []);
  const visited = new Set(opts.visited ?? []);
  const id = `lz-diagram-${def.id.replace(/[^a-z0-9_-]/gi, '')}`;
  const steps = diagramSteps(def, opts);
  const desc = `步骤：${steps.map((s) => s.title + (s.isCurrent ? '（当前）' : '')).join(' → ')}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lz-diagram" role="img" aria-labelledby="${id}-title ${id}-desc"` +
      ` viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="${id}-title">${esc(`流程图：${def.title}`)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
    `<style>${STYLE}</style>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="#505a5f"/></marker></defs>`,
    start
      ? `<circle cx="${start.x}" cy="${start.y}" r="${start.r}" fill="#0b0c0c"><title>开始</title></circle>\n` + edgePath(start.points, id)
      : '',
    // Arrows first, then their labels over them, then the boxes.
    ...arrows.map((a) => edgePath(a.points, id)),
    ...arrows.map(label),
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

function edgePath(points: Point[], id: string): string {
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  return `<path class="lz-diagram-edge" d="${d}" marker-end="url(#${id}-arrow)"/>`;
}

/** An arrow's label where dagre put it: a white box (it hides the arrow under it) and one text line per transition. */
function label(a: Arrow): string {
  const { x, y, w, h } = a.label;
  const cx = x + w / 2;
  const texts = a.lines.map((line, i) => `<text x="${cx}" y="${y + 2 + (i + 1) * LABEL_LINE_H - 4}" text-anchor="middle">${esc(line)}</text>`);
  return `<g class="lz-diagram-label"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3"/>${texts.join('')}</g>`;
}

function stateBox(b: Box, isCurrent: boolean, isVisited: boolean): string {
  const cls = ['lz-diagram-state', isCurrent && 'lz-diagram-current', isVisited && !isCurrent && 'lz-diagram-visited'].filter(Boolean).join(' ');
  const rects = [`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="10"/>`];
  // A final state is double-bordered, as in UML: an inner outline 4px in.
  if (b.state.final) rects.push(`<rect x="${b.x + 4}" y="${b.y + 4}" width="${b.w - 8}" height="${b.h - 8}" rx="7"/>`);
  const cx = b.x + b.w / 2;
  let y = b.y + TEXT.BOX_PAD_Y + 13;
  const lines: string[] = [];
  for (const t of b.title) {
    lines.push(`<text x="${cx}" y="${y}" text-anchor="middle">${esc(t)}</text>`);
    y += TEXT.LINE_H;
  }
  for (const sub of [b.who, b.constructLine]) {
    if (!sub) continue;
    lines.push(`<text class="lz-diagram-sub" x="${cx}" y="${y}" text-anchor="middle">${esc(sub)}</text>`);
    y += TEXT.LINE_H;
  }
  // "当前" in words as well as colour, so the highlight does not rely on colour alone: a tag on the box's top-left corner.
  const badge = isCurrent
    ? `<g class="lz-diagram-badge"><rect x="${b.x + 6}" y="${b.y - 9}" width="34" height="18" rx="3"/><text x="${b.x + 23}" y="${b.y + 4}" text-anchor="middle">当前</text></g>`
    : '';
  return `<g class="${cls}" data-state="${esc(b.state.name)}">${rects.join('')}${lines.join('')}${badge}</g>`;
}

/** XML-escape text and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}


// diagram.test.ts: the workflow diagram is well-formed, accessible, escaped, and marks where an instance stands;
// its layout (dagre, top to bottom) keeps labels apart and arrows off the boxes they do not join.
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../engine/dsl/compile.ts';
import { diagramSteps, renderDiagram } from '../../../engine/dsl/diagram.ts';
import { diagramLayout, type DiagramLayout, type Point, type Rect } from '../../../engine/dsl/diagram-layout.ts';
import { parentIndex } from '../../../engine/dsl/extends.ts';
import type { StateDef, TransitionDef, WorkflowDef } from '../../../engine/dsl/types.ts';
import { read, shippedForms, shippedRoles, shippedWorkflows, yamlFiles } from './load-shipped.ts';

const forms = shippedForms();
const roles = shippedRoles();
const byId = new Map(shippedWorkflows(forms).map((w) => [w.def.id, w.def]));
const bill = byId.get('bill') as WorkflowDef;
const suggestion = byId.get('suggestion') as WorkflowDef;

/** Every shipped workflow, the districts' included (their effective definitions, merged with the city's). */
function everyShipped(): WorkflowDef[] {
  const parents = parentIndex(yamlFiles('workflows').map((file) => ({ file, text: read(file) })));
  const districts = yamlFiles('workflows/districts').map((file) => {
    const r = compileWorkflow(read(file), file, { forms, roles, parents });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    return r.workflow.def;
  });
  return [...[...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), ...districts];
}

/** Two rectangles share more than an edge. */
function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The segment p→q enters the inside of r (Liang–Barsky clipping; r shrunk by 1px, so touching its outline is not entering). */
function crosses(p: Point, q: Point, r: Rect): boolean {
  const [x0, y0, x1, y1] = [r.x + 1, r.y + 1, r.x + r.w - 1, r.y + r.h - 1];
  const [dx, dy] = [q.x - p.x, q.y - p.y];
  let [t0, t1] = [0, 1];
  for (const [pp, qq] of [[-dx, p.x - x0], [dx, x1 - p.x], [-dy, p.y - y0], [dy, y1 - p.y]] as const) {
    if (pp === 0) {
      if (qq < 0) return false;
      continue;
    }
    const t = qq / pp;
    if (pp < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** Segment u→v lies on the line of p→q and shares more than a pixel of it. */
function alongside(p: Point, q: Point, u: Point, v: Point): boolean {
  const cross = (z: Point): number => (q.x - p.x) * (z.y - p.y) - (q.y - p.y) * (z.x - p.x);
  const len = Math.hypot(q.x - p.x, q.y - p.y);
  if (len < 1 || Math.abs(cross(u)) / len > 0.5 || Math.abs(cross(v)) / len > 0.5) return false;
  const t = (z: Point): number => ((z.x - p.x) * (q.x - p.x) + (z.y - p.y) * (q.y - p.y)) / len;
  return Math.min(len, Math.max(t(u), t(v))) - Math.max(0, Math.min(t(u), t(v))) > 1;
}

/** What is wrong with a layout, in words: overlapping labels, arrows through boxes or labels not theirs, things off the canvas. */
function faults(l: DiagramLayout): string[] {
  const out: string[] = [];
  const labels = l.arrows.map((a) => ({ name: `${a.from}→${a.to}「${a.lines.join('/')}」`, rect: a.label }));
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => overlap(a.rect, b.rect) && out.push(`label ${a.name} overlaps label ${b.name}`)));
  for (const a of labels) for (const [name, box] of l.boxes) if (overlap(a.rect, box)) out.push(`label ${a.name} overlaps box ${name}`);
  const paths = [...l.arrows.map((a) => ({ from: a.from, to: a.to, points: a.points, own: a.label })), ...(l.start ? [{ from: '(start)', to: [...l.boxes.keys()][0]!, points: l.start.points, own: undefined }] : [])];
  for (const a of paths) {
    for (let i = 0; i + 1 < a.points.length; i++) {
      const [p, q] = [a.points[i]!, a.points[i + 1]!];
      for (const [name, box] of l.boxes) if (name !== a.from && name !== a.to && crosses(p, q, box)) out.push(`arrow ${a.from}→${a.to} crosses box ${name}`);
      for (const b of labels) if (b.rect !== a.own && crosses(p, q, b.rect)) out.push(`arrow ${a.from}→${a.to} crosses label ${b.name}`);
    }
  }
  // No two arrows run along the same line for a stretch (you could not tell which goes where).
  const segments = l.arrows.flatMap((a) => a.points.slice(1).map((q, i) => ({ name: `${a.from}→${a.to}`, p: a.points[i]!, q })));
  segments.forEach((a, i) => segments.slice(i + 1).forEach((b) => a.name !== b.name && alongside(a.p, a.q, b.p, b.q) && out.push(`arrows ${a.name} and ${b.name} share a stretch`)));
  const all: Rect[] = [...l.boxes.values(), ...labels.map((a) => a.rect)];
  for (const r of all) if (r.x < 0 || r.y < 0 || r.x + r.w > l.width || r.y + r.h > l.height) out.push(`${JSON.stringify(r)} is outside ${l.width}×${l.height}`);
  return out;
}

/** A made-up flow of 3 to 12 steps from a seed: a tree of forward steps, then up to half again as many arrows anywhere. */
function randomFlow(seed: number): WorkflowDef {
  let x = seed;
  const next = (n: number): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor((x / 0x7fffffff) * n);
  };
  const def = structuredClone(bill);
  const template = def.states.draft!;
  const titles = ['起草', '审查交办承办单位', '专门委员会审议并提出报告', '办结', '不予立案，转为建议处理', 'Review by the office'];
  const labels = ['提交', '退回修改', '办理完成或超期：附议代表不足十人', '交办', '补充材料', '撤回申请'];
  const names = Array.from({ length: 3 + next(10) }, (_, i) => `s${i}`);
  def.states = Object.fromEntries(names.map((name) => [name, { ...structuredClone(template), name, title: titles[next(titles.length)]!, on: {}, always: [] }]));
  def.initial = 's0';
  const arrow = (from: string, to: string, event: string): void => {
    def.states[from]!.on[event] = [{ to, label: labels[next(labels.length)]!, path: '/x' }];
  };
  names.slice(1).forEach((name, i) => arrow(names[next(i + 1)]!, name, `e${i}`));
  for (let k = next(Math.ceil(names.length * 1.5)); k > 0; k--) arrow(names[next(names.length)]!, names[next(names.length)]!, `x${k}`);
  return def;
}

/** A busier flow than any shipped one: returns from every step, a step that loops on itself, and a skip ahead. */
function busy(): WorkflowDef {
  const def = structuredClone(bill);
  const back = (from: string, to: string, label: string): void => {
    const t: TransitionDef = { to, label, path: '/x' };
    def.states[from]!.on[`back_${to}`] = [t];
  };
  back('presidium', 'draft', '退回修改');
  back('committee_review', 'presidium', '退回主席团');
  back('committee_review', 'committee_review', '补充材料');
  back('committee_review', 'draft', '退回提出人');
  back('draft', 'presidium', '直接提交主席团');
  back('cosign', 'not_accepted', '撤回');
  return def;
}

/** Tags open and close in order: a cheap well-formedness check without an XML library. */
function isBalanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, tag, self] = m;
    if (self) continue;
    if (!close) stack.push(tag!);
    else if (stack.pop() !== tag) return false;
  }
  return stack.length === 0;
}

describe('renderDiagram', () => {
  it('is a self-contained accessible SVG', () => {
    const svg = renderDiagram(suggestion, {});
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-labelledby="lz-diagram-suggestion-title lz-diagram-suggestion-desc"/);
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<title id="lz-diagram-suggestion-title">流程图：代表建议办理</title>');
    expect(svg).toMatch(/<desc id="lz-diagram-suggestion-desc">步骤：起草建议 → 审查交办 → 承办答复 → 办理测评 → 办结<\/desc>/);
    expect(svg).not.toMatch(/href=|<script|<image|@import/);
    expect(isBalanced(svg)).toBe(true);
  });

  it('shows each step with its roles, deadlines, transitions and final states', () => {
    // Role labels come from directory/roles.yaml.
    const svg = renderDiagram(suggestion, { roleLabel: shippedRoles().labelOf });
    for (const text of ['审查交办', '代表工委', '限时 7个工作日', '限时 6个月 / 3个月', '交办', '办理完成', '提交：重新办理', '发起人']) expect(svg).toContain(text);
    expect(svg.match(/class="lz-diagram-edge"/g)!.length).toBe(6); // five transitions (evaluate has two targets) and the start arrow
    const closed = /<g class="lz-diagram-state" data-state="closed">(.*?)<\/g>/.exec(svg)![1]!;
    expect(closed.match(/<rect/g)).toHaveLength(2); // double border
  });

  it('highlights the current state and tints the visited ones', () => {
    const svg = renderDiagram(suggestion, { current: ['handle'], visited: ['draft', 'review', 'handle'] });
    expect(svg).toMatch(/<g class="lz-diagram-state lz-diagram-current" data-state="handle">.*当前<\/text><\/g>/);
    expect(svg).toContain('<g class="lz-diagram-state lz-diagram-visited" data-state="review">');
    expect(svg).toContain('<g class="lz-diagram-state" data-state="evaluate">');
    expect(svg).toContain('承办答复（当前）');
  });

  it('escapes every piece of admin-written text', () => {
    const evil = '<script>alert("x")</script>&';
    const def: WorkflowDef = structuredClone(suggestion);
    def.title = evil;
    def.states.review = { ...def.states.review!, title: evil } as StateDef;
    def.states.review.on = { accept: [{ to: 'handle', label: `"><img src=x onerror=alert(1)>`, path: '/x' }] };
    const svg = renderDiagram(def, { current: ['review'] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(isBalanced(svg)).toBe(true);
  });

  it('runs top to bottom and is narrow enough for a phone', () => {
    for (const def of everyShipped()) {
      const l = diagramLayout(def, roles.labelOf);
      expect(l.width, def.id).toBeLessThanOrEqual(420); // a 390px phone shows it at 85% or more
      const y = (s: string): number => l.boxes.get(s)!.y;
      // Each step's first forward step is below it (the flow reads downwards).
      const next: Record<string, string> = { bill: 'cosign', 'duty-feedback': 'closed', 'duty-report': 'evaluate', 'e-vote': 'satisfaction_vote' };
      expect(y(def.initial), def.id).toBeLessThan(y(next[def.id] ?? 'review'));
      expect(l.start!.y).toBeLessThan(y(def.initial));
    }
    const svg = renderDiagram(bill, {});
    const [w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.slice(1).map(Number) as [number, number];
    expect(h).toBeGreaterThan(w);
    expect(svg).toContain(`width="${w}" height="${h}"`); // its natural size: a page scales it down, never up
  });

  it('keeps labels apart and every arrow off the boxes and labels it does not join, in every shipped workflow', () => {
    const shipped = everyShipped();
    expect(shipped.map((d) => d.id)).toEqual(['bill', 'duty-feedback', 'duty-report', 'e-vote', 'suggestion', 'zhangdian-suggestion']);
    for (const def of shipped) {
      const l = diagramLayout(def, roles.labelOf);
      expect(faults(l), def.id).toEqual([]);
      // Every step that is not final leaves by at least one arrow (履职测评结果反馈 has one step).
      expect(l.arrows.length, def.id).toBeGreaterThanOrEqual(Object.values(def.states).filter((st) => !st.final).length);
    }
    // The two the issue found: 代表附议's 办理完成/超期 labels, and 专门委员会审议 → 已提出审议结果报告 past 不予立案.
    const l = diagramLayout(bill, roles.labelOf);
    expect(l.arrows.filter((a) => a.from === 'cosign').map((a) => a.lines)).toEqual([['办理完成或超期'], ['办理完成或超期：', '附议代表不足十人']]);
    const report = l.arrows.find((a) => a.from === 'committee_review' && a.to === 'reported')!;
    expect(report.points.some((p, i) => i > 0 && crosses(report.points[i - 1]!, p, l.boxes.get('not_accepted')!))).toBe(false);
  });

  it('keeps the same promises for a busier flow: loops back, a step that returns to itself, a skip ahead', () => {
    const l = diagramLayout(busy(), roles.labelOf);
    expect(l.arrows).toHaveLength(12);
    expect(faults(l)).toEqual([]);
  });

  it('keeps them for forty made-up flows of up to twelve steps, loops and back arrows included', () => {
    for (let seed = 1; seed <= 40; seed++) expect(faults(diagramLayout(randomFlow(seed))), `seed ${seed}`).toEqual([]);
  });

  it('needs no special font: only CJK, ASCII and CJK punctuation in its text', () => {
    for (const def of everyShipped()) {
      const svg = renderDiagram(def, { roleLabel: roles.labelOf, current: [def.initial] });
      const text = [...svg.matchAll(/<(text|title|desc)[^>]*>([^<]*)</g)].map((m) => m[2]).join('');
      expect(text, def.id).toMatch(/^[\u0020-\u007e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef…→]*$/);
      expect(svg).not.toContain('⏱');
    }
  });

  it('lays out a workflow version once (cached per definition and role labels)', () => {
    expect(diagramLayout(bill, roles.labelOf)).toBe(diagramLayout(bill, roles.labelOf));
    expect(diagramLayout(bill)).not.toBe(diagramLayout(bill, roles.labelOf)); // ids instead of names: other boxes
  });

  it('has no raw & outside entities', () => {
    const svg = renderDiagram(bill, { current: ['cosign'] });
    expect(svg.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  });
});

describe('diagramSteps', () => {
  it('lists the states in diagram order with current, visited and final marked', () => {
    expect(diagramSteps(bill, { current: ['presidium'], visited: ['draft', 'cosign'] })).toEqual([
      { name: 'draft', title: '起草议案', isCurrent: false, isVisited: true, isFinal: false },
      { name: 'cosign', title: '代表附议', isCurrent: false, isVisited: true, isFinal: false },
      { name: 'presidium', title: '主席团决定', isCurrent: true, isVisited: false, isFinal: false },
      { name: 'committee_review', title: '专门委员会审议', isCurrent: false, isVisited: false, isFinal: false },
      { name: 'not_accepted', title: '不予立案，转为建议处理', isCurrent: false, isVisited: false, isFinal: true },
      { name: 'reported', title: '已提出审议结果报告', isCurrent: false, isVisited: false, isFinal: true },
    ]);
  });

  it('breaks a two-line title after its comma, not one character before the end', () => {
    const svg = renderDiagram(bill, {});
    expect(svg).toContain('>不予立案，</text>');
    expect(svg).toContain('>转为建议处理</text>');
  });

  it('takes role labels from the caller (directory/roles.yaml) and shortens a long one to fit its box', () => {
    const svg = renderDiagram(suggestion, { roleLabel: (r) => (r === 'review_office' ? '某某区人民代表大会常务委员会代表工作委员会' : r) });
    expect(svg).toContain('某某区人民代表大会常务委…');
    expect(svg).not.toContain('代表工作委员会<');
    expect(isBalanced(svg)).toBe(true);
  });
});

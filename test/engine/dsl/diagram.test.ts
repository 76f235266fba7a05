// diagram.test.ts: the workflow diagram is well-formed, accessible, escaped, and marks where an instance stands.
import { describe, expect, it } from 'vitest';
import { diagramSteps, renderDiagram } from '../../../engine/dsl/diagram.ts';
import { layersOf } from '../../../engine/dsl/diagram-layout.ts';
import type { StateDef, WorkflowDef } from '../../../engine/dsl/types.ts';
import { shippedForms, shippedRoles, shippedWorkflows } from './load-shipped.ts';

const [bill, suggestion] = shippedWorkflows(shippedForms()).map((w) => w.def) as [WorkflowDef, WorkflowDef];

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
    for (const text of ['审查交办', '代表工委', '⏱ 7个工作日', '⏱ 6个月 / 3个月', '交办', '办理完成', '提交：重新办理', '发起人']) expect(svg).toContain(text);
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

  it('wraps more than four layers into rows, so it stays narrow', () => {
    expect(layersOf(bill)).toEqual([['draft'], ['cosign'], ['presidium'], ['committee_review', 'not_accepted'], ['reported']]);
    const width = Number(/viewBox="0 0 (\d+)/.exec(renderDiagram(bill, {}))![1]);
    expect(width).toBeLessThan(1000);
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

  it('takes role labels from the caller (directory/roles.yaml) and shortens a long one to fit its box', () => {
    const svg = renderDiagram(suggestion, { roleLabel: (r) => (r === 'review_office' ? '某某区人民代表大会常务委员会代表工作委员会' : r) });
    expect(svg).toContain('某某区人民代表大会常务委…');
    expect(svg).not.toContain('代表工作委员会<');
    expect(isBalanced(svg)).toBe(true);
  });
});

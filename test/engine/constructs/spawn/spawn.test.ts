// spawn.test.ts: the spawn construct (engine/constructs/spawn/) through the generic code that loops over the
// registry: its schema, normalisation (the one-child form unchanged), its check, its expressions and its
// diagram line. Running it (children, waits, reports) is children.test.ts.
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../../engine/dsl/compile.ts';
import { renderDiagram } from '../../../../engine/dsl/diagram.ts';
import { exprSites } from '../../../../engine/dsl/expr-sites.ts';
import { shippedForms } from '../../dsl/load-shipped.ts';

const forms = shippedForms();

const yaml = (ask: string): string => `id: fx-spawn
version: 1
title: 子流程
roles: [review_office]
record: suggestion
initial: draft
states:
  draft:
    task: { role: review_office, fields: { edit: [title, co_units] } }
    on: { submit: ask }
  ask:
${ask}
  closed: { final: true }
`;

function compiled(text: string) {
  const r = compileWorkflow(text, 'fx.yaml', { forms });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.workflow;
}

function errorsOf(text: string): string[] {
  const r = compileWorkflow(text, 'fx.yaml', { forms });
  return r.ok ? [] : r.errors.map((e) => `${e.code} ${e.path}`);
}

describe('spawn', () => {
  it('keeps the one-child form as it was: { workflow, data }, no list, no wait', () => {
    const wf = compiled(yaml(`    spawn: { workflow: suggestion, data: { title: data.title } }
    always: [{ to: closed }]`));
    expect(wf.def.states.ask!.spawn).toEqual({ workflow: 'suggestion', data: { title: 'data.title' } });
  });

  it('normalises each / wait / results, naming the list after the state unless as: says otherwise', () => {
    const each = `    spawn: { workflow: suggestion, each: data.co_units, data: { lead_unit: item }, wait: any, results: { answer: reply } }
    on: { done: closed }`;
    expect(compiled(yaml(each)).def.states.ask!.spawn).toEqual({
      workflow: 'suggestion', data: { lead_unit: 'item' }, each: 'data.co_units', wait: 'any', results: { answer: 'reply' }, as: 'ask',
    });
    // wait: none is the default: no wait at all.
    const none = compiled(yaml(`    spawn: { workflow: suggestion, each: data.co_units, wait: none, as: units_asked }
    always: [{ to: closed }]`));
    expect(none.def.states.ask!.spawn).toEqual({ workflow: 'suggestion', data: {}, each: 'data.co_units', as: 'units_asked' });
  });

  it('checks: wait needs on: done; results keys are not entry keys; item only with each', () => {
    expect(errorsOf(yaml(`    spawn: { workflow: suggestion, each: data.co_units, wait: all }
    always: [{ to: closed }]`))).toEqual(['LVZ_DSL_SPAWN_NO_DONE /states/ask/spawn/wait']);
    expect(errorsOf(yaml(`    spawn: { workflow: suggestion, each: data.co_units, wait: all, results: { status: reply } }
    on: { done: closed }`))).toEqual(['LVZ_DSL_SCHEMA /states/ask/spawn/results/status']);
    expect(errorsOf(yaml(`    spawn: { workflow: suggestion, data: { lead_unit: item } }
    always: [{ to: closed }]`))).toEqual(['LVZ_EXPR_SYNTAX /states/ask/spawn/data/lead_unit']);
  });

  it('hands its expressions to the generic checks: each over the record, data with item', () => {
    const wf = compiled(yaml(`    spawn: { workflow: suggestion, each: data.co_units, data: { lead_unit: item }, wait: all }
    on: { done: closed }`));
    const sites = exprSites(wf.def).filter((s) => s.path.startsWith('/states/ask/spawn'));
    expect(sites.map((s) => [s.path, s.vars.has('item')])).toEqual([['/states/ask/spawn/each', false], ['/states/ask/spawn/data/lead_unit', true]]);
  });

  it('draws its line under the box: the child workflow, 逐项 with each, and what it waits for', () => {
    const wf = compiled(yaml(`    spawn: { workflow: suggestion, each: data.co_units, wait: all }
    on: { done: closed }`));
    expect(renderDiagram(wf.def)).toContain('>子流程 suggestion 逐项 等全部</text>');
    const one = compiled(yaml(`    spawn: { workflow: suggestion }
    always: [{ to: closed }]`));
    expect(renderDiagram(one.def)).toContain('>子流程 suggestion</text>');
  });
});

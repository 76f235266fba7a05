// compile.test.ts: the shipped workflows compile, shorthands normalise as docs/dsl.md says, results are cached.
import { describe, expect, it } from 'vitest';
import { checkAcrossFiles, compileWorkflow } from '../../../engine/dsl/compile.ts';
import { exprSites } from '../../../engine/dsl/expr-sites.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import { read, shippedForms, shippedWorkflows, yamlFiles } from './load-shipped.ts';

const forms = shippedForms();

function compile(file: string, text = read(file)): CompiledWorkflow {
  const r = compileWorkflow(text, file, { forms });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.workflow;
}

describe('shipped workflows', () => {
  it('are all valid, alone and across files', () => {
    const all = shippedWorkflows(forms);
    expect(all.map((w) => w.def.id).sort()).toEqual(['bill', 'duty-feedback', 'duty-report', 'e-vote', 'suggestion']);
    expect(checkAcrossFiles(all, { forms }).map((e) => e.format())).toEqual([]);
    expect(yamlFiles('workflows').every((f) => read(f).startsWith('# yaml-language-server: $schema=../schema/workflow.schema.json'))).toBe(true);
  });

  it('suggestion: review can return, handle has lead and co-handling groups, 3/6 months', () => {
    const { def } = compile('workflows/suggestion.yaml');
    expect(def.states.review!.tasks[0]).toMatchObject({ id: 'main', role: 'review_office', opinion: 'required', actions: ['return', 'remind', 'copy'] });
    const [lead, co] = def.states.handle!.tasks;
    expect(lead).toMatchObject({ id: 'lead', org: 'data.lead_unit', return_within: { amount: 7, unit: 'working_days' }, outcomes: [{ id: 'submit', label: '提交' }] });
    expect(co).toMatchObject({ id: 'cohandle', for_each: 'data.co_units', org: 'item', deadline: { after: [{ duration: { amount: 1, unit: 'months' } }] } });
    expect(def.states.handle!.deadline!.after.map((c) => [c.when, c.duration.amount])).toEqual([["data.is_complex == '是'", 6], [undefined, 3]]);
    expect(def.states.evaluate!.tasks[0]!.anonymous_to).toEqual(['handling_unit']);
    expect(def.states.evaluate!.on.submit!.map((t) => t.to)).toEqual(['handle', 'closed']);
    expect(def.states.review!.tasks[0]!.outcomes).toEqual([{ id: 'accept', label: '交办' }]);
  });

  it('bill: co-signing is a for_each group with two outcomes, and a rejected bill spawns a suggestion', () => {
    const { def } = compile('workflows/bill.yaml');
    expect(def.states.cosign!.tasks[0]).toMatchObject({ id: 'cosign', assignee: 'item', complete_when: { kind: 'all' }, outcomes: [{ id: 'agree' }, { id: 'decline' }] });
    expect(def.states.cosign!.deadline!.escalate).toBe('timeout');
    expect(def.states.not_accepted!.spawn).toEqual({ workflow: 'suggestion', data: { title: 'data.title', content: 'data.content' } });
  });
});

describe('normalising shorthands', () => {
  const { def, exprs } = compile('test/fixtures/dsl/ok-shorthands.yaml');

  it('turns every on: form into a list of candidates with their paths', () => {
    expect(def.states.draft!.on.save).toEqual([{ to: 'draft', path: '/states/draft/on/save' }]);
    expect(def.states.review!.on.accept!.map((t) => t.path)).toEqual(['/states/review/on/accept/0', '/states/review/on/accept/1']);
    expect(def.states.auto!.always.map((t) => t.to)).toEqual(['closed', 'spawned']);
  });

  it('reads complete_when, outcomes, durations and copy', () => {
    const groups = Object.fromEntries(def.states.vote!.tasks.map((g) => [g.id, g]));
    expect(groups.ratio_group!.complete_when).toEqual({ kind: 'ratio', ratio: 0.5 });
    expect(groups.count_group!.complete_when).toEqual({ kind: 'count', count: 1 });
    expect(groups.any_group!.complete_when).toEqual({ kind: 'any' });
    expect(groups.seq_group!.complete_when).toEqual({ kind: 'sequential' });
    expect(groups.ratio_group!.outcomes).toEqual([{ id: 'agree', label: 'agree' }, { id: 'disagree', label: '不同意' }]);
    expect(groups.any_group!.outcomes).toEqual([{ id: 'submit', label: '提交' }]);
    expect(def.states.review!.deadline).toMatchObject({ after: [{ duration: { amount: 7, unit: 'working_days' } }], remind: [{ amount: 2 }], escalate: 'late' });
    expect(def.states.vote!.copy).toEqual({ roles: ['leader'], users: '[actor.id]' });
    expect(def.starters).toEqual(['deputy']);
    expect(def.states.closed).toMatchObject({ final: true, tasks: [], title: '办结' });
  });

  it('keeps every expression, parsed once, keyed by its text', () => {
    const sources = exprSites(def).map((s) => s.source);
    expect(sources.length).toBeGreaterThan(10);
    for (const s of sources) expect(exprs.get(s)?.source).toBe(s);
    expect(exprs.has('initiator')).toBe(false);
    expect(exprs.get("data.is_key == '是'")!.evaluate({ data: { is_key: '是' } })).toBe(true);
  });
});

describe('compileWorkflow', () => {
  it('caches by text and forms, and re-checks when a form changes', () => {
    const text = read('workflows/suggestion.yaml');
    const a = compileWorkflow(text, 'workflows/suggestion.yaml', { forms });
    const b = compileWorkflow(text, 'workflows/suggestion.yaml', { forms });
    expect(a.ok && b.ok && a.workflow === b.workflow).toBe(true);
    const c = compileWorkflow(text, 'workflows/suggestion.yaml', { forms: new Map() });
    expect(c.ok).toBe(false);
    const d = compileWorkflow(text.replace('title: 代表建议办理', 'title: 代表建议'), 'workflows/suggestion.yaml', { forms });
    expect(d.ok && a.ok && d.workflow !== a.workflow).toBe(true);
  });

  it('names the unknown key and the allowed ones, and lists allowed values', () => {
    const r = compileWorkflow(read('test/fixtures/dsl/unknown-key.yaml'), 'k.yaml', { forms });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.format()).toMatch(/^k\.yaml:11:34: LVZ_DSL_SCHEMA states\.draft\.task 下有未知的键“feilds”：此处允许的键为 title、role、.*fields.*（是否想写“fields”？）$/);
    const e = compileWorkflow(read('test/fixtures/dsl/bad-enum.yaml'), 'e.yaml', { forms });
    if (e.ok) throw new Error('expected errors');
    expect(e.errors.map((x) => x.message)).toEqual([
      expect.stringContaining('请改用以下之一：return、reassign、delegate、add_signer、withdraw、remind、copy'),
      expect.stringContaining('请改用以下之一：required、optional、none'),
      '从初始步骤“draft”无法到达步骤“vote”：请添加一个转向它的流转，或删除这个步骤', // not hidden by the schema errors
      expect.stringContaining('请改用以下之一：all、any、sequential'),
    ]);
  });

  it('collects every error of a file in one pass, in file order', () => {
    const r = compileWorkflow(read('test/fixtures/dsl/unknown-field.yaml'), 'f.yaml', { forms });
    if (r.ok) throw new Error('expected errors');
    expect(r.errors.map((e) => e.where!.line)).toEqual([11, 15, 18, 19]);
    expect(r.errors.every((e) => e.path?.startsWith('/'))).toBe(true);
  });

  it('refuses a non-map document and an empty one with a schema error', () => {
    for (const text of ['just text', '- a\n- b', '']) {
      const r = compileWorkflow(text, 'x.yaml', { forms });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.code).toBe('LVZ_DSL_SCHEMA');
    }
  });
});

describe('expressions reaching outside their data', () => {
  it('are refused when the definition loads', () => {
    const r = compileWorkflow(read('test/fixtures/dsl/expr-escape.yaml'), 'x.yaml', { forms });
    expect(r.ok).toBe(false);
  });

  it('and a computed key that passes the check fails safely at run time, without reaching a prototype', () => {
    const text = read('test/fixtures/dsl/ok-minimal.yaml').replace("on: { submit: closed }", `on: { submit: [{ when: "data['__proto__'] != null || data['constructor'] != null", to: closed }, { to: closed }] }`);
    const { exprs } = compile('m.yaml', text);
    const guard = [...exprs.values()].find((e) => e.source.includes('__proto__'))!;
    expect(() => guard.evaluate({ data: { title: 'x' } })).toThrow(expect.objectContaining({ code: 'LVZ_EXPR_EVAL' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// cost.test.ts: an expression's cost is bounded twice: a static estimate when it loads (LVZ_EXPR_TOO_COSTLY at
// its place) and a budget while it runs (LVZ_EXPR_LIMIT), which a guard throws instead of counting as false.
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../engine/dsl/compile.ts';
import { LvzError } from '../../../engine/errors.ts';
import { compileExpr, isTrue } from '../../../engine/expr/index.ts';
import { restore, step } from '../../../engine/runtime/machine.ts';
import { compileForm } from '../../../engine/forms/compile.ts';
import { evaluateVisibility } from '../../../engine/forms/visibility.ts';
import { read, shippedForms } from '../dsl/load-shipped.ts';

const list = (n: number): string => `[${Array(n).fill(0).join(',')}]`;
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (e) {
    return (e as LvzError).code;
  }
};

describe('the static estimate', () => {
  it('refuses the issue\'s expressions with LVZ_EXPR_TOO_COSTLY at the place it is given', () => {
    const L = list(200);
    let eight = 'true';
    for (const v of 'abcdefgh') eight = `${list(10)}.all(${v}, ${eight})`;
    for (const source of [`${L}.map(a, ${L}.map(b, ${L}.map(c, ${L}.map(d, 0)))).size() > 0`, eight]) {
      const where = { file: 'x.yaml', line: 4, col: 7 };
      try {
        compileExpr(source, where);
        expect.unreachable();
      } catch (e) {
        expect((e as LvzError).code).toBe('LVZ_EXPR_TOO_COSTLY');
        expect((e as LvzError).where).toEqual(where);
        expect((e as LvzError).message).toContain('上限');
      }
    }
  });

  it('allows one comprehension over data and refuses two nested ones', () => {
    expect(codeOf(() => compileExpr("data.units.all(u, u.name != '' && u.kind == 'unit')"))).toBeUndefined();
    expect(codeOf(() => compileExpr('actor.id in data.reviewers'))).toBeUndefined();
    expect(codeOf(() => compileExpr(`${list(200)}.map(a, ${list(200)}.map(b, a + b)).size() > 0`))).toBeUndefined();
    expect(codeOf(() => compileExpr('data.units.all(u, data.others.exists(o, o == u))'))).toBe('LVZ_EXPR_TOO_COSTLY');
  });

  it('refuses an expression that could build a list longer than the limit', () => {
    const x10 = (v: string): string => Array(10).fill(v).join(' + ');
    const source = `cel.bind(a, ${list(10)}, cel.bind(b, ${x10('a')}, cel.bind(c, ${x10('b')}, cel.bind(d, ${x10('c')}, cel.bind(e, ${x10('d')}, ${x10('e')})))))`;
    expect(codeOf(() => compileExpr(source))).toBe('LVZ_EXPR_TOO_COSTLY');
  });
});

describe('the runtime budget', () => {
  it('stops a run over its steps or its list size with LVZ_EXPR_LIMIT, whatever CEL does with errors', () => {
    const many = Array.from({ length: 700_000 }, (_, i) => i);
    expect(codeOf(() => compileExpr('data.xs.all(x, x >= 0)').evaluate({ data: { xs: many } }))).toBe('LVZ_EXPR_LIMIT');
    // `||` turns an error on its left into a value: the budget's error still wins.
    expect(codeOf(() => compileExpr('data.xs.all(x, x >= 0) || true').evaluate({ data: { xs: many } }))).toBe('LVZ_EXPR_LIMIT');
    const text = 'a'.repeat(150_000);
    expect(codeOf(() => compileExpr("data.t.split('').size() > 0").evaluate({ data: { t: text } }))).toBe('LVZ_EXPR_LIMIT');
    expect(compileExpr('data.xs.all(x, x >= 0)').evaluate({ data: { xs: many.slice(0, 10_000) } })).toBe(true);
  });

  it('a guard over budget is thrown, not counted as false', () => {
    const e = compileExpr("data.t.split('').size() > 0");
    expect(isTrue(e, { data: { t: 1 } })).toBe(false); // an ordinary evaluation error is false
    expect(() => isTrue(e, { data: { t: 'a'.repeat(150_000) } })).toThrow(/已中止/);
  });

  it('a workflow step whose guard runs over budget is refused with LVZ_EXPR_LIMIT, not sent down the other branch', () => {
    const forms = shippedForms();
    const text = read('workflows/suggestion.yaml').replace(`"data.eval_overall == '不满意' && visits.handle < 2"`, `"data.eval_comment.split('').size() > 0"`);
    const r = compileWorkflow(text, 'workflows/suggestion.yaml', { forms });
    if (!r.ok) throw new Error(r.errors.map((x) => x.format()).join('\n'));
    const at = restore(r.workflow, 'evaluate', { data: { eval_comment: 'x'.repeat(150_000) }, tally: {}, visits: {} });
    expect(codeOf(() => step(r.workflow, at, { type: 'submit' }))).toBe('LVZ_EXPR_LIMIT');
    const fine = restore(r.workflow, 'evaluate', { data: { eval_comment: '好' }, tally: {}, visits: {} });
    expect(step(r.workflow, fine, { type: 'submit' }).snapshot.value).toBe('handle');
  });

  it("a form's conditions run under one budget together: each within its own, six over the operation's", () => {
    const fields = Array.from({ length: 6 }, (_, i) => `  - { name: f${i}, type: text, label: 字段${i}, visible_when: "data.xs.all(x, x >= 0)" }`);
    const r = compileForm(`id: many\nversion: 1\ntitle: 多条件\nfields:\n  - { name: xs, type: text, label: 列表 }\n${fields.join('\n')}\n`, 'forms/many.yaml');
    if (!r.ok) throw new Error(r.errors.map((x) => x.format()).join('\n'));
    const xs = Array.from({ length: 300_000 }, (_, i) => i); // one evaluation: about 1.5 million steps
    expect(compileExpr('data.xs.all(x, x >= 0)').evaluate({ data: { xs } })).toBe(true);
    expect(codeOf(() => evaluateVisibility(r.form, { xs }))).toBe('LVZ_EXPR_LIMIT');
    expect(evaluateVisibility(r.form, { xs: [1, 2] }).visible.get('f0')).toBe(true);
  });
});

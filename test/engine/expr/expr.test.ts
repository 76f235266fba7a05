// expr.test.ts: CEL guards parse once, see only their data, and fail safely.
import { describe, expect, it } from 'vitest';
import { compileExpr, isTrue } from '../../../engine/expr/index.ts';
import { LvzError } from '../../../engine/errors.ts';

describe('compileExpr', () => {
  it('evaluates guards over data, tally and visits', () => {
    const e = compileExpr("data.eval_overall == '不满意' && visits.handle < 2");
    expect(e.evaluate({ data: { eval_overall: '不满意' }, visits: { handle: 1 } })).toBe(true);
    expect(e.evaluate({ data: { eval_overall: '不满意' }, visits: { handle: 2 } })).toBe(false);
    expect(compileExpr('tally.cosign.agree >= 10').evaluate({ tally: { cosign: { agree: 10 } } })).toBe(true);
  });

  it('lists the fields an expression refers to', () => {
    expect(compileExpr("has(data.is_key) && data.is_key == '是' ? [data.supervisor] : []").refs).toEqual(
      expect.arrayContaining(['data.is_key', 'data.supervisor']),
    );
  });

  it('returns plain JSON values (no BigInt)', () => {
    expect(compileExpr('size(data.units)').evaluate({ data: { units: ['a', 'b'] } })).toBe(2);
    expect(compileExpr('data.units.map(u, u + "!")').evaluate({ data: { units: ['a'] } })).toEqual(['a!']);
  });

  it('reports a syntax error with its code and position', () => {
    const where = { file: 'x.yaml', line: 3, col: 9 };
    try {
      compileExpr('data.a +* 2', where);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LvzError);
      expect((e as LvzError).code).toBe('LVZ_EXPR_SYNTAX');
      expect((e as LvzError).format()).toMatch(/^x\.yaml:3:9: LVZ_EXPR_SYNTAX/);
    }
  });

  it('cannot reach outside its data', () => {
    for (const src of ['data.__proto__', 'data.constructor', 'data.a.__proto__.polluted', 'process', 'globalThis']) {
      let value: unknown;
      try {
        value = compileExpr(src).evaluate({ data: { a: {} } });
      } catch (e) {
        expect((e as LvzError).code).toMatch(/^LVZ_EXPR_/);
        continue;
      }
      // An unlisted name evaluates to nothing useful, never to a host object.
      expect(value === null || value === undefined).toBe(true);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses oversized expressions', () => {
    expect(() => compileExpr('1 + '.repeat(1000) + '1')).toThrow(LvzError);
  });

  it('isTrue treats errors and non-booleans as false', () => {
    expect(isTrue(compileExpr('data.missing == 1'), { data: {} })).toBe(false);
    expect(isTrue(compileExpr('1'), {})).toBe(false);
    expect(isTrue(compileExpr('true'), {})).toBe(true);
  });
});

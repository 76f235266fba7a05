// spawn-items.test.ts: what a spawn's `each:` gives as the children to start: nothing for an unset
// field, a single value as one item, and more than MAX_SPAWN refused with a message saying what to do.

import { describe, expect, it } from 'vitest';
import { LvzError } from '../../../../engine/errors.ts';
import { MAX_SPAWN, spawnItems } from '../../../../engine/constructs/spawn/run/index.ts';

describe('spawnItems', () => {
  it('reads nothing, one value or a list', () => {
    expect(spawnItems(() => null, '征求意见')).toEqual([]);
    expect(spawnItems(() => '', '征求意见')).toEqual([]);
    expect(spawnItems(() => { throw new LvzError('LVZ_EXPR_EVAL', 'No such key: units', {}); }, '征求意见')).toEqual([]);
    expect(spawnItems(() => 'city-fgw', '征求意见')).toEqual(['city-fgw']);
    expect(spawnItems(() => Array.from({ length: MAX_SPAWN }, (_, i) => i), '征求意见')).toHaveLength(MAX_SPAWN);
  });

  it(`refuses more than ${MAX_SPAWN} children in one step, and other expression errors pass through`, () => {
    let e: unknown;
    try {
      spawnItems(() => Array.from({ length: MAX_SPAWN + 1 }, (_, i) => i), '征求意见');
    } catch (err) {
      e = err;
    }
    expect(e).toMatchObject({ code: 'LVZ_RUN_SPAWN_TOO_MANY', params: { count: MAX_SPAWN + 1, max: MAX_SPAWN } });
    expect((e as Error).message).toMatch(/^“征求意见”要为每一项各启动一个子流程，但列表有 501 项，超过一步最多 500 项：请减少/);
    expect(() => spawnItems(() => { throw new LvzError('LVZ_EXPR_LIMIT', '超出', {}); }, '征求意见')).toThrow('超出');
  });
});

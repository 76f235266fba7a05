// check-pool.test.ts: the studio's check pool runs checks in worker threads, a fixed number at a time, with
// a bounded queue: one check more than running plus waiting is answered "busy" (LVZ_DSL_CHECK_LIMIT).
import { describe, expect, it } from 'vitest';
import { CheckPool, type CheckJob } from '../../../engine/runtime/authoring/check-pool.ts';

const job = (id: string): CheckJob => ({
  kind: 'form', id, text: `id: ${id}\nversion: 1\ntitle: 表\nfields:\n  - { name: a, type: text, label: 甲 }\n`,
  rows: [], forms: [], roles: [], directory: { users: [], orgs: [] }, choices: { orgs: [], people: [], orgsByKind: {}, peopleByRole: {} },
});

describe('CheckPool', () => {
  it('runs one check at a time with one worker, lets one wait and answers the next "busy"', async () => {
    const pool = new CheckPool({ workers: 1, heapMb: 128, timeoutMs: 30_000, queue: 1 });
    try {
      const results = await Promise.all(['a', 'b', 'c'].map((id) => pool.run(job(id))));
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
      expect(results[2]!.errors.map((e) => e.code)).toEqual(['LVZ_DSL_CHECK_LIMIT']);
      expect(results[2]!.errors[0]!.message).toContain('同时进行的检查过多');
      expect((await pool.run(job('d'))).ok).toBe(true); // the slot was handed back
    } finally {
      pool.close();
    }
  });
});

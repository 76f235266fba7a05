// checks.test.ts: what the DSL checks say about a `group:` step as written (pure: no database). The
// positions of every code are in test/fixtures/dsl (bad-group.yaml, unknown-role-constructs.yaml); this
// file holds the messages.

import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../../engine/dsl/compile.ts';
import { shippedForms } from '../../dsl/load-shipped.ts';

const forms = shippedForms();

function compiled(group: string) {
  const text = `id: fx-g\nversion: 1\ntitle: 群组\nroles: [deputy, presidium]\nrecord: bill\ninitial: ask\nstates:\n  ask:\n    group:\n${group.split('\n').map((l) => `      ${l}`).join('\n')}\n    on: { done: closed }\n  closed: { final: true }\n`;
  return compileWorkflow(text, 'fx-g.yaml', { forms });
}

describe('group: the roles it names', () => {
  it('close_by and to: { role } must be in roles: (LVZ_DSL_UNKNOWN_ROLE, naming the declared ones)', () => {
    const r = compiled('to: { role: liaison }\nclose_by: [presidium, office_director]');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/ask/group/to/role', '步骤“ask”的 to: 引用的角色“liaison”未在 roles: 中声明：请把它加入 roles:，或改用已声明的角色之一：deputy、presidium'],
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/ask/group/close_by/1', '步骤“ask”的 close_by: 引用的角色“office_director”未在 roles: 中声明：请把它加入 roles:，或改用已声明的角色之一：deputy、presidium'],
    ]);
  });

  it('declared roles pass', () => {
    const r = compiled('to: { role: deputy }\nclose_by: [presidium]');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  });
});

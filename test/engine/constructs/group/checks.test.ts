// checks.test.ts: what the DSL checks say about a `group:` step as written (pure: no database). The
// positions of every code are in test/fixtures/dsl (bad-group.yaml, unknown-role-constructs.yaml); this
// file holds the messages.

import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../../engine/dsl/compile.ts';
import { modelCheck } from '../../../../engine/dsl/model-check.ts';
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

  it('its task keys role: and anonymous_to: are held to roles: as any task\'s', () => {
    const r = compiled('to: { orgs: { kind: unit } }\nrole: handling_unit\nanonymous_to: [public]');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path])).toEqual([
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/ask/group/role'],
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/ask/group/anonymous_to/0'],
    ]);
  });

  it('declared roles pass', () => {
    const r = compiled('to: { role: deputy }\nclose_by: [presidium]');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  });
});

describe('group: its answers are not in the record', () => {
  it('data.<step> with no such field is refused when compiling, pointing to tally.<step>', () => {
    const r = compileWorkflow(`id: fx-g\nversion: 1\ntitle: 群组\nroles: [deputy]\nrecord: bill\ninitial: ask\nstates:\n  ask:\n    group: { to: { role: deputy } }\n    on: { done: [{ when: "data.ask.size() > 0", to: closed }, { to: closed }] }\n  closed: { final: true }\n`, 'fx-g.yaml', { forms });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.code)).toEqual(['LVZ_DSL_UNKNOWN_FIELD']);
    expect(r.errors[0]!.message).toContain('“ask”是任务组，它的答复记在任务上、不写入表单：要读答复情况请用 tally.ask（total、open、done 及各选项的计数）');
  });

  it('lvzhi check finds data.<step> read where a record field shares the step\'s name (LVZ_DSL_GROUP_NOT_IN_DATA), not tally.<step>', () => {
    const text = `id: fx-g\nversion: 1\ntitle: 群组\nroles: [deputy]\nrecord: bill\ninitial: title\nstates:\n  title:\n    group: { to: { role: deputy } }\n    on: { done: [{ when: "tally.title.done > 0.0", to: closed }, { when: "data.title != ''", to: closed }, { to: closed }] }\n  closed: { final: true }\n`;
    const r = compileWorkflow(text, 'fx-g.yaml', { forms });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const found = modelCheck(r.workflow, { forms }).errors;
    expect(found.map((e) => [e.code, e.path, e.where?.line])).toEqual([['LVZ_DSL_GROUP_NOT_IN_DATA', '/states/title/on/done/1/when', 10]]);
    expect(found[0]!.message).toMatch(/^表达式“data.title != ''”读取 data.title，但群组步骤“title”的答复记在各成员的任务上，不写入表单.*请改用 tally.title/);
  });
});

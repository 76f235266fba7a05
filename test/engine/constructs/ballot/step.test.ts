// step.test.ts: `ballot:` in a workflow: compiled with its defaults, its expressions, its checks at
// their lines, and the core ballot a step makes (dsl fixtures hold the error positions; this the values).

import { describe, expect, it } from 'vitest';
import { coreBallot } from '../../../../engine/constructs/ballot/index.ts';
import { compileWorkflow } from '../../../../engine/dsl/compile.ts';
import { renderDiagram } from '../../../../engine/dsl/diagram.ts';
import { shippedForms } from '../../dsl/load-shipped.ts';

const forms = shippedForms();

function compiled(ballot: string, on = 'on: { closed: done }') {
  const text = `id: fx-b\nversion: 1\ntitle: 表决\nroles: [staff, leader]\nrecord: suggestion\ninitial: vote\nstates:\n  vote:\n    ballot:\n${ballot.split('\n').map((l) => `      ${l}`).join('\n')}\n    ${on}\n  done: { final: true }\n`;
  return compileWorkflow(text, 'fx-b.yaml', { forms });
}

describe('ballot: in a workflow', () => {
  it('fills the defaults: secret, results at close; a score range 0–100 by 1', () => {
    const r = compiled('id: score\nkind: score\nelectorate: { role: staff }\nquorum: none\npass: none\nchair: [leader]');
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const b = r.workflow.def.states.vote!.ballot!;
    expect(b).toMatchObject({ id: 'score', kind: 'score', secret: true, results: 'at_close', electorate: { role: 'staff' }, chair: ['leader'] });
    expect(coreBallot(b, 'row-id', 33)).toEqual({ id: 'row-id', kind: 'score', secret: true, members: 33, quorum: 'none', pass: 'none', min: 0, max: 100, step: 1 });
  });

  it('compiles its expressions (items, item_title over item, a district) and reads closes.after', () => {
    const r = compiled("id: roster\nkind: rating\nscale: [满意, 基本满意, 不满意]\nelectorate: { role: staff, district: data.title }\nquorum: none\npass: none\nchair: [leader]\nitems: \"['甲', '乙']\"\nitem_title: \"item + '履职情况'\"\ncloses: { after: 30 minutes }");
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const b = r.workflow.def.states.vote!.ballot!;
    expect(b.closes?.after).toMatchObject({ amount: 30, unit: 'minutes' });
    for (const src of ["['甲', '乙']", "item + '履职情况'", 'data.title']) expect(r.workflow.exprs.has(src)).toBe(true);
  });

  it('refuses an unknown key (schema) and a key of another kind (check), each at its line', () => {
    const r = compiled('id: v\nkind: for_against\nscale: [好, 差]\nelectorate: { group: g }\nquorum: none\npass: none\nchair: [leader]\ncolour: red');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.code} ${e.where?.line}`).sort()).toEqual(['LVZ_BALLOT_BAD_DEFINITION 12', 'LVZ_DSL_SCHEMA 17']);
  });

  it('a step whose ballot closes nowhere', () => {
    const r = compiled('id: v\nkind: for_against\nelectorate: { group: g }\nquorum: none\npass: none\nchair: [leader]', 'on: { other: done }');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.message])).toContainEqual(['LVZ_BALLOT_BAD_DEFINITION', expect.stringMatching(/没有 on: closed/)]);
  });

  it('lets a guard read its result in data.<id> (passed or not), and an unknown data name is still refused', () => {
    const ok = compiled('id: verdict\nkind: for_against\nelectorate: { role: staff }\nquorum: none\npass: majority_of_present\nchair: [leader]', 'on: { closed: [{ when: "data.verdict.passed == true", to: done }, { to: done }] }');
    if (!ok.ok) throw new Error(ok.errors.map((e) => e.message).join('\n'));
    const bad = compiled('id: verdict\nkind: for_against\nelectorate: { role: staff }\nquorum: none\npass: majority_of_present\nchair: [leader]', 'on: { closed: [{ when: "data.verdikt.passed == true", to: done }, { to: done }] }');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.code)).toEqual(['LVZ_DSL_UNKNOWN_FIELD']);
  });

  it('draws its closed arrow as 表决结束, not as a deadline’s 超期', () => {
    const r = compiled('id: v\nkind: for_against\nelectorate: { role: staff }\nquorum: none\npass: none\nchair: [leader]');
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const svg = renderDiagram(r.workflow.def);
    expect(svg).toContain('表决结束');
    expect(svg).not.toContain('超期');
  });
});

describe('ballot: the roles it names', () => {
  it('its chair and its electorate role must be in roles: (LVZ_DSL_UNKNOWN_ROLE at each, in file order, saying what to do)', () => {
    const r = compiled('id: v\nkind: for_against\nelectorate: { role: chair }\nquorum: none\npass: none\nchair: [leader, director]');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/vote/ballot/electorate/role', '表决“v”的 electorate: 引用的角色“chair”未在 roles: 中声明：请把它加入 roles:，或改用已声明的角色之一：staff、leader'],
      ['LVZ_DSL_UNKNOWN_ROLE', '/states/vote/ballot/chair/1', '表决“v”的 chair: 引用的角色“director”未在 roles: 中声明：请把它加入 roles:，或改用已声明的角色之一：staff、leader'],
    ]);
    expect(r.errors.map((e) => `${e.where?.line}:${e.where?.col}`)).toEqual(['12:21', '15:23']);
  });
});

describe('ballot: its id in the record', () => {
  const vote = (id: string) => `ballot:\n      id: ${id}\n      kind: for_against\n      electorate: { role: staff }\n      quorum: none\n      pass: none\n      chair: [leader]`;
  const workflow = (states: string) => `id: fx-ids\nversion: 1\ntitle: 表决\nroles: [staff, leader]\nrecord: suggestion\ninitial: one\nstates:\n${states}  done: { final: true }\n`;

  it('a record field, or an id an earlier ballot has, is refused at the id (LVZ_DSL_BALLOT_ID_TAKEN), saying what it would overwrite', () => {
    const r = compileWorkflow(workflow(`  one:\n    ${vote('verdict')}\n    on: { closed: two }\n  two:\n    ${vote('verdict')}\n    on: { closed: three }\n  three:\n    ${vote('reply')}\n    on: { closed: done }\n`), 'fx-ids.yaml', { forms });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['LVZ_DSL_BALLOT_ID_TAKEN', '/states/two/ballot/id', '步骤“two”的表决 id“verdict”已被占用：表决结果记在 data.verdict，会与步骤“one”的表决结果互相覆盖；请给表决另起一个本流程中未用过的 id，例如 verdict_two'],
      ['LVZ_DSL_BALLOT_ID_TAKEN', '/states/three/ballot/id', '步骤“three”的表决 id“reply”已被占用：表决结果记在 data.reply，会与记录表单的字段“reply”互相覆盖；请给表决另起一个本流程中未用过的 id，例如 reply_three'],
    ]);
  });

  it('distinct ids of its own pass', () => {
    const r = compileWorkflow(workflow(`  one:\n    ${vote('first_vote')}\n    on: { closed: two }\n  two:\n    ${vote('second_vote')}\n    on: { closed: done }\n`), 'fx-ids.yaml', { forms });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  });
});

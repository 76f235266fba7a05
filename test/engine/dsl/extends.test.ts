// extends.test.ts: district customisation: each kind of override gives the right effective definition, errors
// point at the file that wrote the broken part, and a new city version that breaks an override says so.
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../engine/dsl/compile.ts';
import { diffFromParent } from '../../../engine/dsl/diff.ts';
import { checkOverrides, effectiveText, parentIndex, parseExtends, type ParentText } from '../../../engine/dsl/extends.ts';
import { parseSource } from '../../../engine/yaml/source.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import type { LvzError } from '../../../engine/errors.ts';
import { compileForm } from '../../../engine/forms/compile.ts';
import { read, shippedForms } from './load-shipped.ts';

const forms = shippedForms();
// A district's own record form: the city's with another id (a swapped form must exist and have the fields).
const zdForm = compileForm(read('forms/suggestion.yaml').replace(/^id: suggestion$/m, 'id: zd-review-sheet'), 'forms/zd-review-sheet.yaml');
if (!zdForm.ok) throw new Error('zd form');
forms.set('zd-review-sheet', zdForm.form);

const CITY: ParentText = { file: 'workflows/suggestion.yaml', text: read('workflows/suggestion.yaml') };
const DISTRICT = 'workflows/districts/zhangdian-suggestion.yaml';
const parents = parentIndex([CITY, { file: DISTRICT, text: read(DISTRICT) }]);

/** A district file: a header, then the given body (so line 6 is the body's first line). */
const district = (body: string, head = 'extends: suggestion'): string =>
  `id: zd-test\nversion: 1\n${head}\nowner: zhangdian\ntitle: 测试\n${body}`;

function compile(text: string, file = 'workflows/districts/zd-test.yaml', ps = parents): CompiledWorkflow {
  const r = compileWorkflow(text, file, { forms, parents: ps });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.workflow;
}

function errorsOf(text: string, file = 'workflows/districts/zd-test.yaml', ps = parents): string[] {
  const r = compileWorkflow(text, file, { forms, parents: ps });
  return r.ok ? [] : r.errors.map((e: LvzError) => `${e.code} ${e.where?.file}:${e.where?.line}:${e.where?.col}`);
}

describe('the shipped 张店区 definition', () => {
  const { def } = compile(read(DISTRICT), DISTRICT);

  it('changes the two deadlines and a label, and inherits the rest', () => {
    expect(def).toMatchObject({ id: 'zhangdian-suggestion', owner: 'zhangdian', extends: 'suggestion', parent: { id: 'suggestion', version: 1 }, title: '张店区代表建议办理' });
    expect(def.states.review!.deadline).toMatchObject({ after: [{ duration: { amount: 5, unit: 'working_days' } }], remind: [{ text: '2 working days' }] });
    expect(def.states.review!.on.accept).toEqual([{ to: 'handle', label: '交办承办单位', path: '/states/review/on/accept' }]);
    expect(def.states.review!.tasks[0]!.outcomes).toEqual([{ id: 'accept', label: '交办承办单位' }]);
    expect(def.states.handle!.deadline!.after.map((c) => c.duration.text)).toEqual(['6 months', '2 months']);
    expect(def.states.handle!.deadline!.remind.map((r) => r.text)).toEqual(['10 working days']);
    expect(def.states.handle!.title).toBe('承办单位办理答复');
    expect(def.states.handle!.tasks.map((g) => g.id)).toEqual(['lead', 'cohandle']);
    expect(Object.keys(def.states)).toEqual(['draft', 'review', 'handle', 'evaluate', 'closed']);
  });

  it('lists its differences from the city\'s', () => {
    const city = compile(CITY.text, CITY.file);
    const zd = compile(read(DISTRICT), DISTRICT);
    expect(diffFromParent(zd.source.value, city.source.value)).toEqual([
      { path: '/title', kind: 'changed', from: '代表建议办理', to: '张店区代表建议办理' },
      { path: '/number', kind: 'changed', from: '建议 第{year}{seq:3}号', to: '张店区建议 第{year}{seq:3}号' },
      { path: '/states/review/deadline/after', kind: 'changed', from: '7 working days', to: '5 working days' },
      { path: '/states/review/on/accept/label', kind: 'changed', from: '交办', to: '交办承办单位' },
      { path: '/states/handle/title', kind: 'changed', from: '承办答复', to: '承办单位办理答复' },
      { path: '/states/handle/deadline/after/1/after', kind: 'changed', from: '3 months', to: '2 months' },
    ]);
    expect(diffFromParent(city.source.value, city.source.value)).toEqual([]);
  });

  it('points inherited parts at the city\'s file and overridden parts at the district\'s', () => {
    const { source } = compile(read(DISTRICT), DISTRICT);
    expect(source.at('/states/review/deadline/after')).toMatchObject({ file: DISTRICT, line: 13 });
    expect(source.at('/states/review/deadline/remind/0')).toMatchObject({ file: CITY.file });
    expect(source.at('/states/evaluate')).toMatchObject({ file: CITY.file, line: 71 });
    expect(source.at('/states/handle/tasks/1/for_each')).toMatchObject({ file: CITY.file });
  });
});

describe('each kind of override', () => {
  it('never inherits the number format: a district numbers its own cases', () => {
    expect(compile(read(DISTRICT), DISTRICT).def.number).toBe('张店区建议 第{year}{seq:3}号');
    expect(compile(district('states: {}\n')).def.number).toBeUndefined(); // the default {year}-{seq:4}, not the city's
  });

  it('a step added, with a transition redirected to it', () => {
    const { def } = compile(district(`states:
  review:
    on:
      accept: { to: zd_check }
  zd_check:
    title: 区人大复核
    task: { role: review_office, fields: { read: [title, content] } }
    on: { submit: handle }
`));
    expect(def.states.review!.on.accept).toMatchObject([{ to: 'zd_check', label: '交办' }]);
    expect(def.states.zd_check).toMatchObject({ title: '区人大复核', tasks: [{ id: 'main', role: 'review_office' }] });
    expect(def.states.zd_check!.on.submit!.map((t) => t.to)).toEqual(['handle']);
  });

  it('a step removed (null or remove:) with the transitions into it redirected', () => {
    for (const body of [
      'states:\n  evaluate: null\n  handle:\n    on: { done: closed }\n',
      'remove: [evaluate]\nstates:\n  handle:\n    on: { done: closed }\n',
    ]) {
      const { def } = compile(district(body));
      expect(Object.keys(def.states)).toEqual(['draft', 'review', 'handle', 'closed']);
      expect(def.states.handle!.on.done!.map((t) => t.to)).toEqual(['closed']);
    }
  });

  it('a step removed without redirecting: the usual unknown-state error, at the city\'s line that still targets it', () => {
    // handle's `done: evaluate` (city line 69) now names nothing, and so closed can no longer be reached.
    expect(errorsOf(district('states:\n  evaluate: null\n'))).toEqual([
      'LVZ_DSL_UNKNOWN_STATE workflows/suggestion.yaml:69:7',
      'LVZ_DSL_UNREACHABLE_STATE workflows/suggestion.yaml:84:3',
    ]);
    const r = compileWorkflow(district('states:\n  evaluate: null\n'), 'workflows/districts/zd-test.yaml', { forms, parents });
    expect(!r.ok && r.errors[0]!.message).toMatch(/（此处继承自 workflows\/suggestion.yaml：如需修改，请在 workflows\/districts\/zd-test.yaml 中覆盖这一部分）/);
  });

  it('a form swapped, and one task group of several changed by id', () => {
    const { def } = compile(district(`states:
  review:
    task: { form: zd-review-sheet, opinion: optional }
  handle:
    tasks:
      cohandle: { deadline: { after: 20 working days } }
`));
    expect(def.states.review!.tasks[0]).toMatchObject({ form: 'zd-review-sheet', opinion: 'optional', role: 'review_office' });
    expect(def.states.handle!.tasks[1]).toMatchObject({ id: 'cohandle', for_each: 'data.co_units', deadline: { after: [{ duration: { amount: 20 } }], remind: [{ amount: 5 }] } });
  });

  it('null removes a key; lists are replaced whole', () => {
    const { def } = compile(district(`starters: [deputy, review_office]
states:
  review:
    task: { actions: [remind], return_to: null }
    deadline: { remind: null }
`));
    expect(def.starters).toEqual(['deputy', 'review_office']);
    expect(def.states.review!.tasks[0]).toMatchObject({ actions: ['remind'], return_to: [] });
    expect(def.states.review!.deadline!.remind).toEqual([]);
  });
});

describe('errors and their places', () => {
  it('an error in the district\'s part is reported at the district\'s line', () => {
    expect(errorsOf(district('states:\n  review:\n    deadline: { after: 5 fortnights }\n'))).toEqual(['LVZ_DSL_BAD_DURATION workflows/districts/zd-test.yaml:8:17']);
    expect(errorsOf(district('states:\n  review:\n    deadlin: { after: 5 days }\n'))).toEqual(['LVZ_DSL_SCHEMA workflows/districts/zd-test.yaml:8:5']);
    expect(errorsOf(district('states:\n  review:\n    task: { role: mayor }\n'))).toEqual(['LVZ_DSL_UNKNOWN_ROLE workflows/districts/zd-test.yaml:8:13']);
  });

  it('an error in an inherited part is reported at the city\'s line', () => {
    const brokenCity = CITY.text.replace('remind: [10 working days]', 'remind: [10 fortnights]');
    const ps = parentIndex([{ file: CITY.file, text: brokenCity }]);
    expect(errorsOf(district('states:\n  review:\n    deadline: { after: 5 working days }\n'), undefined, ps)).toEqual(['LVZ_DSL_BAD_DURATION workflows/suggestion.yaml:67:16']);
  });

  it('an unknown parent, a pinned version that does not exist, and extending oneself', () => {
    expect(errorsOf(district('states: {}\n', 'extends: nosuch'))).toEqual(['LVZ_DSL_UNKNOWN_PARENT workflows/districts/zd-test.yaml:3:1']);
    expect(errorsOf(district('states: {}\n', 'extends: suggestion@9'))).toEqual(['LVZ_DSL_UNKNOWN_PARENT workflows/districts/zd-test.yaml:3:1']);
    expect(errorsOf('id: suggestion\nversion: 2\nextends: suggestion\n')).toEqual(['LVZ_DSL_UNKNOWN_PARENT workflows/districts/zd-test.yaml:3:1']);
    expect(errorsOf(district('states: {}\n'), undefined, new Map())).toEqual(['LVZ_DSL_UNKNOWN_PARENT workflows/districts/zd-test.yaml:3:1']);
    expect(parseExtends('suggestion@1')).toEqual({ id: 'suggestion', version: 1 });
    expect(compile(district('states: {}\n', 'extends: suggestion@1')).def.parent).toEqual({ id: 'suggestion', version: 1 });
  });

  it('a town may extend the district\'s definition', () => {
    const { def } = compile('id: chezhan-suggestion\nversion: 1\nextends: zhangdian-suggestion\nstates:\n  review:\n    title: 街道审查\n');
    expect(def.parent).toEqual({ id: 'zhangdian-suggestion', version: 1 });
    expect(def.states.review).toMatchObject({ title: '街道审查', deadline: { after: [{ duration: { amount: 5 } }] } });
  });
});

describe('a new city version against the district\'s overrides', () => {
  const zd = parseSource(read(DISTRICT), DISTRICT).source;
  const v1 = parseSource(CITY.text, CITY.file).source;
  // Version 2 of the city's: review is renamed examine, the co-handling group is dropped.
  const v2Text = CITY.text.replace('version: 1', 'version: 2').replace(/\breview\b/g, 'examine').replace(/      - id: cohandle[\s\S]*?remind: \[5 working days\] \}\n/, '');
  const v2 = parseSource(v2Text, 'workflows/suggestion.v2.yaml').source;

  it('still applies to the version it was written for', () => {
    expect(checkOverrides(zd, v1)).toEqual([]);
  });

  it('conflicts where the new version dropped what the district overrides, at the district\'s lines', () => {
    const found = (errs: LvzError[]): string[] => errs.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`);
    expect(found(checkOverrides(zd, v2))).toEqual(['LVZ_DSL_OVERRIDE_CONFLICT 12:3']);
    expect(found(checkOverrides(zd, v2, v1))).toEqual(['LVZ_DSL_OVERRIDE_CONFLICT 12:3']);
    const groupOverride = parseSource(district('states:\n  handle:\n    tasks:\n      cohandle: { deadline: { after: 20 days } }\n'), 'zd.yaml').source;
    expect(found(checkOverrides(groupOverride, v2))).toEqual(['LVZ_DSL_OVERRIDE_CONFLICT 9:7']);
    expect(checkOverrides(groupOverride, v2)[0]!.message).toMatch(/要覆盖的任务组“cohandle”.*已不存在：请改用已有任务组之一：lead/);
  });

  it('compiling against the new version reports the conflict too', () => {
    const ps = parentIndex([{ file: 'workflows/suggestion.v2.yaml', text: v2Text }]);
    expect(errorsOf(read(DISTRICT), DISTRICT, ps)).toEqual([`LVZ_DSL_OVERRIDE_CONFLICT ${DISTRICT}:12:3`]);
  });
});

describe('effectiveText', () => {
  it('writes the merged definition as YAML that compiles alone, to the same definition', () => {
    const zd = compile(read(DISTRICT), DISTRICT);
    const text = effectiveText(zd.source, zd.def.parent);
    expect(text).toMatch(/^# effective definition: suggestion@1 with the overrides of workflows\/districts\/zhangdian-suggestion.yaml\n/);
    const alone = compile(text, 'definitions:zhangdian-suggestion@1', new Map());
    const strip = (v: unknown): string => JSON.stringify(v, (k, x) => (k === 'path' || k === 'extends' || k === 'parent' ? undefined : x));
    expect(strip(alone.def)).toBe(strip(zd.def));
  });
});

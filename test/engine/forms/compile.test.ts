// compile.test.ts: every form fixture against its `# expect:` lines, the shipped forms, and normalisation.
//
// A fixture opens with `# expect: ok` or one `# expect: CODE line:col` per error, in file order.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../../../engine/forms/compile.ts';
import { CODES } from '../../../engine/errors.ts';
import { ROOT, compile } from './helpers.ts';

const FIXTURES = 'test/fixtures/forms';
const fixtures = fs.readdirSync(path.join(ROOT, FIXTURES)).filter((f) => f.endsWith('.yaml')).sort();
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

function expected(text: string): string[] {
  const lines = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!.trim());
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

function actual(file: string): string[] {
  const r = compileForm(read(file), file);
  return r.ok ? [] : r.errors.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`);
}

describe('form fixtures', () => {
  it.each(fixtures)('%s', (name) => {
    const file = `${FIXTURES}/${name}`;
    const text = read(file);
    expect(text.startsWith('# expect: '), `${file} must open with an # expect: line`).toBe(true);
    expect(actual(file)).toEqual(expected(text));
  });

  it('every definition-time LVZ_FORM_* code and LVZ_EXPR_SYNTAX has a fixture', () => {
    const produced = new Set(fixtures.flatMap((f) => expected(read(`${FIXTURES}/${f}`)).map((e) => e.split(' ')[0])));
    const runtimeOnly = ['LVZ_FORM_INVALID', 'LVZ_FORM_UPLOAD_TOO_LARGE', 'LVZ_FORM_UPLOAD_TYPE', 'LVZ_FORM_UPLOAD_NAME', 'LVZ_FORM_UPLOAD_QUOTA', 'LVZ_FORM_UPLOAD_DAILY'];
    const codes = Object.keys(CODES).filter((c) => (c.startsWith('LVZ_FORM_') && !runtimeOnly.includes(c)) || c === 'LVZ_EXPR_SYNTAX');
    expect(codes.filter((c) => !produced.has(c))).toEqual([]);
  });
});

describe('compileForm messages', () => {
  const messages = (file: string) => {
    const r = compileForm(read(`${FIXTURES}/${file}`), file);
    return r.ok ? [] : r.errors.map((e) => e.format());
  };
  it('says where and what to do', () => {
    expect(messages('unknown-key.yaml')).toContain('unknown-key.yaml:14:5: LVZ_FORM_SCHEMA 字段“title”：未知的键“max_lenght”：请删除它或改正拼写（是否想写“max_length”？）');
    expect(messages('duplicate-field.yaml')[0]).toBe('duplicate-field.yaml:9:7: LVZ_FORM_DUPLICATE_FIELD 字段名“title”用了两次（第一次在第 8 行）：请给其中一个改名');
    expect(messages('unknown-field.yaml')[0]).toContain('visible_when 引用的 data.iskey 不是本表单的字段');
    expect(messages('bad-pattern.yaml')[0]).toContain('不是有效的正则表达式');
    expect(messages('wrong-values.yaml')).toContain('wrong-values.yaml:22:18: LVZ_FORM_SCHEMA 字段“pick” → options[1]：1 在这里无效：选项请写成纯文本（如 是），或写成 { value: ..., label: ... }');
  });
  it('errors carry a JSON pointer path', () => {
    const r = compileForm(read(`${FIXTURES}/per-type-keys.yaml`), 'p.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('/fields/0/max_length');
  });
});

describe('shipped forms', () => {
  it.each(['forms/suggestion.yaml', 'forms/bill.yaml'])('%s compiles and names the schema', (file) => {
    const text = read(file);
    expect(text.startsWith('# yaml-language-server: $schema=../schema/form.schema.json\n')).toBe(true);
    const r = compileForm(text, file);
    expect(r.ok ? [] : r.errors.map((e) => e.format())).toEqual([]);
  });
  it('suggestion has the shared field names', () => {
    const form = compile(read('forms/suggestion.yaml'));
    expect(form.def.fields.map((f) => f.name)).toEqual([
      'title', 'category', 'content', 'attachments', 'lead_unit', 'co_units', 'is_complex', 'is_key', 'supervisor',
      'reply', 'grade', 'reply_files', 'co_opinion', 'eval_attitude', 'eval_method', 'eval_effect', 'eval_overall', 'eval_comment',
    ]);
    expect(form.visible.get('supervisor')?.source).toBe("data.is_key == '是'");
  });
  it('bill has the shared field names', () => {
    const form = compile(read('forms/bill.yaml'));
    expect(form.def.fields.map((f) => f.name)).toEqual([
      'title', 'content', 'attachments', 'cosigners', 'presidium_decision', 'presidium_note', 'committee', 'review_report', 'review_result',
    ]);
  });
});

describe('normalisation', () => {
  it('options become {value, label}, required defaults to false, paths are kept', () => {
    const form = compile(`id: n\nversion: 1\ntitle: t\nfields:\n  - { name: a, type: radios, label: A, options: [是, { value: n, label: 否 }] }\n  - name: g\n    type: group\n    label: G\n    fields: [{ name: s, type: text, label: S, required: true }]\n`);
    const a = form.byName.get('a')!;
    expect(a.options).toEqual([{ value: '是', label: '是' }, { value: 'n', label: '否' }]);
    expect(a.required).toBe(false);
    expect(a.path).toBe('/fields/0');
    expect(form.byName.get('g')!.fields![0]).toMatchObject({ name: 's', required: true, path: '/fields/1/fields/0' });
  });
});

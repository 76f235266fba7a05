// partials.test.ts: every field type has its partial, every partial compiles, the error summary links in field order.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../../engine/forms/types.ts';
import { fieldTypes } from '../../../engine/forms/fields/index.ts';
import { buildFormModel } from '../../../engine/forms/model.ts';
import { validateInput } from '../../../engine/forms/validate.ts';
import { PARTIALS, access, compile, dir, partialFiles, renderForm } from './helpers.ts';

describe('partials', () => {
  it.each(FIELD_TYPES)('field type %s has a FieldType and templates/partials/fields/%s.hbs', (type) => {
    expect(fieldTypes[type]?.name).toBe(type);
    expect(fieldTypes[type].partial).toBe(`fields/${type}`);
    expect(fs.existsSync(path.join(PARTIALS, `${fieldTypes[type].partial}.hbs`))).toBe(true);
  });
  it.each(['label', 'hint', 'error-message', 'fieldset', 'error-summary', 'character-count'])('form/%s exists', (name) => {
    expect(fs.existsSync(path.join(PARTIALS, 'form', `${name}.hbs`))).toBe(true);
  });
  it('partials output only escaped {{ }}', () => {
    for (const file of partialFiles().filter((f) => f.includes('/form/') || f.includes('/fields/'))) {
      expect(fs.readFileSync(file, 'utf8'), file).not.toMatch(/\{\{\{|\{\{&/);
    }
  });
});

describe('error summary', () => {
  const form = compile(`id: s
version: 1
title: 测试
fields:
  - { name: title, type: text, label: 标题, required: true }
  - { name: attitude, type: radios, label: 办理态度, required: true, options: [好, 较好, 差] }
  - name: items
    type: group
    label: 附议代表
    fields: [{ name: name, type: text, label: 姓名, required: true }]
`);
  const edit = access(['title', 'attitude', 'items']);
  const raw = { title: '', 'items[0][name]': '   ' };
  const { errors } = validateInput(form, raw, edit, {}, dir);

  it('lists every error in field order and links to the field ids', () => {
    const html = renderForm(buildFormModel(form, {}, edit, errors, dir, raw));
    expect(html.indexOf('lz-error-summary')).toBeLessThan(html.indexOf('lz-field'));
    expect(html).toContain('<div role="alert">');
    expect(html).toContain('<h2 class="lz-error-summary__title">提交的内容有误</h2>');
    const links = [...html.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([['f-title', '请输入标题'], ['f-attitude', '请选择办理态度']]);
    expect(html).toContain('id="f-title" name="title"');
    expect(html).toContain('id="f-attitude" name="attitude" type="radio" value="好"');
  });
  it('a group row error links to the row\'s input', () => {
    const bad = [{ id: 'f-items-0-name', name: 'items', message: '附议代表第1项：请输入姓名' }];
    const html = renderForm(buildFormModel(form, {}, edit, bad, dir, { 'items[0][name]': '' }));
    expect(html).toContain('<a href="#f-items-0-name">附议代表第1项：请输入姓名</a>');
    expect(html).toContain('id="f-items-0-name" name="items[0][name]"');
    expect(html).toContain('<span class="lz-visually-hidden">错误：</span>附议代表第1项：请输入姓名');
  });
  it('nothing when there are no errors', () => {
    expect(renderForm(buildFormModel(form, {}, edit, [], dir))).not.toContain('lz-error-summary');
  });
});

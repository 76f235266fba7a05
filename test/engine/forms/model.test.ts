// model.test.ts: edit/read/hidden per step, the 422 re-render keeps what was typed, print view, add-a-row.
import { describe, expect, it } from 'vitest';
import { buildFormModel, printModel } from '../../../engine/forms/model.ts';
import { validateInput } from '../../../engine/forms/validate.ts';
import { access, compile, dir, renderForm } from './helpers.ts';

const form = compile(`id: m
version: 1
title: 测试
fields:
  - { name: title, type: text, label: 标题, required: true, hint: 不超过100个字, max_length: 100 }
  - { name: content, type: textarea, label: 建议内容, required: true, max_length: 50 }
  - { name: is_key, type: radios, label: 是否重点建议, options: [是, 否] }
  - { name: supervisor, type: person, label: 督办领导, filter: { role: leader }, visible_when: "data.is_key == '是'" }
  - { name: grade, type: radios, label: 办理结果, options: [{ value: A, label: A类 }, { value: B, label: B类 }] }
  - { name: secret, type: text, label: 内部意见 }
  - { name: files, type: file, label: 附件, max_files: 2 }
  - name: items
    type: group
    label: 附议代表
    fields: [{ name: name, type: text, label: 姓名 }]
`);

describe('buildFormModel', () => {
  it('editable fields are inputs, read fields readonly with display, others absent', () => {
    const m = buildFormModel(form, { title: '标题', grade: 'A', secret: '不给你看' }, access(['title', 'content'], ['grade']), [], dir);
    expect(m.fields.map((f) => [f.name, f.readonly])).toEqual([['title', false], ['content', false], ['grade', true]]);
    expect(m.fields[2]!.display).toBe('A类');
    expect(JSON.stringify(m)).not.toContain('不给你看');
    expect(m.hasFile).toBe(false);
  });
  it("a step's form: read-only fields it lists always, others only once they hold a value; without listed, all", () => {
    const read = new Set(['content', 'grade', 'files', 'items']);
    const data = { title: '标题', grade: 'A', files: [], items: [] };
    const step = buildFormModel(form, data, { edit: new Set(['title']), read, listed: new Set(['content']) }, [], dir);
    expect(step.fields.map((f) => [f.name, f.readonly])).toEqual([['title', false], ['content', true], ['grade', true]]);
    expect(step.fields[1]!.display).toBe('未填写');
    const record = buildFormModel(form, data, { edit: new Set(['title']), read }, [], dir);
    expect(record.fields.map((f) => f.name)).toEqual(['title', 'content', 'grade', 'files', 'items']);
  });
  it('ids, hint and error ids, aria-describedby', () => {
    const errors = [{ id: 'f-title', name: 'title', message: '请输入标题' }];
    const title = buildFormModel(form, {}, access(['title']), errors, dir).fields[0]!;
    expect(title).toMatchObject({ id: 'f-title', name: 'title', partial: 'fields/text', hintId: 'f-title-hint', errorId: 'f-title-error', describedBy: 'f-title-hint f-title-error', error: '请输入标题', required: true });
  });
  it('a 422 re-render shows what the user typed, not what is stored', () => {
    const raw = { title: '<script>alert(1)</script>', content: '新内容', 'items[0][name]': '张三' };
    const { errors } = validateInput(form, raw, access(['title', 'content', 'items']), {}, dir);
    const m = buildFormModel(form, { title: '旧标题' }, access(['title', 'content', 'items']), errors, dir, raw);
    expect(m.fields[0]!.value).toBe('<script>alert(1)</script>');
    expect(m.fields[1]!.value).toBe('新内容');
    expect(m.fields[2]!.groupRows![0]!.fields[0]!.value).toBe('张三');
    const html = renderForm(m);
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
  });
  it('editable conditional fields are rendered with visibleWhen; readable hidden ones are left out', () => {
    const edit = buildFormModel(form, { is_key: '否' }, access(['is_key', 'supervisor']), [], dir);
    expect(edit.fields[1]).toMatchObject({ name: 'supervisor', visibleWhen: "data.is_key == '是'", isVisible: false });
    const html = renderForm(edit);
    expect(html).toContain(`data-visible-when="data.is_key &#x3D;&#x3D; &#x27;是&#x27;" data-visible="false"`);
    const read = buildFormModel(form, { is_key: '否', supervisor: 'zhao' }, access([], ['is_key', 'supervisor']), [], dir);
    expect(read.fields.map((f) => f.name)).toEqual(['is_key']);
    const shown = buildFormModel(form, { is_key: '是', supervisor: 'zhao' }, access([], ['is_key', 'supervisor']), [], dir);
    expect(shown.fields[1]!.display).toBe('赵主任');
  });
  it('an editable group shows one blank row, and one more after 添加一项', () => {
    const m = buildFormModel(form, {}, access(['items']), [], dir);
    expect(m.fields[0]!.groupRows).toHaveLength(1);
    const raw = { 'items[0][name]': '张三', _add_items: '1' };
    const more = buildFormModel(form, {}, access(['items']), [], dir, raw);
    expect(more.fields[0]!.groupRows!.map((r) => r.fields[0]!.value)).toEqual(['张三', '']);
  });
  it('hasFile when a file field is editable', () => {
    expect(buildFormModel(form, {}, access(['files']), [], dir).hasFile).toBe(true);
  });
});

describe('printModel', () => {
  it('everything visible, read only, with display text and file links', () => {
    const m = printModel(form, { title: '标题', content: '第一行\n第二行', is_key: '否', supervisor: 'zhao', files: [{ id: 'f1', name: 'a.pdf', size: 3 }], items: [{ name: '张三' }] }, dir);
    expect(m.fields.every((f) => f.readonly)).toBe(true);
    expect(m.fields.map((f) => f.name)).not.toContain('supervisor');
    const html = renderForm(m);
    expect(html).toContain('<dt class="lz-readonly__key">建议内容</dt>');
    expect(html).toContain('<a href="/files/f1">a.pdf</a>');
    expect(html).toContain('<dd class="lz-readonly__value">未填写</dd>');
    expect(html).not.toContain('<input');
  });
});

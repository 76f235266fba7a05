// validate.test.ts: only editable fields are read, hidden ones dropped, groups from flat keys, errors in field order.
import { describe, expect, it } from 'vitest';
import { validateField, validateInput } from '../../../engine/forms/validate.ts';
import { access, compile, dir } from './helpers.ts';

const form = compile(`id: t
version: 1
title: 测试
fields:
  - { name: title, type: text, label: 标题, required: true, max_length: 100 }
  - { name: is_key, type: radios, label: 是否重点建议, options: [是, 否], required: true }
  - { name: supervisor, type: person, label: 督办领导, filter: { role: leader }, required: true, visible_when: "data.is_key == '是'" }
  - { name: lead_unit, type: org, label: 主办单位, filter: { kind: unit } }
  - { name: attachments, type: file, label: 附件, max_files: 3 }
  - name: items
    type: group
    label: 附议代表
    fields:
      - { name: name, type: text, label: 姓名, required: true }
      - { name: phone, type: text, label: 电话, pattern: "1\\\\d{10}", pattern_message: 请输入11位手机号码 }
  - { name: grade, type: radios, label: 办理结果, options: [A, B] }
`);
const all = access(['title', 'is_key', 'supervisor', 'lead_unit', 'attachments', 'items']);

describe('validateInput', () => {
  it('returns parsed values and no errors for good input', () => {
    const r = validateInput(form, { title: ' 标题 ', is_key: '是', supervisor: 'zhao', lead_unit: 'city-fgw', 'items[0][name]': '王五' }, all, {}, dir);
    expect(r.errors).toEqual([]);
    expect(r.data).toEqual({ title: '标题', is_key: '是', supervisor: 'zhao', lead_unit: 'city-fgw', attachments: undefined, items: [{ name: '王五' }] });
  });
  it('reports errors in field order with f-<name> ids', () => {
    const r = validateInput(form, { is_key: '是' }, all, {}, dir);
    expect(r.errors).toEqual([
      { id: 'f-title', name: 'title', message: '请输入标题' },
      { id: 'f-supervisor', name: 'supervisor', message: '请选择督办领导' },
    ]);
  });
  it('a forged extra field cannot write: only access.edit is read', () => {
    const r = validateInput(form, { title: '标题', is_key: '否', grade: 'A', evil: 'x', __proto__: { x: 1 } }, access(['title', 'is_key']), {}, dir);
    expect(r.data).toEqual({ title: '标题', is_key: '否' });
    expect(Object.keys(r.data)).not.toContain('grade');
  });
  it('a hidden field is not validated and its value is dropped', () => {
    const r = validateInput(form, { title: '标题', is_key: '否', supervisor: 'forged' }, all, {}, dir);
    expect(r.errors).toEqual([]);
    expect(Object.hasOwn(r.data, 'supervisor')).toBe(true);
    expect(r.data.supervisor).toBeUndefined();
  });
  it('a stored value is dropped when its condition stops holding, even if this step cannot edit it', () => {
    const r = validateInput(form, { is_key: '否' }, access(['is_key']), { is_key: '是', supervisor: 'zhao' }, dir);
    expect(r.data).toEqual({ is_key: '否', supervisor: undefined });
  });
  it('visible_when sees the stored record merged with this submit', () => {
    const r = validateInput(form, { supervisor: 'zhao' }, access(['supervisor']), { is_key: '是' }, dir);
    expect(r.data).toEqual({ supervisor: 'zhao' });
    expect(validateInput(form, {}, access(['supervisor']), { is_key: '是' }, dir).errors[0]?.message).toBe('请选择督办领导');
  });
  it('a forged directory id is refused', () => {
    const r = validateInput(form, { title: 't', is_key: '是', supervisor: 'wang', lead_unit: 'nowhere' }, all, {}, dir);
    expect(r.errors.map((e) => e.message)).toEqual(['督办领导不在可选范围内，请重新选择', '主办单位不在可选范围内，请重新选择']);
  });
  it('groups from flat keys, ordered by index, with removed rows dropped and row errors by id', () => {
    const raw = {
      title: 't', is_key: '否',
      'items[1][name]': '李四', 'items[1][phone]': '123',
      'items[0][name]': '张三',
      'items[2][name]': '王五', 'items[2][_remove]': '1',
      'items[3][phone]': '13800000000',
    };
    const r = validateInput(form, raw, all, {}, dir);
    expect(r.data.items).toEqual([{ name: '张三' }, { name: '李四', phone: '123' }, { phone: '13800000000' }]);
    expect(r.errors).toEqual([
      { id: 'f-items-1-phone', name: 'items', message: '附议代表第2项：请输入11位手机号码' },
      { id: 'f-items-2-name', name: 'items', message: '附议代表第3项：请输入姓名' },
    ]);
  });
  it('groups from a nested body (JSON)', () => {
    const r = validateInput(form, { title: 't', is_key: '否', items: [{ name: '张三' }, { name: '李四' }] }, all, {}, dir);
    expect(r.data.items).toEqual([{ name: '张三' }, { name: '李四' }]);
  });
  it('files: kept ids resolve to the stored refs; a forged id is refused; new uploads come as refs', () => {
    const held = { id: 'f1', name: '报告.pdf', size: 10 };
    const fresh = { id: 'f9', name: '新.pdf', size: 20 };
    const ok = validateInput(form, { title: 't', is_key: '否', attachments: ['f1', fresh] as unknown as string[] }, all, { attachments: [held] }, dir);
    expect(ok.errors).toEqual([]);
    expect(ok.data.attachments).toEqual([held, fresh]);
    const forged = validateInput(form, { title: 't', is_key: '否', attachments: 'someone-elses' }, all, { attachments: [held] }, dir);
    expect(forged.errors).toEqual([{ id: 'f-attachments', name: 'attachments', message: '附件中有无效的文件，请重新上传' }]);
  });
  it('refuses control and bidi characters in a field and in a group row, and keeps such values out of the data', () => {
    const r = validateInput(form, { title: '标\u0000题', is_key: '否', 'items[0][name]': '王五', 'items[1][name]': '赵\u202E六' }, all, {}, dir);
    expect(r.errors).toEqual([
      { id: 'f-title', name: 'title', message: '标题含有看不见的控制字符或方向控制符（第 2 个字处，U+0000），通常来自复制粘贴：请删除该处后重新输入，或清空后重新键入' },
      expect.objectContaining({ id: 'f-items-1-name', name: 'items', message: expect.stringMatching(/^附议代表第2项：姓名含有看不见的控制字符或方向控制符（第 2 个字处，U\+202E）/) }),
    ]);
    expect(r.data).toEqual({ is_key: '否', attachments: undefined });
  });
  it('stores script text verbatim', () => {
    const r = validateInput(form, { title: '<script>alert(1)</script>', is_key: '否' }, all, {}, dir);
    expect(r.data.title).toBe('<script>alert(1)</script>');
  });
});

describe('validateField', () => {
  it('checks one editable field against the stored record', () => {
    expect(validateField(form, 'title', { title: '' }, all, {}, dir).errors).toEqual([{ id: 'f-title', name: 'title', message: '请输入标题' }]);
    expect(validateField(form, 'supervisor', {}, all, { is_key: '是' }, dir).errors[0]?.message).toBe('请选择督办领导');
    expect(validateField(form, 'supervisor', {}, all, { is_key: '否' }, dir).errors).toEqual([]);
    expect(validateField(form, 'grade', { grade: 'Z' }, all, {}, dir)).toEqual({ value: undefined, errors: [] });
    expect(validateField(form, 'nope', {}, all, {}, dir)).toEqual({ value: undefined, errors: [] });
  });
});

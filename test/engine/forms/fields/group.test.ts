// group.test.ts: repeating rows: parse, remove, min/max items, sub-field errors and their ids, a file column.
import { describe, expect, it } from 'vitest';
import { group, groupRowErrors } from '../../../../engine/forms/fields/group.ts';
import { uploadFieldOf } from '../../../../engine/forms/upload-fields.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const f = field('group', {
  name: 'items',
  label: '联系人',
  min_items: 1,
  max_items: 2,
  fields: [
    field('text', { name: 'name', label: '姓名', required: true }),
    field('number', { name: 'age', label: '年龄', min: 18 }),
  ],
});

describe('group', () => {
  it('parses rows from an array or an index map, in index order; drops blank and removed rows', () => {
    expect(group.parse([{ name: '张三', age: '30' }], f)).toEqual([{ name: '张三', age: 30 }]);
    expect(group.parse({ 1: { name: '李四' }, 0: { name: '张三' } }, f)).toEqual([{ name: '张三' }, { name: '李四' }]);
    expect(group.parse({ 0: { name: '', age: '' }, 1: { name: '王五', _remove: '1' } }, f)).toBeUndefined();
    expect(group.parse({ 0: { name: '张三', evil: 'x' } }, f)).toEqual([{ name: '张三' }]);
  });
  it('min_items, max_items', () => {
    expect(group.validate(f, undefined, { dir })).toBe('请至少添加一项联系人');
    expect(group.validate(f, [{}, {}, {}], { dir })).toBe('联系人最多2项');
    expect(group.validate(field('group', { label: '明细', min_items: 3 }), [{}], { dir })).toBe('明细至少需要3项');
  });
  it('sub-field errors carry row ids', () => {
    expect(groupRowErrors(f, [{ name: '张三', age: 10 }, { age: 20 }], { dir })).toEqual([
      { id: 'f-items-0-age', name: 'items', message: '联系人第1项：年龄不能小于18' },
      { id: 'f-items-1-name', name: 'items', message: '联系人第2项：请输入姓名' },
    ]);
  });
  it('renders rows with titles, row-scoped names, a remove box and the add button', () => {
    const errors = [{ id: 'f-items-0-name', name: 'items', message: '联系人第1项：请输入姓名' }];
    const m = group.model(f, [{ age: 30 }], ctx({ id: 'f-items', inputName: 'items', errors }));
    const html = renderField(m);
    expect(html).toContain('<legend class="lz-fieldset__legend lz-fieldset__legend--small">第1项</legend>');
    expect(html).toContain('id="f-items-0-name" name="items[0][name]"');
    expect(html).toContain('联系人第1项：请输入姓名');
    expect(html).toContain('name="items[0][_remove]"');
    expect(html).toContain('<button class="lz-button lz-button--secondary lz-group__add" type="submit" name="_add_items"');
    expect(m.template?.[0]?.name).toBe('items[1][name]');
    expect(group.model(f, [{}, {}], ctx({ id: 'f-items', inputName: 'items' })).addName).toBeUndefined();
  });
  it('a file column: refs per row, a bare id is refused in its row, each row has its own file input', () => {
    const g = field('group', { name: 'roster', label: '名单', fields: [field('text', { name: 'name', label: '姓名' }), field('file', { name: 'report', label: '书面报告', accept: ['.pdf'] })] });
    const ref = { id: 'f1', name: '张三履职情况报告.pdf', size: 10 };
    expect(group.parse({ 0: { name: '张三', report: [ref] }, 1: { name: '李四' } }, g)).toEqual([{ name: '张三', report: [ref] }, { name: '李四' }]);
    expect(groupRowErrors(g, [{ name: '张三', report: [ref] }, { name: '李四', report: ['forged'] }], { dir })).toEqual([
      { id: 'f-roster-1-report', name: 'roster', message: '名单第2项：书面报告中有无效的文件，请重新上传' },
    ]);
    const html = renderField(group.model(g, [{ name: '张三', report: [ref] }], ctx({ id: 'f-roster', inputName: 'roster' })));
    expect(html).toContain('name="roster[0][report]" type="checkbox" value="f1" checked'); // 保留 box of the row's file
    expect(html).toMatch(/id="f-roster-0-report" name="roster\[0\]\[report\]" type="file"/);
    // An upload posted as roster[i][report] goes into the column and is stored without the row.
    const form = { def: { fields: [g] }, byName: new Map([['roster', g]]) } as unknown as Parameters<typeof uploadFieldOf>[0];
    expect(uploadFieldOf(form, new Set(['roster']), 'roster[3][report]')).toMatchObject({ field: { name: 'report' }, stored: 'roster.report' });
    expect(uploadFieldOf(form, new Set(['roster']), 'roster[3][name]')).toBeUndefined();
    expect(uploadFieldOf(form, new Set(), 'roster[3][report]')).toBeUndefined();
  });
  it('renders its examples', () => expect(renderExamples('group').length).toBeGreaterThan(0));
});

// text.test.ts: one-line text: required, length in characters, pattern, verbatim storage, escaped output.
import { describe, expect, it } from 'vitest';
import { text } from '../../../../engine/forms/fields/text.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const v = (f: ReturnType<typeof field>, raw: unknown) => text.validate(f, text.parse(raw, f), { dir });

describe('text', () => {
  it('reads form strings: trimmed, blank is empty, first of a repeated key', () => {
    const f = field('text');
    expect(text.parse('  标题  ', f)).toBe('标题');
    expect(text.parse('', f)).toBeUndefined();
    expect(text.parse('   ', f)).toBeUndefined();
    expect(text.parse(undefined, f)).toBeUndefined();
    expect(text.parse(['a', 'b'], f)).toBe('a');
  });
  it('required', () => {
    const f = field('text', { required: true });
    expect(v(f, '')).toBe('请输入标题');
    expect(v(f, '关于加快老旧小区改造的建议')).toBeUndefined();
    expect(v(field('text'), '')).toBeUndefined();
  });
  it('counts characters, not bytes or UTF-16 units', () => {
    const f = field('text', { max_length: 5, min_length: 2 });
    expect(v(f, '中华人民共')).toBeUndefined();
    expect(v(f, '中华人民共和')).toBe('标题不能超过5个字');
    expect(v(f, '𠀀𠀀𠀀𠀀𠀀')).toBeUndefined(); // five characters outside the BMP
    expect(v(f, '中')).toBe('标题不能少于2个字');
    expect(v(field('text', { max_length: 100 }), '字'.repeat(101))).toBe('标题不能超过100个字');
  });
  it('pattern matches the whole value, with the form\'s message or a default', () => {
    const f = field('text', { label: '手机号码', pattern: '1\\d{10}', pattern_message: '请输入11位手机号码' });
    expect(v(f, '13800000000')).toBeUndefined();
    expect(v(f, '138000000001')).toBe('请输入11位手机号码');
    expect(v(field('text', { label: '编号', pattern: '[A-Z]+' }), 'abc')).toBe('编号的格式不正确');
  });
  it('stores script text verbatim and renders it escaped', () => {
    const f = field('text');
    const value = text.parse('<script>alert(1)</script>', f);
    expect(value).toBe('<script>alert(1)</script>');
    const html = renderField(text.model(f, value, ctx()));
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
    expect(renderField(text.model(f, value, ctx({ readonly: true })))).toContain('&lt;script&gt;');
  });
  it('renders label, hint and error wired by aria-describedby', () => {
    const f = field('text', { hint: '不超过100个字', required: true });
    const html = renderField(text.model(f, '', ctx({ error: '请输入标题' })));
    expect(html).toContain('<label class="lz-label" for="f-x">标题');
    expect(html).toContain('id="f-x-hint"');
    expect(html).toContain('<p id="f-x-error" class="lz-error"><span class="lz-visually-hidden">错误：</span>请输入标题</p>');
    expect(html).toContain('aria-describedby="f-x-hint f-x-error"');
    expect(html).toContain('lz-field--error');
  });
  it('renders its examples', () => expect(renderExamples('text').length).toBeGreaterThan(0));
});

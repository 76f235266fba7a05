// textarea.test.ts: multi-line text with a character count.
import { describe, expect, it } from 'vitest';
import { textarea } from '../../../../engine/forms/fields/textarea.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

describe('textarea', () => {
  const f = field('textarea', { label: '建议内容', required: true, max_length: 10 });
  it('normalises line breaks so one counts as one character', () => {
    expect(textarea.parse('第一行\r\n第二行\r\n', f)).toBe('第一行\n第二行');
    expect(textarea.validate(f, textarea.parse('一二三四五\r\n六七八九', f), { dir })).toBeUndefined();
  });
  it('required and max_length in characters', () => {
    expect(textarea.validate(f, textarea.parse('', f), { dir })).toBe('请输入建议内容');
    expect(textarea.validate(f, '一二三四五六七八九十一', { dir })).toBe('建议内容不能超过10个字');
    expect(textarea.validate(field('textarea', { label: '意见', min_length: 5 }), '好', { dir })).toBe('意见不能少于5个字');
  });
  it('carries maxLength, the count message and data-maxlength for the page script', () => {
    const m = textarea.model(f, '一二三', ctx());
    expect(m.maxLength).toBe(10);
    expect(m.countMessage).toBe('还可以输入 7 个字');
    expect(textarea.model(f, '一二三四五六七八九十一二', ctx()).countMessage).toBe('超出 2 个字');
    const html = renderField(m);
    expect(html).toContain('data-maxlength="10"');
    expect(html).toContain('<div id="f-x-count" class="lz-char-count" aria-live="polite">还可以输入 7 个字</div>');
    expect(html).toContain('aria-describedby="f-x-count"');
    expect(html).toContain('rows="5"');
  });
  it('keeps text verbatim and escapes it', () => {
    const html = renderField(textarea.model(f, '<script>alert(1)</script>', ctx()));
    expect(html).toContain('>&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
  });
  it('no count without max_length', () => {
    expect(renderField(textarea.model(field('textarea'), '', ctx()))).not.toContain('lz-char-count');
  });
  it('renders its examples', () => expect(renderExamples('textarea').length).toBeGreaterThan(0));
});

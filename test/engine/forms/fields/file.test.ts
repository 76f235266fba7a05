// file.test.ts: stored-file refs, upload checks (size, type), max_files, links in read-only views.
import { describe, expect, it } from 'vitest';
import { checkUpload, fileType, resolveFileRefs, uploadProblem } from '../../../../engine/forms/fields/file.ts';
import { ctx, dir, field, renderExamples, renderField } from '../helpers.ts';

const MB = 1024 * 1024;
const ref = (id: string, size = 1000) => ({ id, name: `${id}.pdf`, size });

describe('file', () => {
  const f = field('file', { label: '附件', accept: ['.pdf', '.docx', 'image/*'], max_size_mb: 10, max_files: 2 });
  it('checkUpload: size and type, in zh-CN, with the code', () => {
    expect(checkUpload(f, { filename: '报告.PDF', mime: 'application/pdf', size: 5 * MB })).toBeUndefined();
    expect(checkUpload(f, { filename: '照片', mime: 'image/jpeg', size: 100 })).toBeUndefined();
    expect(checkUpload(f, { filename: '报告.pdf', mime: 'application/pdf', size: 11 * MB })).toBe('“报告.pdf”超过10MB，请上传小于10MB的文件');
    expect(checkUpload(f, { filename: 'run.exe', mime: 'application/octet-stream', size: 100 })).toBe('“run.exe”的文件类型不符合要求，请上传PDF、DOCX、image/*格式的文件');
    expect(uploadProblem(f, { filename: 'run.exe', mime: 'x/y', size: 1 })?.code).toBe('LVZ_FORM_UPLOAD_TYPE');
    expect(uploadProblem(f, { filename: 'a.pdf', mime: 'application/pdf', size: 20 * MB })?.code).toBe('LVZ_FORM_UPLOAD_TOO_LARGE');
    expect(checkUpload(field('file'), { filename: 'a.bin', mime: 'x/y', size: 10 * MB + 1 })).toBe('“a.bin”超过10MB，请上传小于10MB的文件');
  });
  it('parse: refs and ids, blank dropped', () => {
    expect(fileType.parse([ref('a'), 'b', ''], f)).toEqual([ref('a'), 'b']);
    expect(fileType.parse('', f)).toBeUndefined();
  });
  it('bare ids are believed only when the record already holds them', () => {
    expect(resolveFileRefs(['a', 'forged'], [ref('a')])).toEqual([ref('a'), 'forged']);
    expect(fileType.validate(f, resolveFileRefs(['forged'], [ref('a')]), { dir })).toBe('附件中有无效的文件，请重新上传');
  });
  it('rules: required, max_files, size of a ref', () => {
    expect(fileType.validate(field('file', { label: '答复函', required: true }), undefined, { dir })).toBe('请上传答复函');
    expect(fileType.validate(f, [ref('a'), ref('b')], { dir })).toBeUndefined();
    expect(fileType.validate(f, [ref('a'), ref('b'), ref('c')], { dir })).toBe('附件最多上传2个文件');
    expect(fileType.validate(f, [ref('a', 11 * MB)], { dir })).toBe('“a.pdf”超过10MB，请上传小于10MB的文件');
  });
  it('renders kept files as ticked boxes, the input with accept and multiple, links when read only', () => {
    const html = renderField(fileType.model(f, [ref('a')], ctx()));
    expect(html).toContain('name="x" type="checkbox" value="a" checked');
    expect(html).toContain('<input class="lz-file-upload" id="f-x" name="x" type="file"');
    expect(html).toContain('accept=".pdf,.docx,image/*"');
    expect(html).toContain('multiple="multiple"');
    expect(html).toContain('单个文件不超过10MB'); // the limits as the hint
    const ro = renderField(fileType.model(f, [{ id: 'a b', name: '<x>.pdf', size: 1 }], ctx({ readonly: true })));
    expect(ro).toContain('<a href="/files/a%20b">&lt;x&gt;.pdf</a>');
  });
  it('renders its examples', () => expect(renderExamples('file').length).toBeGreaterThan(0));
});

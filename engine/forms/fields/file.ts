// file.ts: uploads. The value is a list of stored-file refs {id, name, size}; the bytes live in the store.
//
// The form posts the ids of the files it keeps (checked boxes) plus new uploads, which the caller
// stores first and passes in as refs. A bare id is only believed when the record already holds it
// (resolveFileRefs), so a forged id cannot attach someone else's file.

import type { LvzCode } from '../../errors.ts';
import type { FieldDef } from '../types.ts';
import type { FieldType } from './field-type.ts';
import { baseModel, charCount, firstString } from './field-type.ts';
import { badCharacter } from '../text-safety.ts';

export interface FileRef {
  id: string;
  name: string;
  size: number;
}

export const DEFAULT_MAX_SIZE_MB = 10;
export const DEFAULT_MAX_FILES = 1;
/** Characters a stored file name may have (the files.name column holds 255). */
export const MAX_FILE_NAME = 255;

/**
 * The name a file is stored and offered under: the part after the last `/` or `\` (a browser
 * may send a whole path), trimmed; undefined when nothing usable is left ('', '.', '..').
 */
export function storedFileName(filename: string): string | undefined {
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1).trim();
  return base === '' || base === '.' || base === '..' ? undefined : base;
}

/** Why a file name cannot be kept (control or bidi characters, too long, empty), else undefined. */
export function fileNameProblem(filename: string): string | undefined {
  const name = storedFileName(filename);
  if (name === undefined) return '文件名为空或无效：请给文件起一个名字后重新上传';
  const bad = badCharacter(name, false);
  // The name is not repeated: a bidi override in it would garble the message itself.
  if (bad) return `文件名中含有控制字符或方向控制符（${bad}），可能用来伪装文件类型：请重命名文件后重新上传`;
  if (charCount(name) > MAX_FILE_NAME) return `文件名超过${MAX_FILE_NAME}个字：请缩短文件名后重新上传`;
  return undefined;
}

export function isFileRef(v: unknown): v is FileRef {
  const r = v as FileRef;
  return !!r && typeof r === 'object' && typeof r.id === 'string' && r.id !== '' && typeof r.name === 'string' && typeof r.size === 'number';
}

/** Bare ids -> the refs the record already holds; an id it does not hold stays bare and fails validation. */
export function resolveFileRefs(value: unknown, current: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const held = Array.isArray(current) ? current.filter(isFileRef) : [];
  return value.map((v) => (typeof v === 'string' ? held.find((r) => r.id === v) ?? v : v));
}

function acceptLabel(accept: readonly string[]): string {
  return accept.map((a) => (a.startsWith('.') ? a.slice(1).toUpperCase() : a)).join('、');
}

function isAccepted(accept: readonly string[], filename: string, mime: string): boolean {
  const lower = filename.toLowerCase();
  return accept.some((a) => {
    if (a.startsWith('.')) return lower.endsWith(a.toLowerCase());
    if (a.endsWith('/*')) return mime.toLowerCase().startsWith(a.slice(0, -1).toLowerCase());
    return mime.toLowerCase() === a.toLowerCase();
  });
}

/** Size and type of one upload, checked before it is stored; the code says which rule it broke. */
export function uploadProblem(
  field: FieldDef,
  file: { filename: string; mime: string; size: number },
): { code: Extract<LvzCode, 'LVZ_FORM_UPLOAD_TOO_LARGE' | 'LVZ_FORM_UPLOAD_TYPE' | 'LVZ_FORM_UPLOAD_NAME'>; message: string } | undefined {
  const nameProblem = fileNameProblem(file.filename);
  if (nameProblem) return { code: 'LVZ_FORM_UPLOAD_NAME', message: nameProblem };
  const maxMb = field.max_size_mb ?? DEFAULT_MAX_SIZE_MB;
  if (file.size > maxMb * 1024 * 1024) {
    return { code: 'LVZ_FORM_UPLOAD_TOO_LARGE', message: `“${file.filename}”超过${maxMb}MB，请上传小于${maxMb}MB的文件` };
  }
  if (field.accept && !isAccepted(field.accept, file.filename, file.mime)) {
    return { code: 'LVZ_FORM_UPLOAD_TYPE', message: `“${file.filename}”的文件类型不符合要求，请上传${acceptLabel(field.accept)}格式的文件` };
  }
  return undefined;
}

export function checkUpload(field: FieldDef, file: { filename: string; mime: string; size: number }): string | undefined {
  return uploadProblem(field, file)?.message;
}

/** The limits in words, shown as the hint when the form gives none, so nobody learns them by failing. */
export function fileHint(field: FieldDef): string {
  const parts = [
    field.accept ? `支持${acceptLabel(field.accept)}格式` : undefined,
    `单个文件不超过${field.max_size_mb ?? DEFAULT_MAX_SIZE_MB}MB`,
    `最多${field.max_files ?? DEFAULT_MAX_FILES}个文件`,
  ];
  return parts.filter(Boolean).join('，');
}

export const fileType: FieldType = {
  name: 'file',
  partial: 'fields/file',
  keys: ['accept', 'max_size_mb', 'max_files'],
  parse(raw) {
    const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
    const out = list
      .map((v) => (isFileRef(v) ? { id: v.id, name: v.name, size: v.size } : firstString(v)?.trim()))
      .filter((v) => v !== undefined && v !== '');
    return out.length > 0 ? out : undefined;
  },
  validate(field, value) {
    const { label } = field;
    if (value === undefined) return field.required ? `请上传${label}` : undefined;
    if (!Array.isArray(value) || !value.every(isFileRef)) return `${label}中有无效的文件，请重新上传`;
    const max = field.max_files ?? DEFAULT_MAX_FILES;
    if (value.length > max) return `${label}最多上传${max}个文件`;
    const maxMb = field.max_size_mb ?? DEFAULT_MAX_SIZE_MB;
    const big = value.find((r) => r.size > maxMb * 1024 * 1024);
    if (big) return `“${big.name}”超过${maxMb}MB，请上传小于${maxMb}MB的文件`;
    return undefined;
  },
  model(field, value, ctx) {
    const refs = Array.isArray(value) ? value.filter(isFileRef) : [];
    const files = refs.map((r) => ({ id: r.id, name: r.name, size: r.size, url: `/files/${encodeURIComponent(r.id)}` }));
    const shown = ctx.readonly ? field : { ...field, hint: field.hint ?? fileHint(field) };
    const m = baseModel(shown, refs.map((r) => r.id), ctx, 'fields/file', refs.map((r) => r.name).join('、'));
    m.files = files;
    const max = field.max_files ?? DEFAULT_MAX_FILES;
    m.attrs = { 'data-max-files': max, 'data-max-size-mb': field.max_size_mb ?? DEFAULT_MAX_SIZE_MB };
    if (field.accept) m.attrs.accept = field.accept.join(',');
    if (max > 1) m.attrs.multiple = 'multiple';
    return m;
  },
  examples: [
    { title: 'two files', field: { label: '附件', accept: ['.pdf', '.docx'], max_files: 5 }, value: [{ id: 'f1', name: '调研报告.pdf', size: 1024 }, { id: 'f2', name: '附表.docx', size: 2048 }] },
    { title: 'none', field: { label: '答复函', required: true }, value: undefined },
  ],
};

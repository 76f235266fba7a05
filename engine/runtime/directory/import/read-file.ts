// read-file.ts: bytes -> sheets of text cells. The limits come first (size, then for an .xlsx its
// zip directory, zip-guard.ts); the content, not the file name, says what the file is, so a PNG
// renamed .xlsx, random bytes or an empty file each get a message of their own.

import { parse } from 'csv-parse/sync';
import { LvzError } from '../../../errors.ts';
import { guardZip } from './zip-guard.ts';
import type { RawSheet } from './types.ts';

/** One uploaded or named file; `sheet` says which sheet a CSV holds when its header cannot tell. */
export interface ImportFile {
  name: string;
  bytes: Buffer;
  sheet?: string;
}

export const FILE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000 };

const MB = 1024 * 1024;

const notSpreadsheet = (file: string, what: string): LvzError =>
  new LvzError('LVZ_DIR_IMPORT_FILE', `“${file}”${what}，不是通讯录表格：请上传 .xlsx 工作簿或 UTF-8 编码的 .csv 文件（可下载模板填写）`, { params: { file } });

/** What the first bytes say the file is. */
function sniff(b: Buffer): 'zip' | 'ole' | 'binary' | 'text' {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)) return 'zip';
  if (b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0) return 'ole';
  // A NUL in the first 8 KB: no CSV has one (UTF-16 text has many, and is refused too).
  return b.subarray(0, 8192).includes(0) || /^(\x89PNG|%PDF|GIF8|\xff\xd8\xff)/.test(b.subarray(0, 4).toString('latin1')) ? 'binary' : 'text';
}

export function tooLarge(file: string, size: number): LvzError {
  return new LvzError('LVZ_DIR_IMPORT_TOO_LARGE',
    `“${file}”有 ${(size / MB).toFixed(1)} MB，超过通讯录文件的上限 ${FILE_LIMITS.maxBytes / MB} MB：请删去多余的工作表、图片和空行，或分几个文件导入`,
    { params: { file, size, limit: FILE_LIMITS.maxBytes } });
}

function ensureSize(f: ImportFile): void {
  if (f.bytes.length === 0) throw notSpreadsheet(f.name, '是空文件');
  if (f.bytes.length > FILE_LIMITS.maxBytes) throw tooLarge(f.name, f.bytes.length);
}

/** Reads one file into its sheets (an .xlsx: every sheet; a .csv: one). */
export async function readImportFile(f: ImportFile): Promise<RawSheet[]> {
  ensureSize(f);
  const kind = sniff(f.bytes);
  if (kind === 'zip') {
    guardZip(f.bytes, f.name);
    return readXlsx(f);
  }
  if (kind === 'ole') {
    throw new LvzError('LVZ_DIR_IMPORT_FILE', `“${f.name}”是旧版 Excel（.xls）或加了密码的工作簿：请在 Excel 中“另存为”Excel 工作簿（.xlsx），不设密码，再导入`, { params: { file: f.name } });
  }
  if ((f.bytes[0] === 0xff && f.bytes[1] === 0xfe) || (f.bytes[0] === 0xfe && f.bytes[1] === 0xff)) {
    // Excel's 「Unicode 文本」 and some exports: UTF-16, which is full of NUL bytes.
    throw new LvzError('LVZ_DIR_IMPORT_FILE', `“${f.name}”是 UTF-16 编码的文本：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，再导入`, { params: { file: f.name } });
  }
  if (kind === 'binary' || /\.xlsx?$/i.test(f.name)) throw notSpreadsheet(f.name, kind === 'binary' ? '是二进制文件（图片、压缩包或其他格式）' : '的扩展名是 .xlsx，内容却不是 Excel 工作簿');
  return [readCsv(f)];
}

function tooManyRows(file: string): LvzError {
  return new LvzError('LVZ_DIR_IMPORT_TOO_LARGE', `“${file}”超过 ${FILE_LIMITS.maxRows.toLocaleString('en')} 行：请分几个文件导入`, { params: { file, limit: FILE_LIMITS.maxRows } });
}

async function readXlsx(f: ImportFile): Promise<RawSheet[]> {
  // Loaded when a workbook arrives: exceljs takes about 0.3 s to load, which no start-up should pay.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(f.bytes as unknown as ArrayBuffer);
  } catch {
    throw notSpreadsheet(f.name, '是压缩包，但不是 Excel 工作簿（或已损坏）');
  }
  if (wb.worksheets.length === 0) throw notSpreadsheet(f.name, '是压缩包，但不是 Excel 工作簿（没有工作表）');
  const sheets: RawSheet[] = [];
  let count = 0;
  for (const ws of wb.worksheets) {
    const rows: { line: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row, line) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => { cells[col - 1] = cellText(cell.text); });
      if (cells.some((c) => c)) rows.push({ line, cells: Array.from(cells, (c) => c ?? '') });
    });
    count += rows.length;
    if (count > FILE_LIMITS.maxRows) throw tooManyRows(f.name);
    const [head, ...body] = rows;
    sheets.push({ file: f.name, name: ws.name.trim(), headerLine: head?.line ?? 0, header: head?.cells ?? [], rows: body });
  }
  return sheets;
}

function cellText(text: unknown): string {
  return String(text ?? '').replace(/\u00a0/g, ' ').trim();
}

export function readCsv(f: ImportFile): RawSheet {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
  } catch {
    throw new LvzError('LVZ_DIR_IMPORT_FILE',
      `“${f.name}”不是 UTF-8 编码（多半是 Excel 默认的 GBK 编码）：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，再导入`, { params: { file: f.name } });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, to: FILE_LIMITS.maxRows + 2 }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new LvzError('LVZ_DIR_IMPORT_FILE', `“${f.name}”${line ? `第 ${line} 行` : ''}不是有效的 CSV（${(e as Error).message}）：请检查引号是否成对，或用 Excel 重新另存为 CSV UTF-8`, { params: { file: f.name, line } });
  }
  if (records.length > FILE_LIMITS.maxRows + 1) throw tooManyRows(f.name);
  // info.lines is the line a record ends on; a quoted cell may span lines, so count back to its start.
  const rows = records
    .map((r) => ({ line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0), cells: r.record.map(cellText) }))
    .filter((r) => r.cells.some((c) => c));
  const [head, ...body] = rows;
  return { file: f.name, name: f.sheet ?? '', headerLine: head?.line ?? 0, header: head?.cells ?? [], rows: body };
}

// zip-guard.ts: an .xlsx is a zip; before exceljs inflates it, its central directory is read and
// checked (entry count, declared sizes, compression ratio), so a zip bomb is refused without
// inflating a byte. Declared sizes can lie, so each entry is then inflated with a hard cap on its
// output (its declared size): a lying entry stops at the cap instead of filling memory.

import zlib from 'node:zlib';
import { LvzError } from '../../../errors.ts';

export interface ZipLimits {
  /** Sum of the uncompressed sizes of all entries. */
  maxUncompressed: number;
  maxEntries: number;
  /** Uncompressed / compressed, checked for entries over 1 MB (small XML compresses well legitimately). */
  maxRatio: number;
}

export const ZIP_LIMITS: ZipLimits = { maxUncompressed: 100 * 1024 * 1024, maxEntries: 2_000, maxRatio: 200 };

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const bad = (file: string, why: string): LvzError =>
  new LvzError('LVZ_DIR_IMPORT_FILE', `“${file}”不是可以读取的 Excel 工作簿（.xlsx）：${why}。请在 Excel 中打开后另存为 .xlsx，或下载模板重新填写`, { params: { file } });

function endOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

/** The central directory's entries; throws LVZ_DIR_IMPORT_FILE when the zip is malformed or too big. */
export function zipEntries(buf: Buffer, file: string, limits: ZipLimits = ZIP_LIMITS): Entry[] {
  const end = endOfCentralDirectory(buf);
  if (end < 0) throw bad(file, '文件不完整或已损坏（找不到压缩包目录）');
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw bad(file, '文件使用了 ZIP64 格式，远超通讯录文件的正常大小');
  if (count > limits.maxEntries) throw bad(file, `压缩包里有 ${count} 个文件，远超工作簿的正常数量`);
  if (offset + size > end) throw bad(file, '压缩包目录已损坏');
  const entries: Entry[] = [];
  let total = 0;
  for (let at = offset, i = 0; i < count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL) throw bad(file, '压缩包目录已损坏');
    const nameLength = buf.readUInt16LE(at + 28);
    const e: Entry = {
      method: buf.readUInt16LE(at + 10), compressed: buf.readUInt32LE(at + 20), uncompressed: buf.readUInt32LE(at + 24),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength), localOffset: buf.readUInt32LE(at + 42),
    };
    total += e.uncompressed;
    if (total > limits.maxUncompressed) {
      throw bad(file, `解压后超过 ${Math.round(limits.maxUncompressed / 1024 / 1024)} MB（可能是“压缩炸弹”），已拒绝，未解压`);
    }
    if (e.uncompressed > 1024 * 1024 && e.uncompressed > Math.max(1, e.compressed) * limits.maxRatio) {
      throw bad(file, `其中“${e.name}”的压缩比异常（${Math.round(e.uncompressed / Math.max(1, e.compressed))} 倍，可能是“压缩炸弹”），已拒绝，未解压`);
    }
    entries.push(e);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Checks the zip as above, then inflates every entry with its declared size as the cap, so sizes
 * that lie are caught with bounded memory before exceljs (which trusts them) sees the file.
 */
export function guardZip(buf: Buffer, file: string, limits: ZipLimits = ZIP_LIMITS): void {
  for (const e of zipEntries(buf, file, limits)) {
    const at = e.localOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw bad(file, '压缩包内容已损坏');
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const data = buf.subarray(start, start + e.compressed);
    if (e.method === 0) {
      if (e.compressed !== e.uncompressed) throw bad(file, `其中“${e.name}”的大小与目录不符`);
      continue;
    }
    if (e.method !== 8) throw bad(file, `其中“${e.name}”使用了不支持的压缩方式`);
    let out: Buffer;
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressed) });
    } catch {
      throw bad(file, `其中“${e.name}”解压后比目录记录的大（可能是“压缩炸弹”）或已损坏，已拒绝`);
    }
    if (out.length !== e.uncompressed) throw bad(file, `其中“${e.name}”的大小与目录不符`);
  }
}

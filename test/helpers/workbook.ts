// workbook.ts (test helper): directory import files made the way an office makes them: an .xlsx
// written by exceljs (as Excel would save it), CSV text, and a zip built by hand for the bomb tests.

import zlib from 'node:zlib';
import ExcelJS from 'exceljs';

export type Sheets = Record<string, (string | number)[][]>;

/** An .xlsx with these sheets, each a header row then data rows. */
export async function xlsx(sheets: Sheets): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function csv(rows: (string | number)[][], bom = true): Buffer {
  const text = rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\r\n');
  return Buffer.from((bom ? '\ufeff' : '') + text + '\r\n', 'utf8');
}

/**
 * A one-entry zip. `declared` overrides the uncompressed size the headers state (a bomb's directory
 * promising 150 MB, or a liar promising 1 KB of what inflates to megabytes); `data` is stored as given.
 */
export function zip(name: string, data: Buffer, opts: { uncompressed: number; declared?: number; method?: number }): Buffer {
  const size = opts.declared ?? opts.uncompressed;
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(opts.method ?? 8, 8);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(opts.method ?? 8, 10);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(n.length, 28); central.writeUInt32LE(0, 42);
  const cdOffset = 30 + n.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12); end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

/** `bytes` zero bytes, deflated (a megabyte of zeros deflates to about a kilobyte). */
export function deflatedZeros(bytes: number): Buffer {
  return zlib.deflateRawSync(Buffer.alloc(bytes));
}

// ballot-xlsx.ts: the 表决结果 sheet as an .xlsx (exceljs): the same figures as the printed sheet, built
// from the same model (ballot-sheet.ts), so the two cannot disagree.

import type { ResultSheet } from './ballot-sheet.ts';

export async function resultWorkbook(sheets: ResultSheet[], t: (key: string, params?: Record<string, unknown>) => string): Promise<Buffer> {
  // Loaded when a sheet is asked for: exceljs takes about 0.3 s to load, which no start-up should pay.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'lvzhi';
  for (const [i, sheet] of sheets.entries()) {
    // A worksheet name is at most 31 characters and may not hold []:*?/\ (Excel's rules).
    const name = `${i + 1} ${sheet.title}`.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
    const ws = wb.addWorksheet(sheets.length === 1 ? t('ballot.result.sheetName') : name);
    ws.columns = [{ width: 28 }, { width: 12 }, { width: 16 }, { width: 40 }];
    ws.addRow([sheet.title]).font = { bold: true, size: 14 };
    for (const f of sheet.facts) ws.addRow([f.label, f.value]);
    ws.addRow([]);
    const header = ws.addRow(sheet.columns);
    header.font = { bold: true };
    header.eachCell((c) => { c.border = { bottom: { style: 'thin' } }; });
    for (const r of sheet.rows) ws.addRow([r.label, r.count, r.share ?? '']);
    ws.addRow([]);
    ws.addRow([t('ballot.result.verdict'), sheet.verdictText]).font = { bold: true };
    if (sheet.seal) {
      ws.addRow([t('ballot.result.checkCode'), sheet.seal.short]);
      ws.addRow([t('ballot.result.digest'), sheet.seal.head]);
      ws.addRow([t('ballot.result.castCount'), sheet.seal.count]);
    }
    ws.addRow([t('ballot.result.closedAt'), sheet.closedAt]);
    if (sheet.named) {
      ws.addRow([]);
      ws.addRow([t('ballot.result.namedTitle', { count: sheet.named.length })]).font = { bold: true };
      const head = ws.addRow([t('ballot.result.voter'), t('ballot.result.choice')]);
      head.font = { bold: true };
      head.eachCell((c) => { c.border = { bottom: { style: 'thin' } }; });
      for (const n of sheet.named) ws.addRow([n.name, n.choice]);
    }
    // Counts are numbers (summed by whoever opens the file); shares stay text, as printed ("12.1%").
    ws.getColumn(2).alignment = { horizontal: 'right' };
    ws.getColumn(3).alignment = { horizontal: 'right' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// template.ts: the downloadable template (.xlsx): a 说明 sheet, then every sheet of sheets.ts with
// its header row and one example row, so a filled-in template is a file the import reads.

import { SHEETS } from './sheets.ts';

export const TEMPLATE_FILE_NAME = '通讯录导入模板.xlsx';

export async function buildTemplate(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'lvzhi';
  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 14 }, { width: 16 }, { width: 8 }, { width: 70 }];
  about.addRow(['通讯录导入模板：按表头填写各工作表，然后在“通讯录 → 导入”上传，或运行 npx lvzhi directory import 文件名']);
  about.addRow(['导入先检查每一行，有错误时一行也不导入；同一文件再次导入不会改变任何内容；文件中没有的人员保持不变。']);
  about.addRow(['新建的人员没有密码：导入后请管理员在“通讯录”中为其重设密码。本“说明”表导入时会被忽略。']);
  about.addRow([]);
  about.addRow(['工作表', '列', '必填', '填写说明']).font = { bold: true };
  for (const s of SHEETS) {
    about.addRow([s.name, '', '', s.about]).font = { bold: true };
    for (const c of s.columns) about.addRow(['', c.header, c.required ? '是' : '', c.hint]);
  }
  for (const s of SHEETS) {
    const ws = wb.addWorksheet(s.name);
    ws.columns = s.columns.map((c) => ({ width: Math.max(12, c.example.length * 2 + 4) }));
    ws.addRow(s.columns.map((c) => c.header)).font = { bold: true };
    ws.addRow(s.columns.map((c) => c.example));
    // Text, not numbers: a phone or an 编码 like 0101 must keep its digits as typed.
    ws.columns.forEach((col) => { col.numFmt = '@'; });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

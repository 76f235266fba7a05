// directory.ts: `lvzhi directory import FILE… [--dry-run] [--sheet 名称]` (the 通讯录 from an .xlsx or
// .csv, checked whole, then written in one transaction) and `lvzhi directory template FILE` (the
// blank template), on the database `serve` uses (DATA_DIR / DATABASE_URL). Exit codes
// (docs/deploy.md): 0 done, 1 refused (every bad row listed, nothing written), 2 usage, 3 database.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isLvzError, LvzError } from '../engine/errors.ts';
import type { Engine } from '../engine/index.ts';
import { FILE_LIMITS, tooLarge } from '../engine/runtime/directory/import/read-file.ts';

export interface DirectoryIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const USAGE = `usage:
  lvzhi directory import <文件>… [--dry-run] [--sheet 工作表名]
      导入通讯录（.xlsx，或每个工作表一个 UTF-8 .csv）：先检查每一行，有错误时列出并且不导入任何内容；
      --dry-run 只检查并报告将新建、更新的数量；--sheet 指明 .csv 是哪个工作表（组织机构、人员、分组、分组成员、角色）
  lvzhi directory template <文件.xlsx>
      生成空白的导入模板（含“说明”表和每个工作表的表头、示例行）`;

type Problem = { sheet?: string; line?: number; message: string };

async function withEngine<T>(io: DirectoryIo, run: (engine: Engine) => Promise<T>): Promise<T> {
  // Loaded when asked for, so `validate` never pulls in the database drivers.
  const { createEngine } = await import('../engine/index.ts');
  const engine = await createEngine({ dataDir: path.resolve(io.cwd, io.env.DATA_DIR || './data'), ...(io.env.DATABASE_URL && { databaseUrl: io.env.DATABASE_URL }) });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

/** checked N rows, written N/M: on a terminal one line that updates, else a line per step. */
function progressPrinter(io: DirectoryIo): (phase: 'read' | 'write', done: number, total: number) => void {
  const tty = (io.err as NodeJS.WriteStream).isTTY === true;
  let last = 0;
  return (phase, done, total) => {
    if (phase === 'read') { io.err.write(`已读取 ${done} 行，正在检查……\n`); return; }
    // Every 500 rows and at the end: an update of 6,007 people reports each one.
    if (total < 500 || (done - last < 500 && done < total) || done === last) return;
    last = done;
    io.err.write(`${tty ? '\r' : ''}已写入 ${done}/${total}${tty && done < total ? '' : '\n'}`);
  };
}

async function importCommand(files: string[], flags: { 'dry-run'?: boolean; sheet?: string }, io: DirectoryIo): Promise<number> {
  const inputs = files.map((f) => {
    const p = path.resolve(io.cwd, f);
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new LvzError('LVZ_DIR_IMPORT_FILE', `找不到文件“${f}”：请检查路径`, { params: { file: f } });
    // Over the limit: refused before the file is read into memory.
    if (stat.size > FILE_LIMITS.maxBytes) throw tooLarge(f, stat.size);
    return { name: path.basename(f), bytes: fs.readFileSync(p), ...(flags.sheet && { sheet: flags.sheet }) };
  });
  const dryRun = flags['dry-run'] === true;
  const outcome = await withEngine(io, (engine) => engine.directoryImport.importFiles(null, inputs, { dryRun, onProgress: progressPrinter(io) }));
  io.out.write(`${dryRun ? '检查通过（--dry-run，未写入任何内容）。导入将：' : '已导入。'}\n${outcome.description.map((l) => `  ${l}\n`).join('')}`);
  const r = outcome.result;
  const changed = Object.values(r).some((c) => c.created + c.updated > 0);
  if (!dryRun) io.out.write(changed ? `批次号 ${outcome.batchId}：每一处修改都记入了通讯录的修改记录\n` : '文件与通讯录一致，没有需要修改的内容\n');
  return 0;
}

export async function directoryCommand(args: string[], io: DirectoryIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { 'dry-run': { type: 'boolean' }, sheet: { type: 'string' } } });
  } catch (e) {
    io.err.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [sub, ...files] = parsed.positionals;
  const importOnly = 'dry-run' in parsed.values || 'sheet' in parsed.values;
  if (files.length === 0 || (sub !== 'import' && sub !== 'template') || (sub === 'template' && (files.length !== 1 || importOnly))) {
    io.err.write(USAGE + '\n');
    return 2;
  }
  try {
    if (sub === 'template') {
      const { buildTemplate } = await import('../engine/runtime/directory/import/template.ts');
      const target = path.resolve(io.cwd, files[0]!);
      fs.writeFileSync(target, await buildTemplate(), { flag: 'wx' });
      io.out.write(`已生成导入模板 ${files[0]}：按表头填写后运行 npx lvzhi directory import ${files[0]}\n`);
      return 0;
    }
    return await importCommand(files, parsed.values, io);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err.write(`文件“${files[0]}”已存在：请换一个文件名，或先删除它\n`);
      return 1;
    }
    if (!isLvzError(e)) {
      io.err.write(`lvzhi directory 失败：${(e as Error).message}\n`);
      return 1;
    }
    const problems = (e.params.problems as Problem[] | undefined) ?? [];
    // Every bad row on a line of its own; the message above them only counts them.
    if (problems.length === 0) io.err.write(`${e.format()}\n`);
    else io.err.write(`${e.code} ${e.message.split('：')[0]}\n${problems.map((p) => `  ${p.message}\n`).join('')}`);
    return e.code.startsWith('LVZ_STORE_') ? 3 : 1;
  }
}

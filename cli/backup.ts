// backup.ts: `lvzhi backup <file>` and `lvzhi restore <file>`: read the environment and the
// arguments, call engine/store/backup.ts, print the outcome; returns the exit code
// (0 done, 1 refused or failed, 2 usage or PostgreSQL: the pg_dump / pg_restore command is printed).

import path from 'node:path';
import { isLvzError } from '../engine/errors.ts';
import { systemClock } from '../engine/runtime/clock.ts';
import { backupSqlite, postgresCommands, restoreSqlite } from '../engine/store/backup.ts';

export interface BackupIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const USAGE = {
  backup: 'usage: lvzhi backup <file>    备份 DATA_DIR 中的数据库到一个新文件（服务运行时也可以）',
  restore: 'usage: lvzhi restore <file>   用备份替换 DATA_DIR 中的数据库（先停止服务）',
};

export async function backupCommand(command: 'backup' | 'restore', args: string[], io: BackupIo): Promise<number> {
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length !== 1 || files.length !== args.length) {
    io.err.write(USAGE[command] + '\n');
    return 2;
  }
  const file = files[0]!;
  if (io.env.DATABASE_URL) return printPostgres(command, file, io);
  // The same default as `lvzhi serve`: ./data under the directory it is run from.
  const dataDir = path.resolve(io.env.DATA_DIR || './data');
  try {
    if (command === 'backup') {
      const r = await backupSqlite(dataDir, file);
      io.out.write(`已备份：${r.file}（${r.instances} 件，${r.events} 条办理记录，${(r.bytes / 1048576).toFixed(1)} MB）。上传的附件在 ${path.join(dataDir, 'files')}，请另行复制（docs/deploy.md）\n`);
    } else {
      io.out.write(`从 ${path.resolve(file)} 恢复到 ${dataDir}：恢复前必须停止所有 lvzhi 服务进程\n`);
      const r = await restoreSqlite(dataDir, file, systemClock());
      const kept = r.previous ? `原数据库已保存为 ${r.previous}` : '数据目录中原来没有数据库';
      io.out.write(`已恢复：${r.instances} 件，${r.events} 条办理记录；${kept}。现在可以启动服务\n`);
    }
    return 0;
  } catch (e) {
    io.err.write((isLvzError(e) ? e.format() : `${command} 失败：${(e as Error).message}`) + '\n');
    return 1;
  }
}

function printPostgres(command: 'backup' | 'restore', file: string, io: BackupIo): number {
  const cmd = postgresCommands(file);
  if (command === 'backup') {
    io.out.write(`DATABASE_URL 指向 PostgreSQL：请用 pg_dump 备份（服务运行时也可以，得到一致的快照）：\n  ${cmd.backup}\n`);
  } else {
    io.out.write(`DATABASE_URL 指向 PostgreSQL：请先停止所有 lvzhi 服务进程，再用 pg_restore 恢复：\n  ${cmd.restore}\n`);
  }
  io.out.write('详见 docs/deploy.md（备份与恢复）。lvzhi 本身没有执行任何操作。\n');
  return 2;
}

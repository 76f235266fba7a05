// index.ts: the directory import as runtime operations. A file is read (read-file.ts, records.ts)
// outside any transaction, turned into a change set (change-set.ts) and handed to the directory's
// one write path (../changes.ts), which checks the whole set and writes it in one transaction.
// The admin page's two steps (check, then 确认导入) meet through a `directory_imports` row and a
// copy of the file under DATA_DIR/imports, so a confirm replayed or forged applies nothing twice.

import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { LvzError } from '../../../errors.ts';
import { ADMIN_ROLE } from '../../../dsl/roles.ts';
import { claimImport, finishImport, getImport, insertImport, type DirectoryImportRow } from '../../../store/directory-imports.ts';
import { listChanges } from '../../../store/directory-data.ts';
import { countUsers } from '../../../store/directory.ts';
import type { ChangeSource } from '../../../store/types.ts';
import type { RuntimeContext } from '../../runtime-context.ts';
import type { Actor } from '../../../model/actor.ts';
import { adminReach } from '../../admin-scope.ts';
import { systemClock } from '../../clock.ts';
import { applyDirectoryChanges, invalid, type ChangeResult } from '../changes.ts';
import { loadStored, toChangeSet } from './change-set.ts';
import { FILE_LIMITS, readImportFile, tooLarge, type ImportFile } from './read-file.ts';
import { readRecords } from './records.ts';
import { buildTemplate, TEMPLATE_FILE_NAME } from './template.ts';
import type { DirectoryImportOps, ImportOutcome, ImportProgress, ImportRecords, ImportView } from './types.ts';

export type { ImportFile } from './read-file.ts';
export type { ImportOutcome, ImportView } from './types.ts';

type Who = Actor | null;

function ensureImporter(actor: Actor): void {
  if (!actor.roles.includes(ADMIN_ROLE)) throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有系统管理员可以导入通讯录：请联系管理员', {});
}

/** Every file's sheets as records; LVZ_DIR_INVALID listing what the rows show on their own. */
async function readAll(files: ImportFile[], onProgress?: ImportProgress): Promise<{ records: ImportRecords; rows: number }> {
  const sheets = [];
  for (const f of files) sheets.push(...await readImportFile(f));
  const records = readRecords(sheets);
  const rows = sheets.reduce((n, s) => n + s.rows.length, 0);
  onProgress?.('read', rows, rows);
  if (records.problems.length > 0) {
    throw invalid(records.problems.map((p) => ({
      ...(p.line > 0 && { at: { sheet: p.sheet, line: p.line } }),
      message: p.line > 0 ? `${p.sheet} 第 ${p.line} 行：${p.message}` : p.sheet ? `${p.sheet}：${p.message}` : p.message,
    })));
  }
  if (rows === 0) {
    throw invalid([{ message: '文件中没有可导入的行：请在“组织机构”“人员”等工作表的表头下填写数据（可下载模板参考）' }]);
  }
  return { records, rows };
}

/**
 * Reads, checks and (unless `dryRun`) writes `files` as one import. `who` null: the command line
 * or the demo seed, whose reach is the whole directory; an admin's reach is checked by changes.ts.
 */
export async function importFiles(
  rc: RuntimeContext, who: Who, files: ImportFile[],
  opts: { dryRun?: boolean; source: ChangeSource; batchId?: string; onProgress?: ImportProgress; demoPasswordHash?: string },
): Promise<ImportOutcome> {
  if (who) ensureImporter(who);
  const { records, rows } = await readAll(files, opts.onProgress);
  const stored = await loadStored(rc.db);
  const district = who ? (await adminReach(rc.reads, who))?.district?.id ?? null : null;
  const set = toChangeSet(records, stored, rc.registry.roles, district);
  if (opts.demoPasswordHash) {
    for (const p of set.people ?? []) Object.assign(p, { passwordHash: opts.demoPasswordHash, mustChangePassword: false, isDemo: true } satisfies Partial<typeof p>);
  }
  const batchId = opts.batchId ?? randomUUID();
  const result = await applyDirectoryChanges(rc, who, set, {
    source: opts.source, batchId, dryRun: !!opts.dryRun,
    ...(opts.onProgress && { onProgress: (done: number, total: number) => opts.onProgress!('write', done, total) }),
  });
  const inFile = new Set(records.people.map((p) => p.id));
  const untouched = [...stored.users.keys()].filter((id) => !inFile.has(id)).length;
  return { batchId, dryRun: !!opts.dryRun, result, untouched, rows, description: describe(result, untouched) };
}

const KINDS: [keyof ChangeResult, string, string][] = [['roles', '角色', '个'], ['orgs', '组织', '个'], ['people', '人员', '人'], ['groups', '分组', '个'], ['members', '分组成员', '人']];

/** One line per kind of row the file has, then the people it leaves alone. */
export function describe(r: ChangeResult, untouched: number): string[] {
  return [
    ...KINDS.filter(([k]) => r[k].created + r[k].updated + r[k].unchanged > 0)
      .map(([k, what, unit]) => `${what}：新建 ${r[k].created} ${unit}，更新 ${r[k].updated} ${unit}，${r[k].unchanged} ${unit}不变`),
    `文件中没有的 ${untouched} 人保持不变（导入不删除、也不停用任何人）`,
  ];
}

// ---- the admin page's two steps ----------------------------------------------------------------

/** Progress of the imports this process is applying (a page polls it); other processes show the row. */
const progress = new Map<string, { done: number; total: number }>();
/** The full outcome of imports this process applied; the row keeps the sums for any process. */
const outcomes = new Map<string, ImportOutcome>();
const remember = (id: string, o: ImportOutcome): void => {
  outcomes.set(id, o);
  // A bounded memory: the oldest go first (the row keeps the sums).
  if (outcomes.size > 100) outcomes.delete(outcomes.keys().next().value!);
};

const importDir = (rc: RuntimeContext): string => path.join(rc.dataDir, 'imports');

/** Step 1: the uploaded file checked (nothing written); a `checked` row and a copy of the file keep it for step 2. */
export async function checkUpload(rc: RuntimeContext, actor: Actor, upload: { filename: string; tempPath: string; size: number }): Promise<{ id: string; outcome: ImportOutcome }> {
  ensureImporter(actor);
  if (upload.size > FILE_LIMITS.maxBytes) throw tooLarge(upload.filename, upload.size);
  const file: ImportFile = { name: upload.filename, bytes: await fs.promises.readFile(upload.tempPath) };
  const id = randomUUID();
  const outcome = await importFiles(rc, actor, [file], { dryRun: true, source: 'import', batchId: id });
  remember(id, outcome);
  await fs.promises.mkdir(importDir(rc), { recursive: true });
  await sweepUnconfirmed(rc);
  await fs.promises.writeFile(path.join(importDir(rc), id), file.bytes, { flag: 'wx' });
  const r = outcome.result;
  const sum = (k: 'created' | 'updated' | 'unchanged'): number => r.roles[k] + r.orgs[k] + r.people[k] + r.groups[k] + r.members[k];
  await insertImport(rc.db, {
    id, at: rc.now().toISOString(), actorId: actor.userId, fileName: upload.filename.slice(0, 255),
    sha256: createHash('sha256').update(file.bytes).digest('hex'), status: 'checked', total: outcome.rows,
    created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged'),
  });
  return { id, outcome };
}

/**
 * Files checked a day ago and never confirmed: their page says 请重新上传 from then on. File times
 * are real time, so the real clock (not a rehearsal's) measures their age.
 */
const KEEP_MS = 86_400_000;

async function sweepUnconfirmed(rc: RuntimeContext): Promise<void> {
  const dir = importDir(rc);
  for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
    const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
    if (stat && systemClock().getTime() - stat.mtimeMs > KEEP_MS) await fs.promises.rm(path.join(dir, name), { force: true });
  }
}

async function ownImport(rc: RuntimeContext, actor: Actor, id: string): Promise<DirectoryImportRow> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await getImport(rc.db, id) : undefined;
  // Another admin's import is as good as missing: its id in a forged form confirms nothing.
  if (!row || row.actorId !== actor.userId) throw new LvzError('LVZ_RUN_NOT_FOUND', '没有找到这次导入：请重新上传文件', { params: { import: id } });
  return row;
}

/**
 * Step 2 (确认导入): claims the checked import (checked -> applying, once: a replayed confirm finds
 * it taken and does nothing) and applies it in the background; the page polls importView.
 */
export async function confirmImport(rc: RuntimeContext, actor: Actor, id: string): Promise<void> {
  const row = await ownImport(rc, actor, id);
  if (!(await claimImport(rc.db, row.id))) return;
  const file = path.join(importDir(rc), row.id);
  progress.set(row.id, { done: 0, total: row.created + row.updated });
  const run = async (): Promise<void> => {
    try {
      const bytes = await fs.promises.readFile(file).catch(() => { throw new LvzError('LVZ_RUN_NOT_FOUND', '这次导入的文件已过期（上传超过一天未确认）：请重新上传', {}); });
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw new Error('导入文件的副本已改变');
      const outcome = await importFiles(rc, actor, [{ name: row.fileName, bytes }], {
        source: 'import', batchId: row.id, onProgress: (phase, done, total) => { if (phase === 'write') progress.set(row.id, { done, total }); },
      });
      const r = outcome.result;
      const sum = (k: 'created' | 'updated' | 'unchanged'): number => r.roles[k] + r.orgs[k] + r.people[k] + r.groups[k] + r.members[k];
      await finishImport(rc.db, row.id, { status: 'applied', done: outcome.rows, created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged') });
      remember(row.id, outcome);
    } catch (e) {
      // The directory may have changed since the check: the import is refused whole, nothing written.
      const message = e instanceof LvzError ? e.message : `导入失败（${(e as Error).message}），未做任何修改：请重新上传文件`;
      await finishImport(rc.db, row.id, { status: 'failed', error: message }).catch(() => undefined);
    } finally {
      progress.delete(row.id);
      await fs.promises.rm(file, { force: true });
    }
  };
  void run();
}

export async function importView(rc: RuntimeContext, actor: Actor, id: string): Promise<ImportView> {
  const row = await ownImport(rc, actor, id);
  const p = progress.get(row.id);
  const o = outcomes.get(row.id);
  return {
    id: row.id, fileName: row.fileName, status: row.status, at: row.at, done: p?.done ?? 0, total: p?.total ?? row.created + row.updated,
    sums: { created: row.created, updated: row.updated, unchanged: row.unchanged },
    result: o?.result ?? null, untouched: o?.untouched ?? null, description: o?.description ?? null, error: row.error,
    changes: row.status === 'applied' ? await listChanges(rc.reads, { batchId: row.id, limit: 200 }) : [],
  };
}

/** The demo seed: the committed demo directory (directory/demo/*.csv) through the same import, once. */
export async function seedDemoDirectory(rc: RuntimeContext, files: ImportFile[], passwordHash: string): Promise<boolean> {
  if ((await countUsers(rc.db)) > 0) return false;
  try {
    await importFiles(rc, null, files, { source: 'demo', demoPasswordHash: passwordHash });
  } catch (e) {
    // Two servers starting together on one PostgreSQL: the loser finds the winner's rows.
    if ((await countUsers(rc.db)) > 0) return false;
    throw e;
  }
  return true;
}

/** The Engine's directoryImport (types.ts DirectoryImportOps). */
export function buildDirectoryImport(rc: RuntimeContext): DirectoryImportOps {
  return {
    importFiles: (who, files, opts = {}) => importFiles(rc, who, files, { ...opts, source: who ? 'import' : 'cli' }),
    check: (actor, upload) => checkUpload(rc, actor, upload),
    confirm: (actor, id) => confirmImport(rc, actor, id),
    view: (actor, id) => importView(rc, actor, id),
    scope: async (actor) => {
      ensureImporter(actor);
      return { districtName: (await adminReach(rc.reads, actor))?.district?.name ?? null };
    },
    template: async (actor) => {
      if (actor) ensureImporter(actor);
      return { fileName: TEMPLATE_FILE_NAME, bytes: await buildTemplate() };
    },
  };
}

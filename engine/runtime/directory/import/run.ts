// run.ts: one import from files to rows: read (read-file.ts, outside any transaction), then in one
// transaction load the stored directory, check every row, plan, and write. Any problem, or any
// failure while writing, rolls everything back: nothing already stored changes.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { RoleDef } from '../../../dsl/roles.ts';
import { LvzError } from '../../../errors.ts';
import { applyPlan, type ApplyOptions } from './apply.ts';
import { checkRecords, formatProblem } from './check.ts';
import { planImport, type ImportPlan } from './plan.ts';
import { readImportFile, type ImportFile } from './read-file.ts';
import { readRecords } from './records.ts';
import { loadStored } from './stored.ts';
import type { ImportPlanSummary, ImportProblem, ImportProgress, ImportRecords, ImportScope } from './types.ts';

export interface ImportReport {
  batchId: string;
  /** True when only checked (--dry-run, or the admin page's first step). */
  dryRun: boolean;
  summary: ImportPlanSummary;
}

export interface RunOptions extends Omit<ApplyOptions, 'batchId'> {
  scope: ImportScope;
  /** Roles declared in directory/roles.yaml (the registry's). */
  shipped: readonly RoleDef[];
  batchId?: string;
  dryRun?: boolean;
  /** Called inside the transaction once the rows are written (e.g. the import's own log row). */
  onApplied?: (trx: Knex, plan: ImportPlan) => Promise<void>;
}

/** LVZ_DIR_INVALID listing every problem (params.problems), with the first ones in the message. */
export function invalidFile(problems: ImportProblem[]): LvzError {
  const shown = problems.slice(0, 5).map(formatProblem).join('；');
  return new LvzError('LVZ_DIR_INVALID',
    `通讯录文件有 ${problems.length} 处错误，没有导入任何内容：${shown}${problems.length > 5 ? '……' : ''}。请改正后重新导入`,
    { params: { problems, where: problems[0] && { sheet: problems[0].sheet, line: problems[0].line } } });
}

/** Every file's sheets, as records. */
export async function readFiles(files: ImportFile[], onProgress?: ImportProgress): Promise<ImportRecords> {
  const sheets = [];
  for (const f of files) sheets.push(...await readImportFile(f));
  const records = readRecords(sheets);
  const rows = sheets.reduce((n, s) => n + s.rows.length, 0);
  onProgress?.('check', rows, rows);
  return records;
}

export async function runImport(db: Knex, records: ImportRecords, o: RunOptions): Promise<ImportReport> {
  const batchId = o.batchId ?? randomUUID();
  return db.transaction(async (trx) => {
    const stored = await loadStored(trx, o.shipped);
    const problems = checkRecords(records, stored, o.scope);
    if (problems.length > 0) throw invalidFile(problems);
    const plan = planImport(records, stored, o.scope);
    if (!o.dryRun) {
      await applyPlan(trx, plan, stored, { ...o, batchId });
      await o.onApplied?.(trx, plan);
    }
    return { batchId, dryRun: !!o.dryRun, summary: plan.summary };
  });
}

/** 新建 3 人、更新 1 人、12 人不变；…; 文件中没有的 N 人保持不变 — for the CLI and the page. */
export function describeSummary(s: ImportPlanSummary): string {
  const part = (what: string, unit: string, c: { created: number; updated: number; unchanged: number }): string | undefined =>
    c.created + c.updated + c.unchanged === 0 ? undefined : `${what}：新建 ${c.created} ${unit}，更新 ${c.updated} ${unit}，${c.unchanged} ${unit}不变`;
  return [
    part('角色', '个', s.roles), part('组织', '个', s.orgs), part('人员', '人', s.people), part('分组', '个', s.groups), part('分组成员', '人', s.members),
    `文件中没有的 ${s.untouchedPeople} 人保持不变（导入不删除、不停用任何人）`,
  ].filter(Boolean).join('；');
}

// types.ts: what the directory import reads (sheets of text cells) and what it makes of them:
// records with their sheet and line, and the problems a row shows on its own.

import type { DeputyLevel, DirectoryChangeRow, OrgRow } from '../../../store/types.ts';
import type { DirectoryImportRow } from '../../../store/directory-imports.ts';
import type { Actor } from '../../../model/actor.ts';
import type { ChangeResult } from '../changes.ts';

/** Where a row came from, for every message: 人员 第 12 行. */
export interface RowPlace {
  sheet: string;
  /** 1-based line in the sheet (the header is a line too), as Excel and a text editor number it. */
  line: number;
}

/** A sheet as read: its header and its non-empty rows, every cell as trimmed text. */
export interface RawSheet {
  /** The file it came from (a CSV's name can say which sheet it is). */
  file: string;
  /** The sheet's name in an .xlsx; for a CSV, the one given (--sheet) or ''. */
  name: string;
  headerLine: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** One problem in the file, by sheet and line (line 0: the sheet or file as a whole). */
export interface ImportProblem extends RowPlace {
  message: string;
}

export interface OrgRecord {
  at: RowPlace;
  id: string;
  name: string;
  kind: OrgRow['kind'];
  parentId: string | null;
  /** Undefined when the 排序 column is absent or blank: the stored value (or the row order) stays. */
  sort?: number;
  disabled?: boolean;
}

export interface PersonRecord {
  at: RowPlace;
  id: string;
  name: string;
  orgId: string;
  roles: string[];
  /** Undefined when the column is absent from the sheet: the stored value stays. */
  phone?: string | null;
  deputyLevel?: DeputyLevel | null;
  constituency?: string | null;
  disabled?: boolean;
}

export interface GroupRecord {
  at: RowPlace;
  id: string;
  name: string;
  description?: string;
}

export interface MemberRecord {
  at: RowPlace;
  groupId: string;
  userId: string;
  worksFor: string | null;
}

export interface RoleRecord {
  at: RowPlace;
  id: string;
  label: string;
  description: string;
}

/** The file, read into records; `problems` are those found while reading (headers, cell formats). */
export interface ImportRecords {
  orgs: OrgRecord[];
  people: PersonRecord[];
  groups: GroupRecord[];
  members: MemberRecord[];
  roles: RoleRecord[];
  problems: ImportProblem[];
}

/** Progress of a long read or write: `done` of `total` rows. */
export type ImportProgress = (phase: 'read' | 'write', done: number, total: number) => void;

/** The import as the Engine exposes it (engine.directoryImport); the server and the CLI call only this. */
export interface DirectoryImportOps {
  /** Reads, checks and (unless dryRun) writes the files as one import; `who` null: the command line. */
  importFiles(who: Actor | null, files: { name: string; bytes: Buffer; sheet?: string }[],
    opts?: { dryRun?: boolean; onProgress?: ImportProgress }): Promise<ImportOutcome>;
  /** The admin page's step 1: check an uploaded file, keep it for step 2; nothing written to the directory. */
  check(actor: Actor, upload: { filename: string; tempPath: string; size: number }): Promise<{ id: string; outcome: ImportOutcome }>;
  /** Step 2 (确认导入): applies the checked import once, in the background; a replay does nothing. */
  confirm(actor: Actor, id: string): Promise<void>;
  /** How an import stands (status, progress, counts, its audit rows); only its own admin sees it. */
  view(actor: Actor, id: string): Promise<ImportView>;
  /** Who may import what: LVZ_AUTH_FORBIDDEN for a non-admin; a district admin's district by name. */
  scope(actor: Actor): Promise<{ districtName: string | null }>;
  /** The template workbook (.xlsx) and its file name (for administrators). */
  template(actor: Actor | null): Promise<{ fileName: string; bytes: Buffer }>;
}

export interface ImportOutcome {
  batchId: string;
  dryRun: boolean;
  result: ChangeResult;
  /** People stored but not in the file: left as they are (an import never deletes or disables). */
  untouched: number;
  /** Data rows in the file. */
  rows: number;
  /** zh-CN lines: 人员：新建 3 人，更新 1 人，12 人不变 … 文件中没有的 N 人保持不变. */
  description: string[];
}

/** One import as its page shows it (status, progress, counts, its audit rows). */
export interface ImportView {
  id: string;
  fileName: string;
  status: DirectoryImportRow['status'];
  at: string;
  done: number;
  total: number;
  /** All kinds together, from the row (any process can show them). */
  sums: { created: number; updated: number; unchanged: number };
  /** Per kind, and the people left as they were: known to the process that applied the import. */
  result: ChangeResult | null;
  untouched: number | null;
  /** The outcome's zh-CN lines (ImportOutcome.description), when known. */
  description: string[] | null;
  error: string | null;
  /** The audit rows the import wrote (newest first, at most 200). */
  changes: DirectoryChangeRow[];
}

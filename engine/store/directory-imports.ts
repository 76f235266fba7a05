// directory-imports.ts: all SQL for `directory_imports` (migration 017): one row per import, from
// its check to its end, so a confirm is applied once and a page can show how far it got.

import type { Db } from './db.ts';

export type ImportStatus = 'checked' | 'applying' | 'applied' | 'failed';

export interface DirectoryImportRow {
  id: string;
  at: string;
  actorId: string | null;
  fileName: string;
  sha256: string;
  status: ImportStatus;
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  error: string | null;
}

type Raw = Record<string, unknown>;

function toImport(r: Raw): DirectoryImportRow {
  return {
    id: String(r.id), at: String(r.at), actorId: (r.actor_id as string | null) ?? null, fileName: String(r.file_name),
    sha256: String(r.sha256), status: r.status as ImportStatus, total: Number(r.total), done: Number(r.done),
    created: Number(r.created), updated: Number(r.updated), unchanged: Number(r.unchanged), error: (r.error as string | null) ?? null,
  };
}

export async function insertImport(db: Db, row: Omit<DirectoryImportRow, 'done' | 'error'>): Promise<void> {
  await db('directory_imports').insert({
    id: row.id, at: row.at, actor_id: row.actorId, file_name: row.fileName, sha256: row.sha256, status: row.status,
    total: row.total, done: 0, created: row.created, updated: row.updated, unchanged: row.unchanged, error: null,
  });
}

export async function getImport(db: Db, id: string): Promise<DirectoryImportRow | undefined> {
  const r = await db('directory_imports').where({ id }).first();
  return r ? toImport(r) : undefined;
}

/** Moves a checked import to `applying`; false when it was not `checked` (applied, failed, or taken by a replayed confirm). */
export async function claimImport(db: Db, id: string): Promise<boolean> {
  return (await db('directory_imports').where({ id, status: 'checked' }).update({ status: 'applying' })) === 1;
}

export async function finishImport(db: Db, id: string, patch: Partial<Pick<DirectoryImportRow, 'status' | 'done' | 'total' | 'created' | 'updated' | 'unchanged' | 'error'>>): Promise<void> {
  const cols: Raw = {};
  for (const [k, v] of Object.entries(patch)) cols[k] = v;
  await db('directory_imports').where({ id }).update(cols);
}

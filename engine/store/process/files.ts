// files.ts: all SQL for uploaded files: record, load, and attach to an instance on submit.

import type { Knex } from 'knex';
import type { FileRow } from './types.ts';

type Raw = Record<string, unknown>;

function toFile(r: Raw): FileRow {
  return {
    id: String(r.id), instanceId: (r.instance_id as string | null) ?? null, field: String(r.field),
    name: String(r.name), mime: String(r.mime), size: Number(r.size), path: String(r.path),
    uploadedBy: String(r.uploaded_by), createdAt: String(r.created_at),
  };
}

export async function insertFile(db: Knex, f: FileRow): Promise<void> {
  await db('files').insert({
    id: f.id, instance_id: f.instanceId, field: f.field, name: f.name, mime: f.mime, size: f.size,
    path: f.path, uploaded_by: f.uploadedBy, created_at: f.createdAt,
  });
}

export async function getFile(db: Knex, id: string): Promise<FileRow | undefined> {
  const r = await db('files').where({ id }).first();
  return r ? toFile(r) : undefined;
}

export async function getFiles(db: Knex, ids: string[]): Promise<FileRow[]> {
  if (ids.length === 0) return [];
  return (await db('files').whereIn('id', ids)).map(toFile);
}

/** Attach the uploader's still-unattached files to an instance; someone else's ids are ignored. */
export async function attachFiles(db: Knex, instanceId: string, ids: string[], uploaderIds: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return db('files').whereIn('id', ids).whereNull('instance_id').whereIn('uploaded_by', uploaderIds).update({ instance_id: instanceId });
}

/** What a user holds now: unattached uploads (bytes, files) and bytes uploaded since `sinceIso`. */
export async function uploadUsage(db: Knex, userId: string, sinceIso: string): Promise<{ pendingBytes: number; pendingFiles: number; sinceBytes: number }> {
  const pending = await db('files').where({ uploaded_by: userId }).whereNull('instance_id')
    .select(db.raw('coalesce(sum(size), 0) as bytes'), db.raw('count(*) as n')).first();
  const since = await db('files').where({ uploaded_by: userId }).where('created_at', '>=', sinceIso)
    .select(db.raw('coalesce(sum(size), 0) as bytes')).first();
  return { pendingBytes: Number(pending?.bytes ?? 0), pendingFiles: Number(pending?.n ?? 0), sinceBytes: Number(since?.bytes ?? 0) };
}

/**
 * Holds the uploader's user row until the transaction ends, so two uploads of one user check the
 * quota one after the other (PostgreSQL; SQLite has one writer and needs no lock).
 */
export async function lockUploader(tx: Knex, userId: string): Promise<void> {
  if (tx.client.config.client === 'pg') await tx('users').where({ id: userId }).forUpdate().first('id');
}

/** Unattached files created before `beforeIso`, oldest first. */
export async function orphanFiles(db: Knex, beforeIso: string, limit: number): Promise<{ id: string; path: string }[]> {
  const rows = await db('files').whereNull('instance_id').where('created_at', '<', beforeIso).orderBy('created_at').limit(limit).select('id', 'path');
  return rows.map((r: Raw) => ({ id: String(r.id), path: String(r.path) }));
}

/**
 * Deletes one orphan only if it is still unattached and old: the statement itself re-checks, so a
 * file a start attached in the meantime stays, and a second process deleting it too deletes 0.
 */
export async function deleteOrphanFile(db: Knex, id: string, beforeIso: string): Promise<boolean> {
  return (await db('files').where({ id }).whereNull('instance_id').where('created_at', '<', beforeIso).del()) > 0;
}

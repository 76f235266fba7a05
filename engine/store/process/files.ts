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

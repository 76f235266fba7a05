// studio.ts: SQL for the admin studio: version lists, the newest version, drafts, and the
// instance rows a migration moves. Definitions rows are only ever inserted (a publish never
// rewrites an older version's text).

import type { Knex } from 'knex';
import type { DefinitionRow, InstanceRow } from './types.ts';
import { toDefinition } from './definitions.ts';
import { getInstances } from './instances.ts';

type Kind = DefinitionRow['kind'];

/** Every version of one definition, oldest first. */
export async function definitionVersions(db: Knex, kind: Kind, id: string): Promise<DefinitionRow[]> {
  return (await db('definitions').where({ kind, id }).orderBy('version')).map(toDefinition);
}

export async function latestDefinition(db: Knex, kind: Kind, id: string): Promise<DefinitionRow | undefined> {
  const r = await db('definitions').where({ kind, id }).orderBy('version', 'desc').first();
  return r ? toDefinition(r) : undefined;
}

/** The newest version of every definition of a kind: one small indexed scan, used to notice another process's publish. */
export async function latestVersions(db: Knex, kind: Kind): Promise<Map<string, number>> {
  const rows = await db('definitions').where({ kind }).groupBy('id').select('id').max({ v: 'version' });
  return new Map(rows.map((r: Record<string, unknown>) => [String(r.id), Number(r.v)]));
}

/** Whether an insert failed on the unique (kind, id, version) index: another publish won. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '23505' || (err.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(err.message ?? ''));
}

export interface DraftRow {
  kind: Kind;
  id: string;
  authorId: string;
  text: string;
  baseVersion: number;
  updatedAt: string;
}

export async function getDraft(db: Knex, kind: Kind, id: string, authorId: string): Promise<DraftRow | undefined> {
  const r = await db('definition_drafts').where({ kind, id, author_id: authorId }).first();
  return r ? { kind, id, authorId, text: String(r.text), baseVersion: Number(r.base_version), updatedAt: String(r.updated_at) } : undefined;
}

export async function saveDraftRow(db: Knex, d: DraftRow): Promise<void> {
  await db('definition_drafts')
    .insert({ kind: d.kind, id: d.id, author_id: d.authorId, text: d.text, base_version: d.baseVersion, updated_at: d.updatedAt })
    .onConflict(['kind', 'id', 'author_id']).merge({ text: d.text, base_version: d.baseVersion, updated_at: d.updatedAt });
}

export async function deleteDraft(db: Knex, kind: Kind, id: string, authorId: string): Promise<void> {
  await db('definition_drafts').where({ kind, id, author_id: authorId }).delete();
}

/** Running (active or draft) instances of one workflow version, oldest first. */
export async function runningOnVersion(db: Knex, workflowId: string, version: number): Promise<InstanceRow[]> {
  const ids = (await db('instances').where({ workflow_id: workflowId, workflow_version: version })
    .whereIn('status', ['active', 'draft']).orderBy('created_at').select('id')).map((r: Record<string, unknown>) => String(r.id));
  const rows = await getInstances(db, ids);
  return ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);
}

/** Running instances per workflow version: `id@version` -> count. */
export async function runningCounts(db: Knex): Promise<Map<string, number>> {
  const rows = await db('instances').whereIn('status', ['active', 'draft']).groupBy('workflow_id', 'workflow_version')
    .select('workflow_id', 'workflow_version').count({ n: '*' });
  return new Map(rows.map((r: Record<string, unknown>) => [`${String(r.workflow_id)}@${Number(r.workflow_version)}`, Number(r.n)]));
}

/** A migration's one extra column: the version the instance now runs on (the rest goes through updateInstance). */
export async function setWorkflowVersion(db: Knex, instanceId: string, version: number): Promise<void> {
  await db('instances').where({ id: instanceId }).update({ workflow_version: version });
}

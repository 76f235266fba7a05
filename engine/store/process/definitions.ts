// definitions.ts: every definition text the engine has run, by (kind, id, version), so an
// instance can always be run on the version it started with (issue 4 adds author and message).

import type { Knex } from 'knex';
import type { DefinitionRow } from './types.ts';

type Raw = Record<string, unknown>;

export function toDefinition(r: Raw): DefinitionRow {
  return {
    kind: r.kind as DefinitionRow['kind'], id: String(r.id), version: Number(r.version),
    text: String(r.text), hash: String(r.hash), createdAt: String(r.created_at),
    authorId: (r.author_id as string | null) ?? null, message: (r.message as string | null) ?? null,
    owner: (r.owner as string | null) ?? null, sourceText: (r.source_text as string | null) ?? null,
    parentId: (r.parent_id as string | null) ?? null, parentVersion: r.parent_version == null ? null : Number(r.parent_version),
  };
}

export async function getDefinition(db: Knex, kind: DefinitionRow['kind'], id: string, version: number): Promise<DefinitionRow | undefined> {
  const r = await db('definitions').where({ kind, id, version }).first();
  return r ? toDefinition(r) : undefined;
}

export async function listDefinitions(db: Knex, kind?: DefinitionRow['kind']): Promise<DefinitionRow[]> {
  const q = db('definitions').orderBy([{ column: 'kind' }, { column: 'id' }, { column: 'version' }]);
  if (kind) q.where({ kind });
  return (await q).map(toDefinition);
}

export async function insertDefinition(db: Knex, row: DefinitionRow): Promise<void> {
  await db('definitions').insert({
    kind: row.kind, id: row.id, version: row.version, text: row.text, hash: row.hash, created_at: row.createdAt,
    author_id: row.authorId ?? null, message: row.message ?? null, owner: row.owner ?? null,
    source_text: row.sourceText ?? null, parent_id: row.parentId ?? null, parent_version: row.parentVersion ?? null,
  });
}

/** Replace the text of a version no instance has used yet (a shipped file edited in place). */
export async function replaceDefinitionText(db: Knex, row: DefinitionRow): Promise<void> {
  await db('definitions').where({ kind: row.kind, id: row.id, version: row.version }).update({
    text: row.text, hash: row.hash, created_at: row.createdAt,
    ...(row.owner !== undefined && { owner: row.owner }), ...(row.sourceText !== undefined && { source_text: row.sourceText }),
    ...(row.parentId !== undefined && { parent_id: row.parentId, parent_version: row.parentVersion ?? null }),
  });
}

export async function instancesOnVersion(db: Knex, workflowId: string, version: number): Promise<number> {
  const [{ n }] = await db('instances').where({ workflow_id: workflowId, workflow_version: version }).count({ n: '*' });
  return Number(n);
}

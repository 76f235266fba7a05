// new-definitions.ts: SQL for processes created in the studio: the unpublished first text of a new
// workflow or form (a stub), the workflows that may not be started (停用), and the studio's audit lines.

import type { Knex } from 'knex';
import type { DefinitionRow } from './types.ts';

type Kind = DefinitionRow['kind'];

export interface StubRow {
  kind: 'workflow' | 'form';
  id: string;
  text: string;
  title: string;
  sourceId: string | null;
  authorId: string;
  createdAt: string;
}

export interface AuditRow {
  kind: 'workflow' | 'form';
  id: string;
  action: 'create' | 'disable' | 'enable';
  actorId: string;
  at: string;
  note: string | null;
}

type Raw = Record<string, unknown>;

const toStub = (r: Raw): StubRow => ({
  kind: r.kind as StubRow['kind'], id: String(r.id), text: String(r.text), title: String(r.title),
  sourceId: (r.source_id as string | null) ?? null, authorId: String(r.author_id), createdAt: String(r.created_at),
});

export async function getStub(db: Knex, kind: Kind, id: string): Promise<StubRow | undefined> {
  const r = await db('definition_stubs').where({ kind, id }).first();
  return r ? toStub(r) : undefined;
}

export async function listStubs(db: Knex): Promise<StubRow[]> {
  return (await db('definition_stubs').orderBy([{ column: 'kind' }, { column: 'id' }])).map(toStub);
}

export async function insertStub(db: Knex, s: StubRow): Promise<void> {
  await db('definition_stubs').insert({
    kind: s.kind, id: s.id, text: s.text, title: s.title, source_id: s.sourceId, author_id: s.authorId, created_at: s.createdAt,
  });
}

export async function deleteStub(db: Knex, kind: Kind, id: string): Promise<void> {
  await db('definition_stubs').where({ kind, id }).delete();
}

/**
 * Serialise creations of one id on PostgreSQL (a workflow and a form of the same id are rows of two
 * tables, so no unique index covers both); SQLite has one writer already. Held until the transaction ends.
 */
export async function lockNewId(tx: Knex, id: string): Promise<void> {
  if (tx.client.config.client === 'pg') await tx.raw('select pg_advisory_xact_lock(7266, hashtext(?))', [id]);
}

/** Whether any definition (published or stub, either kind) already uses the id. */
export async function isIdTaken(db: Knex, id: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    db('definitions').where({ id }).whereIn('kind', ['workflow', 'form']).first('id'),
    db('definition_stubs').where({ id }).first('id'),
  ]);
  return !!a || !!b;
}

/** Disabled workflow ids among `ids` (all of them when `ids` is undefined). */
export async function disabledWorkflows(db: Knex, ids?: string[]): Promise<Map<string, { actorId: string; at: string }>> {
  const q = db('disabled_workflows').select('id', 'actor_id', 'at');
  if (ids) q.whereIn('id', ids);
  return new Map((await q).map((r: Raw) => [String(r.id), { actorId: String(r.actor_id), at: String(r.at) }]));
}

/** Marks a workflow disabled; false when it already was (the primary key makes a second click a no-op). */
export async function disableWorkflow(db: Knex, id: string, actorId: string, at: string): Promise<boolean> {
  const rows = await db('disabled_workflows').insert({ id, actor_id: actorId, at }).onConflict('id').ignore().returning('id');
  return Array.isArray(rows) && rows.length > 0;
}

/** Enables a workflow again; false when it was not disabled. */
export async function enableWorkflow(db: Knex, id: string): Promise<boolean> {
  return (await db('disabled_workflows').where({ id }).delete()) > 0;
}

export async function insertAudit(db: Knex, a: AuditRow): Promise<void> {
  await db('definition_audit').insert({ kind: a.kind, id: a.id, action: a.action, actor_id: a.actorId, at: a.at, note: a.note });
}

export async function auditOf(db: Knex, kind: Kind, id: string): Promise<AuditRow[]> {
  return (await db('definition_audit').where({ kind, id }).orderBy('seq')).map((r: Raw) => ({
    kind: r.kind as AuditRow['kind'], id: String(r.id), action: r.action as AuditRow['action'],
    actorId: String(r.actor_id), at: String(r.at), note: (r.note as string | null) ?? null,
  }));
}

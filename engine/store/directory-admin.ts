// directory-admin.ts: the SQL behind 通讯录管理's pages beside directory-data.ts: people per org,
// one person's group memberships, the change history paged, counted and searched, and ending a
// user's sessions but one (修改密码).

import type { Db } from './db.ts';
import type { GroupMemberRow } from './types.ts';

type Raw = Record<string, unknown>;

/** `%`, `_` and the escape itself stand for themselves in a LIKE pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** People per org id (active and disabled alike), for the org tree. */
export async function countPeopleByOrg(db: Db): Promise<Map<string, number>> {
  const rows: Raw[] = await db('users').select('org_id').count({ n: '*' }).where('disabled', false).groupBy('org_id');
  return new Map(rows.map((r) => [String(r.org_id), Number(r.n)]));
}

export interface ChangeSearch {
  entity?: string;
  entityId?: string;
  /** Only lines about these rows (a district admin's people, orgs and groups). */
  entityIds?: string[];
  source?: string;
  /** Part of the summary or the row's id. */
  q?: string;
  /** Rows whose name matches `q` (worked out from the directory by the caller). */
  named?: string[];
  limit: number;
  offset: number;
}

export interface ChangeHit {
  id: string;
  at: string;
  actorName: string;
  source: string;
  entity: string;
  entityId: string;
  action: string;
  summary: string;
}

function changesWhere(db: Db, s: ChangeSearch) {
  const q = db('directory_changes');
  if (s.entity) q.where('entity', s.entity);
  if (s.entityId) q.where('entity_id', s.entityId);
  if (s.entityIds) q.whereIn('entity_id', s.entityIds.length ? s.entityIds : ['']);
  if (s.source) q.where('source', s.source);
  const text = s.q?.trim();
  if (text) {
    const p = likePattern(text);
    q.where((w) => {
      w.whereRaw("summary like ? escape '\\'", [p]).orWhereRaw("entity_id like ? escape '\\'", [likePattern(text.toLowerCase())]);
      if (s.named?.length) w.orWhereIn('entity_id', s.named);
    });
  }
  return q;
}

/** The history newest first, one page, and how many lines match. */
export async function searchChanges(db: Db, s: ChangeSearch): Promise<{ items: ChangeHit[]; total: number }> {
  const [count] = await changesWhere(db, s).count({ n: '*' });
  const rows: Raw[] = await changesWhere(db, s).select('id', 'at', 'actor_name', 'source', 'entity', 'entity_id', 'action', 'summary')
    .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(s.limit).offset(s.offset);
  return {
    total: Number(count?.n ?? 0),
    items: rows.map(toHit),
  };
}

function toHit(r: Raw): ChangeHit {
  return {
    id: String(r.id), at: String(r.at), actorName: String(r.actor_name ?? ''), source: String(r.source), entity: String(r.entity),
    entityId: String(r.entity_id), action: String(r.action), summary: String(r.summary ?? ''),
  };
}

/**
 * The history lines about a person beside their own: group memberships (joined, changed, left), kept
 * under the group with the member's row as JSON before/after. Newest first.
 */
export async function membershipChangesOf(db: Db, userId: string, limit: number): Promise<ChangeHit[]> {
  const p = likePattern(`"userId":${JSON.stringify(userId)}`);
  const rows: Raw[] = await db('directory_changes').where('entity', 'group')
    .where((w) => w.whereRaw("?? like ? escape '\\'", ['after', p]).orWhereRaw("?? like ? escape '\\'", ['before', p]))
    .select('id', 'at', 'actor_name', 'source', 'entity', 'entity_id', 'action', 'summary')
    .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  return rows.map(toHit);
}

/** The groups a person belongs to, with the deputy they work for in each. */
export async function membershipsOf(db: Db, userId: string): Promise<GroupMemberRow[]> {
  const rows: Raw[] = await db('group_members').select('*').where({ user_id: userId }).orderBy('group_id');
  return rows.map((r) => ({ groupId: String(r.group_id), userId: String(r.user_id), worksFor: (r.works_for as string | null) ?? null, sort: Number(r.sort) }));
}

/** Ends every session of the user except `keepId` (the browser that just changed the password). */
export async function deleteOtherSessions(db: Db, userId: string, keepId?: string): Promise<void> {
  const q = db('sessions').where({ user_id: userId });
  if (keepId) q.whereNot({ id: keepId });
  await q.delete();
}

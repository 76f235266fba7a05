// admin-history.ts: 修改记录: the directory's audit history (directory_changes) as the pages show it,
// each line with the row's name today. A district's admin sees the lines about their district's
// people and orgs only.

import { searchChanges, type ChangeHit } from '../../store/directory-admin.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import type { Page } from '../../model/page.ts';
import type { DirectorySnapshot } from './snapshot.ts';
import { directoryReach, reaches, type DirectoryReach } from './admin-scope.ts';
import type { ChangeView, HistoryQuery } from './admin-types.ts';

/** A history row as the store's search returns it. */
type ChangeLine = ChangeHit;

const SOURCES = ['admin', 'import', 'cli', 'demo'] as const;
const ENTITIES = ['user', 'org', 'group', 'role'] as const;

function nameOf(snap: DirectorySnapshot, rc: RuntimeContext, entity: string, id: string): string {
  if (entity === 'user') return snap.people.get(id)?.name ?? id;
  if (entity === 'org') return snap.orgs.get(id)?.name ?? id;
  if (entity === 'group') return snap.groups.get(id)?.name ?? id;
  return rc.registry.roles.has(id) ? rc.registry.roles.labelOf(id) : id;
}

export function changeViews(snap: DirectorySnapshot, rc: RuntimeContext, rows: ChangeLine[]): ChangeView[] {
  return rows.map((r) => ({
    id: r.id, at: r.at, actorName: r.actorName || (r.source === 'cli' ? '命令行' : ''),
    source: (SOURCES as readonly string[]).includes(r.source) ? r.source as ChangeView['source'] : 'admin',
    entity: (ENTITIES as readonly string[]).includes(r.entity) ? r.entity as ChangeView['entity'] : 'user',
    entityId: r.entityId, entityName: nameOf(snap, rc, r.entity, r.entityId), action: r.action, summary: r.summary,
  }));
}

/** The lines a district's admin may read: about a person or org in their district, or a group it owns. */
function visibleIds(snap: DirectorySnapshot, reach: DirectoryReach): string[] | undefined {
  const d = reach.district;
  if (!d) return undefined;
  const ids = [...d.orgs];
  for (const p of snap.people.values()) if (reaches(reach, p.orgId)) ids.push(p.id);
  for (const g of snap.groups.values()) if (g.ownerOrg === d.id) ids.push(g.id);
  return ids;
}

/** People, orgs and groups whose name contains the text: a search for 张敏 finds the lines about review1. At most 500. */
function namedLike(snap: DirectorySnapshot, text: string): string[] {
  const out: string[] = [];
  for (const map of [snap.people, snap.orgs, snap.groups] as Map<string, { id: string; name: string }>[]) {
    for (const x of map.values()) if (x.name.includes(text) && out.length < 500) out.push(x.id);
  }
  return out;
}

export async function listHistory(rc: RuntimeContext, actor: Actor, query: HistoryQuery): Promise<Page<ChangeView>> {
  const reach = await directoryReach(rc.reads, actor);
  const snap = await rc.snapshot();
  const page = Math.max(1, Math.floor(query.page) || 1);
  const entity = (ENTITIES as readonly string[]).includes(query.entity ?? '') ? query.entity : undefined;
  const source = (SOURCES as readonly string[]).includes(query.source ?? '') ? query.source : undefined;
  const ids = visibleIds(snap, reach);
  const text = query.q?.trim().slice(0, 100);
  const { items, total } = await searchChanges(rc.searches, {
    ...(entity && { entity }), ...(source && { source }), ...(text && { q: text, named: namedLike(snap, text) }),
    ...(ids && { entityIds: ids }), limit: query.pageSize, offset: (page - 1) * query.pageSize,
  });
  return { items: changeViews(snap, rc, items), total, isCapped: false, page, pageSize: query.pageSize };
}

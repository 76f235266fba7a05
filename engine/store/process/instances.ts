// instances.ts: all SQL for process instances: insert, load, the optimistic update, and the scoped list.

import type { Knex } from 'knex';
import type { Holder, InstanceRow, InstanceStatus, SpawnedBy, StoredSnapshot } from './types.ts';
import { fromJson, toJson } from './json.ts';
import { compiled } from '../compiled.ts';

type Raw = Record<string, unknown>;

export function toInstance(r: Raw): InstanceRow {
  return {
    id: String(r.id), number: String(r.number), workflowId: String(r.workflow_id),
    workflowVersion: Number(r.workflow_version), title: String(r.title), state: String(r.state),
    status: r.status as InstanceStatus, initiatorId: String(r.initiator_id), initiatorOrg: String(r.initiator_org),
    data: fromJson(r.data, {}), snapshot: fromJson<StoredSnapshot>(r.snapshot, { value: '', tally: {}, visits: {} }),
    version: Number(r.version), parentId: (r.parent_id as string | null) ?? null,
    ...(r.parent_state != null && { spawnedBy: spawnedByOf(r) }),
    createdAt: String(r.created_at), updatedAt: String(r.updated_at), endedAt: (r.ended_at as string | null) ?? null,
  };
}

/** An instance as a list shows it: not its form data nor its machine's snapshot, the bulk of a row. */
export type ListedInstance = Pick<InstanceRow, 'id' | 'number' | 'workflowId' | 'workflowVersion' | 'title' | 'state' | 'status' | 'initiatorId' | 'createdAt' | 'updatedAt'>;

const LISTED_COLUMNS = ['id', 'number', 'workflow_id', 'workflow_version', 'title', 'state', 'status', 'initiator_id', 'created_at', 'updated_at'].map((c) => `i.${c}`);

function toListed(r: Raw): ListedInstance {
  return {
    id: String(r.id), number: String(r.number), workflowId: String(r.workflow_id), workflowVersion: Number(r.workflow_version),
    title: String(r.title), state: String(r.state), status: r.status as InstanceStatus, initiatorId: String(r.initiator_id),
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function spawnedByOf(r: Raw): SpawnedBy {
  return { state: String(r.parent_state), visit: Number(r.parent_visit), item: r.parent_item == null ? null : Number(r.parent_item) };
}

export async function insertInstance(db: Knex, row: InstanceRow): Promise<void> {
  await db('instances').insert({
    id: row.id, number: row.number, workflow_id: row.workflowId, workflow_version: row.workflowVersion,
    title: row.title, state: row.state, status: row.status, initiator_id: row.initiatorId,
    initiator_org: row.initiatorOrg, data: toJson(row.data), snapshot: toJson(row.snapshot), version: row.version,
    parent_id: row.parentId, parent_state: row.spawnedBy?.state ?? null, parent_visit: row.spawnedBy?.visit ?? null,
    parent_item: row.spawnedBy?.item ?? null, created_at: row.createdAt, updated_at: row.updatedAt, ended_at: row.endedAt,
  });
}

export async function getInstance(db: Knex, id: string): Promise<InstanceRow | undefined> {
  const r = await db('instances').where({ id }).first();
  return r ? toInstance(r) : undefined;
}

/**
 * Load an instance to change it, inside a write transaction. On PostgreSQL the row is locked
 * (`select … for update`) until the transaction ends, so two events on one instance run one after
 * the other, as under SQLite's single writer (writeTx), and every read after the lock sees the
 * winner's rows: event `seq`, reminder counts and the version check stay exact. Lock the instance
 * before any other row of it (tasks, timers) so two transactions never wait on each other.
 */
export async function lockInstance(tx: Knex, id: string): Promise<InstanceRow | undefined> {
  const q = tx('instances').where({ id });
  if (tx.client.config.client === 'pg') q.forUpdate();
  const r = await q.first();
  return r ? toInstance(r) : undefined;
}

const INSTANCE_COLUMNS = [
  'id', 'number', 'workflow_id', 'workflow_version', 'title', 'state', 'status', 'initiator_id', 'initiator_org',
  'data', 'snapshot', 'version', 'parent_id', 'parent_state', 'parent_visit', 'parent_item', 'created_at', 'updated_at', 'ended_at',
];

/** `i.<column> as i__<column>` for every instance column: a join reads an instance beside another row. */
export function instanceColumnsAs(alias = 'i'): string[] {
  return INSTANCE_COLUMNS.map((c) => `${alias}.${c} as ${alias}__${c}`);
}

/** The instance of a joined row selected with instanceColumnsAs. */
export function instanceOfJoined(r: Raw, alias = 'i'): InstanceRow {
  return toInstance(Object.fromEntries(INSTANCE_COLUMNS.map((c) => [c, r[`${alias}__${c}`]])));
}

export async function getInstances(db: Knex, ids: string[]): Promise<InstanceRow[]> {
  if (ids.length === 0) return [];
  return (await db('instances').whereIn('id', ids)).map(toInstance);
}

export async function childrenOf(db: Knex, parentId: string): Promise<InstanceRow[]> {
  return (await db('instances').where({ parent_id: parentId }).orderBy('created_at').orderBy('parent_item')).map(toInstance);
}

/** The children one visit of a parent's step started (spawn:), in `each:` order. */
export async function childrenOfStep(db: Knex, parentId: string, state: string, visit: number): Promise<InstanceRow[]> {
  return (await db('instances').where({ parent_id: parentId, parent_state: state, parent_visit: visit })
    .orderBy('parent_item').orderBy('created_at')).map(toInstance);
}

export type InstancePatch = Partial<Pick<InstanceRow, 'title' | 'state' | 'status' | 'data' | 'snapshot' | 'endedAt'>> & { updatedAt: string };

/**
 * The optimistic write: succeeds only if nobody bumped `version` since we read it. Returns false
 * when 0 rows matched, which the runtime turns into LVZ_RUN_CONFLICT and a rollback.
 */
export async function updateInstance(db: Knex, id: string, expectedVersion: number, patch: InstancePatch): Promise<boolean> {
  const cols: Raw = { version: expectedVersion + 1, updated_at: patch.updatedAt };
  if (patch.title !== undefined) cols.title = patch.title;
  if (patch.state !== undefined) cols.state = patch.state;
  if (patch.status !== undefined) cols.status = patch.status;
  if (patch.data !== undefined) cols.data = toJson(patch.data);
  if (patch.snapshot !== undefined) cols.snapshot = toJson(patch.snapshot);
  if (patch.endedAt !== undefined) cols.ended_at = patch.endedAt;
  const names = Object.keys(cols);
  const rows = await compiled(db, `updateInstance:${names.join(',')}`, [...names.map((c) => cols[c]), id, expectedVersion],
    () => db('instances').where({ id, version: expectedVersion }).update(cols, ['id']));
  return rows.length === 1;
}

/**
 * Next sequence number of a workflow in a year (1, 2, …; the runtime writes it in the workflow's
 * `number:` format). One upsert: the first start of a year inserts 1, later ones add 1; the row lock
 * it takes serialises concurrent starts until commit (two PostgreSQL transactions cannot both insert
 * the first row and fail on the primary key).
 */
export async function nextSequence(db: Knex, workflowId: string, year: number): Promise<number> {
  const name = `${workflowId}:${year}`;
  const [r] = await db('sequences').insert({ name, value: 1 }).onConflict('name')
    .merge({ value: db.raw('?? + 1', ['sequences.value']) }).returning('value');
  return Number(r.value);
}

/** What an actor may see of instances: everything, whole workflows, or by involvement. */
export interface InstanceScope {
  all: boolean;
  workflows: string[];
  holders: Holder[];
  /** A district admin's orgs: every instance whose initiator org is one of them (runtime/admin-scope.ts). */
  orgs?: string[];
}

export interface InstanceQuery {
  page: number;
  pageSize: number;
  q?: string;
  workflowId?: string;
  status?: string;
  state?: string;
  /** Only instances these users started (我发起的). */
  initiatorIds?: string[];
}

/** Rows where one of the holders holds, held or completed a task (including 抄送). */
export function involvement(db: Knex, holders: Holder[], alias = 'i'): Knex.QueryBuilder {
  return db('tasks as t').select(db.raw('1')).whereRaw(`t.instance_id = ${alias}.id`).where((w) => {
    for (const h of holders) {
      w.orWhere('t.assignee_id', h.userId).orWhere('t.completed_by', h.userId);
      if (h.roles.length > 0) {
        w.orWhere((r) => r.whereNull('t.assignee_id').whereIn('t.role', h.roles)
          .where((o) => o.whereNull('t.org_id').orWhere('t.org_id', h.orgId)));
      }
    }
  });
}

/**
 * How a scope's involvement is checked: against the instance ids gathered from the holders' own
 * tasks (`ids`), or instance by instance (`exists`) while reading newest first (`newestFirst`:
 * SQLite is told to keep to the `updated_at` index rather than gather whole workflows and sort).
 */
export interface ScopeShape {
  ids?: string[];
  newestFirst?: boolean;
  /**
   * Newest first: the workflows (beyond the whole ones the viewer sees) the holders ever had a
   * task in (migration 007); an instance of any other workflow is passed over without asking.
   */
  involvedIn?: string[];
}

export function applyScope(db: Knex, q: Knex.QueryBuilder, scope: InstanceScope, alias = 'i', shape: ScopeShape = {}): void {
  if (scope.all) return;
  // `+column` keeps SQLite from using that column's index (its documented hint); PostgreSQL plans by its statistics.
  const hint = shape.newestFirst && db.client.config.client !== 'pg' ? '+' : '';
  const inList = (w: Knex.QueryBuilder, column: string, values: string[]) =>
    w.orWhereRaw(`${hint}${alias}.${column} in (${values.map(() => '?').join(', ')})`, values);
  q.where((w) => {
    if (scope.workflows.length > 0) inList(w, 'workflow_id', scope.workflows);
    inList(w, 'initiator_id', scope.holders.map((h) => h.userId));
    if (scope.orgs && scope.orgs.length > 0) inList(w, 'initiator_org', scope.orgs);
    if (shape.ids) {
      if (shape.ids.length > 0) w.orWhereIn(`${alias}.id`, shape.ids);
    } else if (!shape.involvedIn) {
      w.orWhereExists(involvement(db, scope.holders, alias));
    } else if (shape.involvedIn.length > 0) {
      w.orWhere((x) => inList(x, 'workflow_id', shape.involvedIn!).whereExists(involvement(db, scope.holders, alias)));
    }
  });
}

/**
 * The list reads at most this many of a viewer's instances to sort them itself; a viewer with
 * more (or with whole workflows to see) gets them read newest first from the `updated_at` index.
 */
export const GATHER_LIMIT = 2000;

/**
 * The ids of the instances the holders hold, held or completed a task of (their involvement),
 * read from their own tasks (migration 006); undefined when that is more than `limit` tasks.
 */
export async function involvedInstances(db: Knex, holders: Holder[], limit: number): Promise<string[] | undefined> {
  const userIds = [...new Set(holders.map((h) => h.userId))];
  const tasks = () => db('tasks').select('instance_id');
  // Each part is one partial index's range, its condition spelled as the index's (constants, not
  // parameters, so SQLite sees that it may use it): open, 抄送, and the rest (migration 006).
  const parts = [
    tasks().whereIn('assignee_id', userIds).whereRaw(`status = 'open'`),
    tasks().whereIn('assignee_id', userIds).whereRaw(`kind = 'cc'`),
    tasks().whereIn('assignee_id', userIds).whereRaw(`status <> 'open' and kind <> 'cc'`),
    tasks().whereIn('completed_by', userIds),
    ...holders.filter((h) => h.roles.length > 0).flatMap((h) => [`status = 'open'`, `status <> 'open'`].map((status) =>
      tasks().whereNull('assignee_id').whereRaw(status).whereIn('role', h.roles).where((o) => o.whereNull('org_id').orWhere('org_id', h.orgId)))),
  ];
  const rows: { instance_id: string }[] = await db.select('u.instance_id').from(parts[0]!.unionAll(parts.slice(1)).as('u')).limit(limit + 1);
  return rows.length > limit ? undefined : [...new Set(rows.map((r) => r.instance_id))];
}

/**
 * How to read a viewer's list (ScopeShape): gathered when they see few instances (what they
 * started and their involvement, each found by its index, then sorted), newest first otherwise.
 * Reading newest first and checking each instance is quick when most instances are visible (an
 * office that sees a whole workflow) and slow when few are: a deputy's first page at a million
 * instances took 1.3 s that way, and takes milliseconds gathered.
 */
export async function shapeOf(db: Knex, scope: InstanceScope, limit = GATHER_LIMIT): Promise<ScopeShape> {
  if (scope.all) return {};
  const newestFirst = async (): Promise<ScopeShape> => {
    const workflows = await involvedWorkflows(db, scope.holders);
    return { newestFirst: true, involvedIn: workflows.filter((w) => !scope.workflows.includes(w)) };
  };
  // A district admin sees a district's share of everything: read newest first, as a whole workflow is.
  if (scope.workflows.length > 0 || (scope.orgs?.length ?? 0) > 0) return newestFirst();
  const started = await cappedCount(db, db('instances').whereIn('initiator_id', scope.holders.map((h) => h.userId)).select(db.raw('1')), limit + 1);
  if (started > limit) return newestFirst();
  const ids = await involvedInstances(db, scope.holders, limit);
  return ids ? { ids } : newestFirst();
}

/** The workflows the holders ever had a task in: assigned, completed, or offered to their role (migration 007). */
export async function involvedWorkflows(db: Knex, holders: Holder[]): Promise<string[]> {
  const keys = new Set<string>();
  for (const h of holders) {
    keys.add(`u:${h.userId}`);
    for (const r of h.roles) keys.add(`r:${r}@`).add(`r:${r}@${h.orgId}`);
  }
  const rows: { workflow_id: string }[] = await db('holder_workflows').distinct('workflow_id').whereIn('holder', [...keys]);
  return rows.map((r) => r.workflow_id).sort();
}

function scopedInstances(db: Knex, scope: InstanceScope, query: Omit<InstanceQuery, 'page' | 'pageSize'>, shape: ScopeShape = {}): Knex.QueryBuilder {
  const base = db('instances as i');
  applyScope(db, base, scope, 'i', shape);
  if (query.q) whereMatches(db, base, 'i', query.q);
  // Gathered, the filter is checked on the few rows found; newest first, it picks the index.
  if (query.workflowId) base.whereRaw(`${shape.ids && db.client.config.client !== 'pg' ? '+' : ''}i.workflow_id = ?`, [query.workflowId]);
  if (query.status) base.where('i.status', query.status);
  if (query.state) base.where('i.state', query.state);
  if (query.initiatorIds) base.whereIn('i.initiator_id', query.initiatorIds);
  return base;
}

/** How many instances a query finds, counted up to `cap`. */
export async function countInstances(db: Knex, scope: InstanceScope, query: Omit<InstanceQuery, 'page' | 'pageSize'>, cap: number): Promise<number> {
  return cappedCount(db, scopedInstances(db, scope, query).select(db.raw('1')), cap);
}

/**
 * One page and the total, counted up to `cap` (`total === cap`: that many or more); a `known`
 * total (the caller counted the same query already) is not counted again. `gatherLimit`: see
 * shapeOf (tests lower it to read the same list both ways).
 */
export async function listInstances(db: Knex, viewer: InstanceScope, query: InstanceQuery, cap: number, known?: number, gatherLimit = GATHER_LIMIT): Promise<{ rows: ListedInstance[]; total: number }> {
  const wide = await shapeOf(db, viewer, gatherLimit);
  const { scope, shape } = onlyStarted(viewer, query, wide) ?? { scope: viewer, shape: wide };
  const base = scopedInstances(db, scope, query, shape);
  const total = known ?? await countOf(db, scope, query, shape, base, cap);
  const rows = await base.select(...LISTED_COLUMNS).orderBy([{ column: 'i.updated_at', order: 'desc' }, { column: 'i.id' }])
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  return { rows: rows.map(toListed), total };
}

/**
 * A list filtered to one workflow the viewer neither sees whole nor ever had a task in
 * (`holder_workflows`) can show only what they started in it: read by the initiator's index
 * instead of passing over every instance of the workflow newest first (0.4 s for 50,000 bills).
 */
function onlyStarted(scope: InstanceScope, query: InstanceQuery, shape: ScopeShape): { scope: InstanceScope; shape: ScopeShape } | undefined {
  const w = query.workflowId;
  if (scope.all || !w || !shape.newestFirst || scope.workflows.includes(w) || shape.involvedIn?.includes(w) || (scope.orgs?.length ?? 0) > 0) return undefined;
  return { scope: { all: false, workflows: [], holders: scope.holders }, shape: { ids: [] } };
}

/**
 * The list's total up to `cap`. The whole workflows a viewer sees are counted first, from their
 * index alone: often they reach the cap by themselves. Otherwise, newest first, the count reads
 * in the page's order: where the viewer's instances are (the recent ones, mostly), not in the
 * table's order, which took a deputy's count 1.2 s at a million instances.
 */
async function countOf(db: Knex, scope: InstanceScope, query: Omit<InstanceQuery, 'page' | 'pageSize'>, shape: ScopeShape, base: Knex.QueryBuilder, cap: number): Promise<number> {
  if (scope.workflows.length > 0 && !scope.all) {
    const wholeWorkflows = scopedInstances(db, { all: true, workflows: [], holders: [] }, query).whereIn('i.workflow_id', scope.workflows);
    if (await cappedCount(db, wholeWorkflows.select(db.raw('1')), cap) >= cap) return cap;
  }
  return cappedCount(db, base.clone().select(db.raw('1')), cap, shape.newestFirst ? { column: 'i.updated_at', order: 'desc' } : undefined);
}

/**
 * `select count(*) from (select 1 … limit cap)`: the rows of `q`, counting no further than `cap`
 * (counting all a viewer may see costs seconds at a million instances; lists show `999+`).
 */
export async function cappedCount(db: Knex, q: Knex.QueryBuilder, cap: number, order?: { column: string; order: 'asc' | 'desc' }): Promise<number> {
  const [{ n }] = await cappedCountQuery(db, q, cap, order);
  return Number(n);
}

/** cappedCount's statement, as a query to run or to place in another (one column, `n`). */
export function cappedCountQuery(db: Knex, q: Knex.QueryBuilder, cap: number, order?: { column: string; order: 'asc' | 'desc' }): Knex.QueryBuilder {
  const first = q.clearOrder().limit(cap);
  if (order) first.orderBy(order.column, order.order);
  return db.from(first.as('c')).count({ n: '*' });
}

export async function isVisible(db: Knex, scope: InstanceScope, id: string): Promise<boolean> {
  const q = db('instances as i').where('i.id', id);
  applyScope(db, q, scope);
  return (await q.first('i.id')) !== undefined;
}

/** Title search, case-insensitive for Latin letters on both databases (SQLite's `like` is, PostgreSQL's is not). */
export function titleLike(alias: string): string {
  return `lower(${alias}.title) like lower(?) escape '\\'`;
}

/**
 * The lists' search: text found in the title, the number (`建议 第2026001号`, spaces ignored, so
 * `2026001`, `第2026001号` and `建议第2026001号` all find it) or the proposer's name (提出人: the
 * initiator, looked up in `users`, a small table). Added to a query already scoped to what the
 * viewer may see, so it never widens it. A `%…%` match reads the rows the scope has found (an index
 * cannot serve it); the lists keep their index-ordered paging and stop at the page or the cap.
 */
export function whereMatches(db: Knex, q: Knex.QueryBuilder, alias: string, text: string): void {
  const like = `%${escapeLike(text)}%`;
  const compact = `%${escapeLike(text.replace(/\s+/g, ''))}%`;
  q.where((w) => w.whereRaw(titleLike(alias), [like])
    .orWhereRaw(`replace(${alias}.number, ' ', '') like ? escape '\\'`, [compact])
    .orWhereIn(`${alias}.initiator_id`, db('users').select('id').whereRaw(`lower(name) like lower(?) escape '\\'`, [like])));
}

export function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (c) => '\\' + c);
}

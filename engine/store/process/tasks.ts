// tasks.ts: all SQL for task rows: insert, load, conditional status changes and the inbox lists.

import type { Knex } from 'knex';
import type { Holder, InstanceRow, TaskKind, TaskRow, TaskStatus } from './types.ts';
import { fromJson, toJson } from './json.ts';
import { compiled } from '../compiled.ts';
import { cappedCount, cappedCountQuery, instanceColumnsAs, instanceOfJoined, whereMatches } from './instances.ts';

type Raw = Record<string, unknown>;

function toTask(r: Raw): TaskRow {
  return {
    id: String(r.id), instanceId: String(r.instance_id), state: String(r.state), visit: Number(r.visit),
    grp: String(r.grp), item: fromJson(r.item, null), seq: Number(r.seq), title: String(r.title),
    role: (r.role as string | null) ?? null, orgId: (r.org_id as string | null) ?? null,
    assigneeId: (r.assignee_id as string | null) ?? null, kind: r.kind as TaskKind,
    ownerTaskId: (r.owner_task_id as string | null) ?? null, status: r.status as TaskStatus,
    outcome: (r.outcome as string | null) ?? null, createdAt: String(r.created_at),
    dueAt: (r.due_at as string | null) ?? null, completedAt: (r.completed_at as string | null) ?? null,
    completedBy: (r.completed_by as string | null) ?? null, onBehalfOf: (r.on_behalf_of as string | null) ?? null,
    draft: fromJson(r.draft, null), readAt: (r.read_at as string | null) ?? null, overdue: Boolean(r.overdue),
    dueProvisional: Boolean(r.due_provisional), returned: Boolean(r.returned),
    answer: fromJson(r.answer, null), unit: (r.unit as string | null | undefined) ?? null,
  };
}

function toColumns(t: TaskRow): Raw {
  return {
    id: t.id, instance_id: t.instanceId, state: t.state, visit: t.visit, grp: t.grp,
    item: t.item === null || t.item === undefined ? null : toJson(t.item), seq: t.seq, title: t.title,
    role: t.role, org_id: t.orgId, assignee_id: t.assigneeId, kind: t.kind, owner_task_id: t.ownerTaskId,
    status: t.status, outcome: t.outcome, created_at: t.createdAt, due_at: t.dueAt, completed_at: t.completedAt,
    completed_by: t.completedBy, on_behalf_of: t.onBehalfOf, draft: t.draft ? toJson(t.draft) : null,
    read_at: t.readAt, overdue: t.overdue, due_provisional: t.dueProvisional ?? false,
    returned: t.returned ?? false, answer: t.answer ? toJson(t.answer) : null, unit: t.unit ?? null,
  };
}

export async function insertTasks(db: Knex, rows: TaskRow[]): Promise<void> {
  // Small batches: SQLite caps bound variables per statement.
  for (let i = 0; i < rows.length; i += 40) await db('tasks').insert(rows.slice(i, i + 40).map(toColumns));
}

export async function getTask(db: Knex, id: string): Promise<TaskRow | undefined> {
  const r = await db('tasks').where({ id }).first();
  return r ? toTask(r) : undefined;
}

/** A task and its instance in one statement (the first read of every event on SQLite). */
export async function getTaskWithInstance(db: Knex, id: string): Promise<{ task: TaskRow; inst: InstanceRow } | undefined> {
  const [r] = await compiled(db, 'getTaskWithInstance', [id, 1],
    () => db('tasks as t').join('instances as i', 'i.id', 't.instance_id').where('t.id', id).first('t.*', ...instanceColumnsAs('i')));
  return r ? { task: toTask(r), inst: instanceOfJoined(r) } : undefined;
}

export async function tasksOfInstance(db: Knex, instanceId: string): Promise<TaskRow[]> {
  return (await db('tasks').where({ instance_id: instanceId }).orderBy([{ column: 'created_at' }, { column: 'seq' }, { column: 'id' }])).map(toTask);
}

/**
 * An instance's tasks without the other members of one group step's visit (a member's page needs its own
 * task and the rest of the case, not 6,007 fellow members: docs/group-steps.md "Reading answers").
 */
export async function tasksBesideGroup(db: Knex, instanceId: string, own: Pick<TaskRow, 'id' | 'state' | 'visit' | 'grp'>): Promise<TaskRow[]> {
  return (await db('tasks').where({ instance_id: instanceId })
    .whereNot((q) => q.where({ state: own.state, visit: own.visit, grp: own.grp }).whereNot('id', own.id))
    .orderBy([{ column: 'created_at' }, { column: 'seq' }, { column: 'id' }])).map(toTask);
}

export async function tasksOfVisit(db: Knex, instanceId: string, state: string, visit: number): Promise<TaskRow[]> {
  return (await compiled(db, 'tasksOfVisit', [instanceId, state, visit],
    () => db('tasks').where({ instance_id: instanceId, state, visit }).orderBy([{ column: 'seq' }, { column: 'created_at' }]))).map(toTask);
}

export type TaskPatch = Partial<Pick<TaskRow, 'status' | 'outcome' | 'completedAt' | 'completedBy' | 'onBehalfOf' | 'draft' | 'readAt' | 'overdue' | 'assigneeId' | 'orgId' | 'role' | 'createdAt' | 'answer'>>;

/** Update a task only if it still has `fromStatus`; returns whether it did (the loser of a race gets false). */
export async function updateTask(db: Knex, id: string, patch: TaskPatch, fromStatus?: TaskStatus | TaskStatus[]): Promise<boolean> {
  const cols: Raw = {};
  const map: Record<string, string> = {
    status: 'status', outcome: 'outcome', completedAt: 'completed_at', completedBy: 'completed_by',
    onBehalfOf: 'on_behalf_of', readAt: 'read_at', overdue: 'overdue', assigneeId: 'assignee_id',
    orgId: 'org_id', role: 'role', createdAt: 'created_at',
  };
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'draft' || k === 'answer') cols[k] = v ? toJson(v) : null;
    else if (map[k]) cols[map[k]!] = v;
  }
  const statuses = fromStatus === undefined ? [] : Array.isArray(fromStatus) ? fromStatus : [fromStatus];
  const names = Object.keys(cols);
  // `returning id`: a raw statement reports rows, not a count of changes (both databases have it).
  const rows = await compiled(db, `updateTask:${names.join(',')}:${statuses.length}`, [...names.map((c) => cols[c]), id, ...statuses], () => {
    const q = db('tasks').where({ id });
    if (statuses.length > 0) q.whereIn('status', statuses);
    return q.update(cols, ['id']);
  });
  return rows.length === 1;
}

/**
 * Mark the tasks a 退回 made (the target step's `visit`, just entered) as returned, so 待办 can say
 * so from the row (migration 019).
 */
export async function markReturned(db: Knex, instanceId: string, state: string, visit: number): Promise<void> {
  await db('tasks').where({ instance_id: instanceId, state, visit, kind: 'task' }).update({ returned: true });
}

/** Cancel every open or waiting task of an instance (optionally of one state) when the step is left; returns how many. */
export async function cancelOpenTasks(db: Knex, instanceId: string, state?: string): Promise<number> {
  const q = db('tasks').where({ instance_id: instanceId }).whereIn('status', ['open', 'waiting']).whereNot('kind', 'cc');
  if (state) q.where({ state });
  return q.update({ status: 'cancelled' });
}

export async function markOverdue(db: Knex, instanceId: string, state: string, visit: number, grp?: string): Promise<number> {
  const q = db('tasks').where({ instance_id: instanceId, state, visit }).whereIn('status', ['open', 'waiting']);
  if (grp) q.where({ grp });
  return q.update({ overdue: true });
}

/**
 * One range of open tasks a holder may act on: `where` adds its conditions, `values` are the
 * values it binds, in knex's order (compiled.ts checks them against the built query the first
 * time a shape runs), `shape` names its SQL text.
 */
interface Branch {
  where: (q: Knex.QueryBuilder) => void;
  values: unknown[];
  shape: 'u' | 'r' | 'ro';
}

/**
 * Tasks a holder may act on, as branches: assigned to them, or to one of their roles
 * in no org or in their org. Each branch repeats `status = 'open'` and names one assignee, or one
 * role and one org (null or the holder's), so it is one range of a partial index
 * (tasks_open_assignee_idx, tasks_open_role_idx), already in `created_at` order. A branch two
 * holders share (a stand-in with the same role and org) is given once, so no two branches hold
 * the same task: an assignee's tasks have one, a role's none, and the (role, org) pairs differ.
 */
function openBranches(holders: Holder[], alias: string): Branch[] {
  const out = new Map<string, Branch>();
  for (const h of holders) {
    out.set(`u\0${h.userId}`, {
      where: (a) => { a.where(`${alias}.status`, 'open').where(`${alias}.assignee_id`, h.userId); },
      values: ['open', h.userId], shape: 'u',
    });
    for (const role of h.roles) {
      for (const org of [null, h.orgId]) {
        out.set(`r\0${role}\0${org ?? ''}`, {
          where: (r) => {
            r.where(`${alias}.status`, 'open').whereNull(`${alias}.assignee_id`).where(`${alias}.role`, role);
            if (org === null) r.whereNull(`${alias}.org_id`);
            else r.where(`${alias}.org_id`, org);
          },
          values: org === null ? ['open', role] : ['open', role, org], shape: org === null ? 'r' : 'ro',
        });
      }
    }
  }
  return [...out.values()];
}

/**
 * How many open tasks (not 抄送) the holders may act on, up to `cap`: each branch counted up to
 * `cap` in its own index range and the counts added, in one statement. The branches are
 * disjoint, so the sum is exact below the cap; each range is read from its index alone
 * (migration 008), where an `or` of them made SQLite look up every counted row in the table.
 */
async function openCount(db: Knex, holders: Holder[], cap: number): Promise<number> {
  const branches = openBranches(holders, 't');
  if (branches.length === 0) return 0;
  const [row] = await compiled(db, `openCount:${shapeOf(branches)}`, openCountValues(branches, cap), () => {
    const sum = openCountSum(db, branches, cap);
    return db.select(db.raw(`${sum.sql} as n`, sum.parts));
  });
  return Math.min(cap, Number(row!.n));
}

/** The branches' shape, which names their SQL text (compiled.ts). */
function shapeOf(branches: Branch[]): string {
  return branches.map((b) => b.shape).join(',');
}

/** openCount's values, in the order of openCountSum's text. */
function openCountValues(branches: Branch[], cap: number): unknown[] {
  return branches.flatMap((b) => ['cc', ...b.values, cap]);
}

/** openCount's sum: `(?) + (?) …` with one capped count per branch in place of each `?` (`0` for none). */
function openCountSum(db: Knex, branches: Branch[], cap: number): { sql: string; parts: Knex.QueryBuilder[] } {
  const parts = branches.map((b) => cappedCountQuery(db, db('tasks as t').whereNot('t.kind', 'cc').where(b.where).select(db.raw('1')), cap));
  return { sql: parts.length > 0 ? parts.map(() => '(?)').join(' + ') : '0', parts };
}

/**
 * Open tasks a holder may act on: assigned to them, or to their role in their org (or in any org).
 * An `or` of the branches above, which SQLite answers with a multi-index OR over the partial
 * indexes instead of reading every open task.
 */
export function heldOpenBy(q: Knex.QueryBuilder, holders: Holder[], alias = 't'): void {
  q.where(`${alias}.status`, 'open').where((w) => {
    for (const b of openBranches(holders, alias)) w.orWhere(b.where);
  });
}

export interface InboxRow {
  /** The task as a list reads it: its draft and answer are not read (null here). */
  task: TaskRow;
  workflowId: string;
  workflowVersion: number;
  instanceTitle: string;
  /** The instance's number (编号), proposer (提出人), and where it is now (抄送我的, 已办). */
  instanceNumber: string;
  initiatorId: string;
  instanceState: string;
  instanceStatus: InstanceRow['status'];
}

export interface InboxQuery {
  list: 'todo' | 'done' | 'cc';
  page: number;
  pageSize: number;
  q?: string;
}

/**
 * A list's tasks; joined to their instances for a title search or for the page's columns, not
 * for a count (an index-only count is what lets every page show the four badges).
 */
function inboxBase(db: Knex, holders: Holder[], list: InboxQuery['list'], q?: string, withInstance = true): Knex.QueryBuilder {
  const base = db('tasks as t');
  if (withInstance || q) base.join('instances as i', 'i.id', 't.instance_id');
  if (list === 'todo') {
    base.whereNot('t.kind', 'cc');
    heldOpenBy(base, holders);
  } else if (list === 'done') {
    base.where('t.status', 'done').whereNot('t.kind', 'cc').whereIn('t.completed_by', holders.map((h) => h.userId));
  } else {
    base.where('t.kind', 'cc').whereIn('t.assignee_id', holders.map((h) => h.userId));
  }
  if (q) whereMatches(db, base, 'i', q);
  return base;
}

/**
 * The task columns a list reads: all but the saved draft and the group answer, which a list
 * never shows and which may be the largest values of a row (InboxRow.task has them null).
 */
const LIST_TASK_COLUMNS = ['id', 'instance_id', 'state', 'visit', 'grp', 'item', 'seq', 'title', 'role', 'org_id', 'assignee_id', 'kind',
  'owner_task_id', 'status', 'outcome', 'created_at', 'due_at', 'completed_at', 'completed_by', 'on_behalf_of', 'read_at', 'overdue',
  'due_provisional', 'returned', 'unit'].map((c) => `t.${c}`);

/** A page of a list's rows; without a search the statement is compiled once per shape (compiled.ts). */
function pageRows(db: Knex, holders: Holder[], branches: Branch[], query: InboxQuery): Promise<Raw[]> {
  const offset = (query.page - 1) * query.pageSize;
  const n = offset + query.pageSize;
  const build = (): Knex.QueryBuilder => {
    let base = inboxBase(db, holders, query.list, query.q);
    if (query.list === 'todo') {
      // Top-N per branch: each branch reads its first offset+pageSize ids straight off its index
      // range, in order; only those few are then sorted, not every task of a busy role. A branch
      // joins the instances only to search their titles.
      const firsts = branches.map((b, k) => {
        const sub = db('tasks as t').whereNot('t.kind', 'cc').where(b.where);
        if (query.q) whereMatches(db, sub.join('instances as i', 'i.id', 't.instance_id'), 'i', query.q);
        return db.select('id').from(sub.select('t.id').orderBy([{ column: 't.created_at', order: 'desc' }, { column: 't.id' }]).limit(n).as(`b${k}`));
      });
      const [first, ...rest] = firsts;
      // The branches carry every condition; the page is read by primary key from their union.
      base = db('tasks as t').join('instances as i', 'i.id', 't.instance_id').whereIn('t.id', rest.length > 0 ? first!.union(rest) : first!);
    }
    return base.select(...LIST_TASK_COLUMNS, 'i.workflow_id as i_workflow_id', 'i.workflow_version as i_workflow_version', 'i.title as i_title',
      'i.number as i_number', 'i.initiator_id as i_initiator_id', 'i.state as i_state', 'i.status as i_status')
      .orderBy([{ column: query.list === 'done' ? 't.completed_at' : 't.created_at', order: 'desc' }, { column: 't.id' }])
      .limit(query.pageSize).offset(offset);
  };
  if (query.q) return build();
  const users = holders.map((h) => h.userId);
  const head = query.list === 'todo' ? branches.flatMap((b) => ['cc', ...b.values, n]) : query.list === 'done' ? ['done', 'cc', ...users] : ['cc', ...users];
  const shape = query.list === 'todo' ? shapeOf(branches) : String(users.length);
  return compiled(db, `inboxPage:${query.list}:${shape}:${offset > 0}`, [...head, query.pageSize, ...(offset > 0 ? [offset] : [])], build);
}

/**
 * One page of 待办/已办/抄送我的 and the total, both computed in the database (the total up to
 * `cap`); a `known` total (inboxCount of the same list) is not counted again.
 */
export async function inboxPage(db: Knex, holders: Holder[], query: InboxQuery, cap: number, known?: number): Promise<{ rows: InboxRow[]; total: number }> {
  const total = known ?? (query.list === 'todo' && !query.q
    ? await openCount(db, holders, cap)
    : await cappedCount(db, inboxBase(db, holders, query.list, query.q, false).select(db.raw('1')), cap));
  const branches = query.list === 'todo' ? openBranches(holders, 't') : [];
  if (query.list === 'todo' && branches.length === 0) return { total, rows: [] };
  const rows = await pageRows(db, holders, branches, query);
  return {
    total,
    rows: rows.map((r: Raw) => ({
      task: toTask(r), workflowId: String(r.i_workflow_id), workflowVersion: Number(r.i_workflow_version), instanceTitle: String(r.i_title),
      instanceNumber: String(r.i_number), initiatorId: String(r.i_initiator_id), instanceState: String(r.i_state), instanceStatus: r.i_status as InstanceRow['status'],
    })),
  };
}

/**
 * The four lists' counts for the navigation, each up to `cap`, in one statement (every page
 * shows them; four statements cost three more round trips into SQLite than one, docs/benchmarks.md
 * "What we tried"): 待办 as openCount, 已办 and 抄送我的 as inboxCount, 我发起的 by the
 * initiator's index. `userId` is the actor's own id (what they started; a stand-in's is not theirs).
 */
export async function inboxCounts(db: Knex, holders: Holder[], userId: string, cap: number): Promise<{ todo: number; done: number; cc: number; started: number }> {
  const branches = openBranches(holders, 't');
  const users = holders.map((h) => h.userId);
  const values = [...openCountValues(branches, cap), 'done', 'cc', ...users, cap, 'cc', ...users, cap, userId, cap];
  const [row] = await compiled(db, `inboxCounts:${shapeOf(branches)}:${users.length}`, values, () => {
    const todo = openCountSum(db, branches, cap);
    const lists = (['done', 'cc'] as const).map((list) => cappedCountQuery(db, inboxBase(db, holders, list, undefined, false).select(db.raw('1')), cap));
    const started = cappedCountQuery(db, db('instances as i').whereIn('i.initiator_id', [userId]).select(db.raw('1')), cap);
    return db.select(db.raw(`${todo.sql} as todo, (?) as done, (?) as cc, (?) as started`, [...todo.parts, ...lists, started]));
  });
  return { todo: Math.min(cap, Number(row!.todo)), done: Number(row!.done), cc: Number(row!.cc), started: Number(row!.started) };
}

/** How many tasks a list holds, counted up to `cap` (`cap` itself: that many or more). */
export async function inboxCount(db: Knex, holders: Holder[], list: InboxQuery['list'], cap: number): Promise<number> {
  if (list === 'todo') return openCount(db, holders, cap);
  const users = holders.map((h) => h.userId);
  const [row] = await compiled(db, `inboxCount:${list}:${users.length}`, [...(list === 'done' ? ['done', 'cc'] : ['cc']), ...users, cap], () =>
    cappedCountQuery(db, inboxBase(db, holders, list, undefined, false).select(db.raw('1')), cap));
  return Number(row!.n);
}

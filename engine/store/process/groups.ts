// groups.ts: all SQL of group steps (migration 020, docs/group-steps.md): the member tasks written
// in one statement, the running counts row, and the progress view's reads from tasks_group_idx.

import type { Knex } from 'knex';
import { isPostgres } from '../db.ts';
import { OUTCOME_COLUMNS } from '../migrations/020_group_steps.ts';
import { compiled } from '../compiled.ts';

type Raw = Record<string, unknown>;

/** Which group of which visit: the primary key of group_counts. */
export interface GroupKey {
  instanceId: string;
  state: string;
  visit: number;
  grp: string;
}

export interface GroupCounts {
  total: number;
  open: number;
  done: number;
  /** Outcome counts in the group's `outcomes:` order. */
  outcomes: number[];
  closedAt: string | null;
  closedHow: 'rule' | 'early' | 'deadline' | 'left' | null;
}

/** What every member task of one group shares. */
export interface GroupTaskBase extends GroupKey {
  title: string;
  role: string | null;
  createdAt: string;
  dueAt: string | null;
  dueProvisional: boolean;
}

/** One member: their task's own columns. `item`: the list element of a `to: { each }` group. */
export interface GroupMember {
  id: string;
  assigneeId: string | null;
  orgId: string | null;
  unit: string | null;
  item: unknown;
}

const COLUMNS = 'id, instance_id, state, visit, grp, item, seq, title, role, org_id, assignee_id, kind, owner_task_id, status, outcome, created_at, due_at, completed_at, completed_by, on_behalf_of, draft, read_at, overdue, due_provisional, returned, answer, unit';

/**
 * The statement that writes a group's tasks from one JSON parameter (the members) and the shared
 * values: one round trip and one parse for 6,007 rows, where 40-row inserts built by knex took 151
 * statements. SQLite reads the array with json_each, PostgreSQL with jsonb_to_recordset.
 */
function insertSql(pg: boolean): string {
  // PostgreSQL types a parameter in a select list as text: the casts say what each column takes.
  const c = (type: string): string => (pg ? `?::${type}` : '?');
  const shared = (m: (k: string) => string): string =>
    `${c('text')}, ${c('text')}, ${c('integer')}, ${c('text')}, ${m('item')}, ${m('seq')}, ${c('text')}, ${c('text')}, ${m('org')}, ${m('who')}, ` +
    `'task', null, 'open', null, ${c('text')}, ${c('text')}, null, null, null, null, null, ${c('boolean')}, ${c('boolean')}, ${c('boolean')}, null, ${m('unit')}`;
  if (pg) {
    return `insert into tasks (${COLUMNS}) select m.id, ${shared((k) => `m.${k}`)}
      from jsonb_to_recordset(?::jsonb) as m(id text, item text, seq integer, org text, who text, unit text)`;
  }
  const f = (k: string): string => `json_extract(value, '$.${k}')`;
  return `insert into tasks (${COLUMNS}) select ${f('id')}, ${shared(f)} from json_each(?)`;
}

/** Writes one task per member (open, kind task, in the members' order) in one statement. */
export async function insertGroupTasks(db: Knex, base: GroupTaskBase, members: GroupMember[]): Promise<void> {
  if (members.length === 0) return;
  const pg = isPostgres(db);
  const json = JSON.stringify(members.map((m, seq) => ({
    id: m.id, seq, org: m.orgId, who: m.assigneeId, unit: m.unit,
    item: m.item === null || m.item === undefined ? null : JSON.stringify(m.item),
  })));
  const values = [base.instanceId, base.state, base.visit, base.grp, base.title, base.role, base.createdAt, base.dueAt, false, base.dueProvisional, false];
  // SQLite binds booleans as 0/1, which is how knex stores them there too.
  await db.raw(insertSql(pg), [...values, json]);
}

export async function insertGroupCounts(db: Knex, key: GroupKey, total: number): Promise<void> {
  await db('group_counts').insert({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp, total, open: total, done: 0 });
}

function toCounts(r: Raw): GroupCounts {
  return {
    total: Number(r.total), open: Number(r.open), done: Number(r.done),
    outcomes: OUTCOME_COLUMNS.map((c) => Number(r[c] ?? 0)),
    closedAt: (r.closed_at as string | null) ?? null, closedHow: (r.closed_how as GroupCounts['closedHow']) ?? null,
  };
}

const keyValues = (k: GroupKey): [string, string, number, string] => [k.instanceId, k.state, k.visit, k.grp];

export async function getGroupCounts(db: Knex, key: GroupKey): Promise<GroupCounts | undefined> {
  const [r] = await compiled(db, 'getGroupCounts', keyValues(key),
    () => db('group_counts').where({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp }).first());
  return r ? toCounts(r) : undefined;
}

/** The counts rows of one visit of a state (every group of it), by group id. */
export async function countsOfVisit(db: Knex, instanceId: string, state: string, visit: number): Promise<Map<string, GroupCounts>> {
  const rows = await db('group_counts').where({ instance_id: instanceId, state, visit }) as Raw[];
  return new Map(rows.map((r) => [String(r.grp), toCounts(r)]));
}

/**
 * Counts one answer (outcome number `index`, 0-based) while the group is still open, and returns the
 * counts after it; undefined when the group was closed meanwhile. The column name comes from the
 * fixed list, never from input.
 */
export async function countAnswer(db: Knex, key: GroupKey, index: number): Promise<GroupCounts | undefined> {
  const col = OUTCOME_COLUMNS[index];
  if (!col) throw new Error(`countAnswer: outcome ${index} out of range`);
  const [r] = await compiled(db, `countAnswer:${col}`, keyValues(key), () =>
    db('group_counts').where({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp }).whereNull('closed_at')
      .update({ open: db.raw('open - 1'), done: db.raw('done + 1'), [col]: db.raw(`${col} + 1`) }, ['*']));
  return r ? toCounts(r) : undefined;
}

/**
 * Closes a group once: true for the one caller that changed the row (SQLite's single writer; on
 * PostgreSQL the row lock makes a second closer wait and then match nothing).
 */
export async function closeGroup(db: Knex, key: GroupKey, how: NonNullable<GroupCounts['closedHow']>, at: string): Promise<boolean> {
  const rows = await compiled(db, 'closeGroup', [at, how, ...keyValues(key)], () =>
    db('group_counts').where({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp }).whereNull('closed_at')
      .update({ closed_at: at, closed_how: how }, ['grp']));
  return rows.length === 1;
}

/** Closes every still-open group of an instance's state (the step was left some other way). */
export async function closeGroupsOfState(db: Knex, instanceId: string, state: string, at: string): Promise<void> {
  await db('group_counts').where({ instance_id: instanceId, state }).whereNull('closed_at').update({ closed_at: at, closed_how: 'left' });
}

export interface UnitProgress {
  unit: string | null;
  open: number;
  done: number;
  cancelled: number;
}

/** Per unit: how many were asked and where they stand, read from tasks_group_idx alone. */
export async function progressByUnit(db: Knex, key: GroupKey): Promise<UnitProgress[]> {
  const rows = await db('tasks').where({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp })
    .select('unit', 'status').count({ n: '*' }).groupBy('unit', 'status') as Raw[];
  const byUnit = new Map<string | null, UnitProgress>();
  for (const r of rows) {
    const unit = (r.unit as string | null) ?? null;
    const u = byUnit.get(unit) ?? { unit, open: 0, done: 0, cancelled: 0 };
    const n = Number(r.n);
    if (r.status === 'done') u.done += n;
    else if (r.status === 'cancelled') u.cancelled += n;
    else u.open += n;
    byUnit.set(unit, u);
  }
  return [...byUnit.values()];
}

export interface MemberRow {
  taskId: string;
  assigneeId: string | null;
  orgId: string | null;
  status: string;
  outcome: string | null;
  completedAt: string | null;
  completedBy: string | null;
}

/** One page of a unit's members (open first, then in the order they were asked), and how many there are. */
export async function membersOfUnit(db: Knex, key: GroupKey, unit: string | null, page: number, pageSize: number): Promise<{ rows: MemberRow[]; total: number }> {
  const base = (): Knex.QueryBuilder => {
    const q = db('tasks').where({ instance_id: key.instanceId, state: key.state, visit: key.visit, grp: key.grp, kind: 'task' });
    return unit === null ? q.whereNull('unit') : q.where('unit', unit);
  };
  const [c] = await base().count({ n: '*' }) as Raw[];
  const rows = await base().select('id', 'assignee_id', 'org_id', 'status', 'outcome', 'completed_at', 'completed_by')
    .orderByRaw(`case when status = 'open' then 0 else 1 end, seq`).limit(pageSize).offset((page - 1) * pageSize) as Raw[];
  return {
    total: Number(c?.n ?? 0),
    rows: rows.map((r) => ({
      taskId: String(r.id), assigneeId: (r.assignee_id as string | null) ?? null, orgId: (r.org_id as string | null) ?? null,
      status: String(r.status), outcome: (r.outcome as string | null) ?? null,
      completedAt: (r.completed_at as string | null) ?? null, completedBy: (r.completed_by as string | null) ?? null,
    })),
  };
}

// entry-rows.ts: what entering a state asks for, as rows: tasks (one per group or per for_each item),
// deadline and reminder timers, and copies (抄送). The caller writes them in its transaction.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { reckonAdd, reckonSubtract, type Reckoned } from '../calendar/index.ts';
import type { CompiledWorkflow, DeadlineDef, DurationSpec, StateDef, TaskGroupDef } from '../dsl/types.ts';
import { isTrue } from '../expr/index.ts';
import { LvzError } from '../errors.ts';
import { usersWithRole } from '../store/directory.ts';
import type { Role } from '../model/actor.ts';
import { insertTasks, insertTimers, type TaskRow, type TimerRow } from '../store/process/index.ts';
import { celVars, exprOf, type MachineContext, type RunEvent } from './machine.ts';
import { formOf, type RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import { enterGroup } from './group/enter.ts';

export interface EnterInput {
  rc: RuntimeContext;
  tx: Knex;
  wf: CompiledWorkflow;
  instanceId: string;
  initiatorId: string;
  ctx: MachineContext;
  now: Date;
  /** The event that entered the state: its `actor` is who caused the entry (none for a deadline). */
  event?: RunEvent;
  /** The directory snapshot, when the workflow's expressions read it (machine.ts needsDirectory). */
  dir?: DirectorySnapshot;
}

export function newTask(base: Omit<TaskRow, 'id' | 'outcome' | 'completedAt' | 'completedBy' | 'onBehalfOf' | 'draft' | 'readAt' | 'overdue'>): TaskRow {
  return { id: randomUUID(), outcome: null, completedAt: null, completedBy: null, onBehalfOf: null, draft: null, readAt: null, overdue: false, ...base };
}

/** Where a 加签 signer acts: before the owner, or after (a signer row without a position: after). */
export function signerPosition(t: TaskRow): 'before' | 'after' {
  return (t.item as { position?: string } | null)?.position === 'before' ? 'before' : 'after';
}

function evalIn(e: EnterInput, src: string, item?: unknown): unknown {
  return exprOf(e.wf, src).evaluate(celVars(e.ctx, e.event, item === undefined ? {} : { item }), { directory: e.dir });
}

/** A deadline, the duration it was counted from, and whether it is provisional (a year the calendar lacks). */
export interface Due extends Reckoned {
  duration: DurationSpec;
}

/** The deadline of the first `after` case whose `when` holds, on the working-day calendar. */
export function dueDate(e: EnterInput, d: DeadlineDef): Due {
  const vars = celVars(e.ctx, e.event);
  const chosen = d.after.find((c) => !c.when || isTrue(exprOf(e.wf, c.when), vars, { directory: e.dir })) ?? d.after[d.after.length - 1]!;
  return { ...reckonAdd(e.now, chosen.duration, e.rc.calendar), duration: chosen.duration };
}

/**
 * An expression over fields that may never have been filled in (CEL: no such key): undefined
 * then, not an error, so the caller can say which field is missing (an empty list, 请先选择…).
 */
function optionalIn(e: EnterInput, src: string, item?: unknown): unknown {
  try {
    return evalIn(e, src, item);
  } catch (err) {
    if (err instanceof LvzError && err.code === 'LVZ_EXPR_EVAL' && /no such key/i.test(err.message)) return undefined;
    throw err;
  }
}

const listIn = (e: EnterInput, src: string): unknown => optionalIn(e, src);

function itemsOf(e: EnterInput, g: TaskGroupDef): unknown[] {
  if (!g.for_each) return [null];
  const v = listIn(e, g.for_each);
  if (v === null || v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * LVZ_RUN_UNASSIGNED names the field the expression reads (`data.committee` -> 审议委员会), never the
 * expression, so the step that fills that field can show it as a field error (complete.ts).
 */
function unassigned(e: EnterInput, s: StateDef, what: string, src: string): LvzError {
  const field = exprOf(e.wf, src).refs.map((r) => r.split('.')).find(([root, f]) => root === 'data' && f)?.[1];
  const label = field ? formOf(e.rc, e.wf.def.record).byName.get(field)?.label : undefined;
  const message = label
    ? `“${s.title}”的${what}由“${label}”决定，但“${label}”还没有填写：请先选择${label}`
    : `“${s.title}”没有得出${what}：请联系管理员检查这一步的办理人设置`;
  return new LvzError('LVZ_RUN_UNASSIGNED', message, { params: { state: s.name, ...(field && { field }), ...(label && { label }) } });
}

function assigneeOf(e: EnterInput, s: StateDef, g: TaskGroupDef, item: unknown): string | null {
  if (!g.assignee) return null;
  if (g.assignee === 'initiator') return e.initiatorId;
  const v = optionalIn(e, g.assignee, item);
  if (typeof v !== 'string' || v === '') throw unassigned(e, s, '办理人', g.assignee);
  return v;
}

function orgOf(e: EnterInput, s: StateDef, g: TaskGroupDef, item: unknown): string | null {
  if (!g.org) return null;
  const v = optionalIn(e, g.org, item);
  if (typeof v !== 'string' || v === '') throw unassigned(e, s, '办理单位', g.org);
  return v;
}

function timersFor(e: EnterInput, state: string, visit: number, d: DeadlineDef, due: Due, group?: string): TimerRow[] {
  const base = {
    instanceId: e.instanceId, taskId: null, state, visit, status: 'pending' as const, leaseOwner: null, leaseUntil: null, firedAt: null,
    attempts: 0, lastError: null, startedAt: e.now.toISOString(), duration: due.duration,
  };
  const rows: TimerRow[] = [{
    ...base, id: randomUUID(), kind: 'deadline', fireAt: due.at.toISOString(), provisional: due.provisional,
    payload: { ...(group && { group }), ...(d.escalate && { escalate: d.escalate }), ...(d.close && { close: true }) },
  }];
  for (const r of d.remind) {
    const at = reckonSubtract(due.at, r, e.rc.calendar);
    // A reminder whose time has already passed at entry would only be noise.
    if (at.at.getTime() <= e.now.getTime()) continue;
    rows.push({
      ...base, id: randomUUID(), kind: 'remind', fireAt: at.at.toISOString(), provisional: due.provisional || at.provisional,
      payload: { ...(group && { group }), before: r.text, remind: r },
    });
  }
  return rows;
}

/** Task and timer rows for the state the instance now rests in. Returns how many tasks were made. */
export async function createWork(e: EnterInput, s: StateDef): Promise<number> {
  const visit = e.ctx.visits[s.name] ?? 1;
  const stateDue = s.deadline ? dueDate(e, s.deadline) : undefined;
  const tasks: TaskRow[] = [];
  const timers: TimerRow[] = stateDue && s.deadline ? timersFor(e, s.name, visit, s.deadline, stateDue) : [];
  let asked = 0; // members of group steps, written by enterGroup
  for (const g of s.tasks) {
    const groupDue = g.deadline ? dueDate(e, g.deadline) : undefined;
    if (g.deadline && groupDue) timers.push(...timersFor(e, s.name, visit, g.deadline, groupDue, g.id));
    const due = groupDue ?? stateDue;
    if (g.to) {
      asked += await enterGroup(e, s, g, visit, due);
      continue;
    }
    itemsOf(e, g).forEach((item, i) => {
      tasks.push(newTask({
        instanceId: e.instanceId, state: s.name, visit, grp: g.id, item, seq: i, title: g.title ?? s.title,
        role: g.role ?? null, orgId: orgOf(e, s, g, item), assigneeId: assigneeOf(e, s, g, item), kind: 'task', ownerTaskId: null,
        // 依次: the later ones wait for the one before.
        status: g.complete_when.kind === 'sequential' && i > 0 ? 'waiting' : 'open',
        createdAt: e.now.toISOString(), dueAt: due ? due.at.toISOString() : null, dueProvisional: due?.provisional ?? false,
      }));
    });
  }
  await insertTasks(e.tx, tasks);
  await insertTimers(e.tx, timers);
  return tasks.length + asked;
}

/** 抄送 on entry: a read-only row for everyone with one of the roles and every user the list gives. */
export async function createCopies(e: EnterInput, s: StateDef): Promise<string[]> {
  if (!s.copy) return [];
  const users = new Set<string>();
  for (const role of s.copy.roles) for (const u of await usersWithRole(e.tx, role as Role)) users.add(u.id);
  if (s.copy.users) {
    const v = listIn(e, s.copy.users);
    for (const u of Array.isArray(v) ? v : [v]) if (typeof u === 'string' && u) users.add(u);
  }
  await insertCopies(e.tx, e.instanceId, s.name, e.ctx.visits[s.name] ?? 1, s.title, [...users], e.now);
  return [...users];
}

export async function insertCopies(tx: Knex, instanceId: string, state: string, visit: number, title: string, users: string[], now: Date): Promise<void> {
  await insertTasks(tx, users.map((u, i) => newTask({
    instanceId, state, visit, grp: 'cc', item: null, seq: i, title, role: null, orgId: null, assigneeId: u,
    kind: 'cc', ownerTaskId: null, status: 'open', createdAt: now.toISOString(), dueAt: null,
  })));
}

// entry-rows.ts: what entering a state asks for, as rows: tasks (one per group or per for_each item),
// the timers its constructs ask for (a deadline's and its reminders: constructs/deadline/), and copies (抄送).
// The caller writes them in its transaction.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { constructsAt, type EntryPorts, type TimerSpec } from '../constructs/index.ts';
import type { CompiledWorkflow, StateDef, TaskGroupDef } from '../dsl/types.ts';
import { constructValue, siteOf } from '../dsl/walk.ts';
import { isTrue } from '../expr/index.ts';
import { LvzError } from '../errors.ts';
import { usersWithRole } from '../store/directory.ts';
import type { Role } from '../model/actor.ts';
import { insertTasks, insertTimers, type TaskRow, type TimerRow } from '../store/process/index.ts';
import { celVars, exprOf, type MachineContext, type RunEvent } from './machine.ts';
import { formOf, type RuntimeContext } from './runtime-context.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import { runsAt } from '../constructs/runs.ts';
import type { Due, EnterInput } from './working.ts';

export type { EnterInput } from './working.ts';

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

function timerRow(e: EnterInput, state: string, visit: number, t: TimerSpec, group?: string): TimerRow {
  return {
    id: randomUUID(), instanceId: e.instanceId, taskId: null, state, visit, kind: t.kind as TimerRow['kind'], fireAt: t.fireAt.toISOString(),
    status: 'pending', payload: { ...(group && { group }), ...t.payload }, leaseOwner: null, leaseUntil: null, firedAt: null,
    attempts: 0, lastError: null, startedAt: e.now.toISOString(), duration: t.duration, provisional: t.provisional,
  };
}

/** What the constructs of a state (or of one of its groups) ask for on entry: their timers, and when the tasks there are due. */
function constructsEntered(e: EnterInput, s: StateDef, visit: number, g?: TaskGroupDef): { timers: TimerRow[]; due?: Due } {
  const ports: EntryPorts = {
    now: e.now,
    calendar: e.rc.calendar,
    isTrue: (src) => isTrue(exprOf(e.wf, src), celVars(e.ctx, e.event), { directory: e.dir }),
  };
  const timers: TimerRow[] = [];
  let due: Due | undefined;
  for (const c of constructsAt(g ? 'group' : 'state')) {
    const def = constructValue(g ?? s, c.key);
    if (def === undefined || !c.entered) continue;
    const fx = c.entered(def, siteOf(s, c.key, g && { id: g.id, path: g.path ?? `/states/${s.name}/task` }), ports);
    for (const t of fx.timers ?? []) timers.push(timerRow(e, s.name, visit, t, g?.id));
    due ??= fx.due;
  }
  return { timers, ...(due && { due }) };
}

/** Task and timer rows for the state the instance now rests in. Returns how many tasks were made. */
export async function createWork(e: EnterInput, s: StateDef): Promise<number> {
  const visit = e.ctx.visits[s.name] ?? 1;
  const { timers, due: stateDue } = constructsEntered(e, s, visit);
  const tasks: TaskRow[] = [];
  let asked = 0; // tasks a construct made itself
  for (const g of s.tasks) {
    const { timers: groupTimers, due: groupDue } = constructsEntered(e, s, visit, g);
    timers.push(...groupTimers);
    const due = groupDue ?? stateDue;
    // A construct that makes its state's tasks itself (a group step: one per member, in one statement).
    const maker = runsAt(s).find(({ run }) => run.makeTasks);
    if (maker) {
      asked += await maker.run.makeTasks!(maker.def, e, s, g, visit, due);
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

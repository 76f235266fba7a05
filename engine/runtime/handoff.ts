// handoff.ts: whom a task may be handed to by 转办, 委派 and 加签. The step's `handoff:` names the
// set (by default: the task's role, in an organisation of the same kind as the task's); the
// initiator and anyone already acting in the case are never in it. The task page offers exactly
// this set, the pickers search only it, and the actions refuse anything else, so the page, the
// API and a typed name meet the same rule.

import type { Knex } from 'knex';
import type { TaskGroupDef } from '../dsl/types.ts';
import { LvzError } from '../errors.ts';
import type { Choice } from '../forms/types.ts';
import { ambiguousMessage, notFoundMessage, resolveEntry, splitEntries } from '../forms/fields/picker-choices.ts';
import { listEvents, tasksOfInstance, type EventRow, type InstanceRow, type TaskRow } from '../store/process/index.ts';
import type { DirectorySnapshot } from './directory/snapshot.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** The actions that hand a task (or part of it) to someone. */
export type HandoffAction = 'reassign' | 'delegate' | 'add_signer';

export interface HandoffTargets {
  /** People who may receive the task, in directory order. */
  people: Set<string>;
  /** Units a unit's task may be 转办'd to; empty for a task that is not a unit's. */
  orgs: Set<string>;
  /** 转办 moves a unit's task (`org:`) to another unit, any other task to one person. */
  reassignTo: 'org' | 'person';
  /** Why someone outside the set is refused, for a precise message. */
  initiatorId: string;
  acting: Set<string>;
  actingOrgs: Set<string>;
}

/**
 * Everyone who holds, held, did or acted on anything in the case (copies excluded): the assignee of a
 * person's task, every holder of the role of a unit's task (or of a role's task), whoever completed
 * one or acted in the history. The units: those given a task, and those of the people who acted.
 */
async function actingIn(db: Knex, inst: InstanceRow, dir: DirectorySnapshot, read?: CaseRows): Promise<{ people: Set<string>; orgs: Set<string> }> {
  // One after the other: inside a transaction, SQLite has the one connection.
  const tasks = read?.tasks ?? await tasksOfInstance(db, inst.id);
  const events = read?.events ?? await listEvents(db, inst.id);
  const people = new Set<string>();
  const orgs = new Set<string>();
  const held = new Set<string>();
  const add = (id: string | null | undefined) => { if (id) people.add(id); };
  for (const t of tasks) {
    if (t.kind === 'cc') continue;
    add(t.assigneeId); add(t.completedBy); add(t.onBehalfOf);
    if (t.orgId) orgs.add(t.orgId);
    if (!t.assigneeId && t.role) held.add(`${t.orgId ?? ''}|${t.role}`);
  }
  for (const e of events) { add(e.actorId); add(e.onBehalfOf); }
  for (const p of dir.people.values()) {
    if (p.roles.some((r) => held.has(`|${r}`) || held.has(`${p.orgId}|${r}`))) people.add(p.id);
  }
  for (const id of people) {
    const org = dir.people.get(id)?.orgId;
    if (org) orgs.add(org);
  }
  return { people, orgs };
}

/** The step's set, or its default: the task's role, in organisations of its organisation's kind. */
function scopeOf(g: TaskGroupDef, task: TaskRow, holderId: string, dir: DirectorySnapshot): { roles?: string[]; kinds?: string[] } {
  const role = task.role ?? g.role;
  const orgId = task.orgId ?? dir.people.get(task.assigneeId ?? holderId)?.orgId;
  const kind = orgId ? dir.orgs.get(orgId)?.kind : undefined;
  const roles = g.handoff?.roles ?? (role ? [role] : undefined);
  const kinds = g.handoff?.org_kinds ?? (kind ? [kind] : undefined);
  return { ...(roles && { roles }), ...(kinds && { kinds }) };
}

/** The case's tasks and history, when the caller has read them already (the task page). */
export interface CaseRows {
  tasks: TaskRow[];
  events: EventRow[];
}

/**
 * Whom this task may be handed to. `holderId` is the person whose task it is (the actor, or the
 * principal of a 代理); they and whoever acts for them are acting already.
 */
export async function handoffTargets(
  rc: RuntimeContext, db: Knex, l: { task: TaskRow; inst: InstanceRow; g: TaskGroupDef }, holderId: string, actorId: string, read?: CaseRows,
): Promise<HandoffTargets> {
  const dir = await rc.snapshot(db);
  const acting = await actingIn(db, l.inst, dir, read);
  acting.people.add(holderId).add(actorId);
  const { roles, kinds } = scopeOf(l.g, l.task, holderId, dir);
  const initiatorOrg = dir.people.get(l.inst.initiatorId)?.orgId;
  const people = new Set<string>();
  const orgs = new Set<string>();
  const reassignTo = l.task.orgId ? 'org' : 'person';
  for (const p of dir.people.values()) {
    if (p.disabled || p.id === l.inst.initiatorId || acting.people.has(p.id)) continue;
    if (roles && !p.roles.some((r) => roles.includes(r))) continue;
    const org = dir.orgs.get(p.orgId);
    if (!org || org.disabled || (kinds && !kinds.includes(org.kind))) continue;
    people.add(p.id);
    // A unit qualifies when someone there may receive it and holds the task's role: the unit's task is theirs.
    const role = l.task.role ?? l.g.role;
    if (reassignTo === 'org' && (!role || p.roles.includes(role)) && org.id !== initiatorOrg && !acting.orgs.has(org.id)) orgs.add(org.id);
  }
  return { people, orgs, reassignTo, initiatorId: l.inst.initiatorId, acting: acting.people, actingOrgs: acting.orgs };
}

type Field = 'toUser' | 'toOrg';

function refuse(code: 'LVZ_RUN_HANDOFF_NOT_ALLOWED' | 'LVZ_RUN_HANDOFF_INITIATOR' | 'LVZ_RUN_HANDOFF_ACTING' | 'LVZ_RUN_HANDOFF_AMBIGUOUS', message: string, field: Field, target?: string): LvzError {
  return new LvzError(code, message, { params: { field, ...(target && { target }) } });
}

/** One entry typed or picked -> one id among `choices`, read first among the allowed, then among all for the message. */
function readOne(entry: string, allowed: readonly Choice[], all: readonly Choice[], what: string, field: Field): string {
  if (splitEntries(entry).length > 1) throw refuse('LVZ_RUN_HANDOFF_AMBIGUOUS', `${what}只能选择一个：请只选一个${what}`, field);
  const hit = resolveEntry(entry, allowed) ?? resolveEntry(entry, all);
  if (hit) return hit;
  throw new LvzError('LVZ_RUN_BAD_REQUEST', ambiguousMessage(what, entry, all) ?? notFoundMessage(what, entry), { params: { entry, field } });
}

/** A person outside the set, refused with the reason that applies first. */
function ensurePerson(t: HandoffTargets, id: string, what: string, name: string): void {
  if (t.people.has(id)) return;
  if (id === t.initiatorId) throw refuse('LVZ_RUN_HANDOFF_INITIATOR', `不能${what}给本件的发起人${name}：发起人不能办理自己提出的事项，请另选${what}对象`, 'toUser', id);
  if (t.acting.has(id)) throw refuse('LVZ_RUN_HANDOFF_ACTING', `${name}已经参与本件的办理，不能作为${what}对象：请另选一位尚未参与本件的人员`, 'toUser', id);
  throw refuse('LVZ_RUN_HANDOFF_NOT_ALLOWED', `${name}不在这一步可以${what}的范围内：请从列表中选择${what}对象`, 'toUser', id);
}

function ensureOrg(t: HandoffTargets, id: string, name: string): void {
  if (t.orgs.has(id)) return;
  if (t.actingOrgs.has(id)) throw refuse('LVZ_RUN_HANDOFF_ACTING', `${name}已经参与本件的办理，不能再转办给该单位：请另选一个尚未参与本件的单位`, 'toOrg', id);
  throw refuse('LVZ_RUN_HANDOFF_NOT_ALLOWED', `${name}不在这一步可以转办的单位范围内：请从列表中选择转办单位`, 'toOrg', id);
}

const WHAT: Record<HandoffAction, string> = { reassign: '转办', delegate: '委派', add_signer: '加签' };

/**
 * The one target of a 转办/委派/加签, as an id, or a refusal naming the field: two targets (a unit
 * and a person, or two names), a person for a unit's task or a unit for a person's, or one outside the set.
 */
export function handoffTarget(
  t: HandoffTargets, action: HandoffAction, input: { toUser?: string; toOrg?: string }, dir: { people: Choice[]; orgs: Choice[] }, names: DirectorySnapshot,
): { toUser: string } | { toOrg: string } {
  const what = WHAT[action];
  const toUser = input.toUser?.trim() || undefined;
  const toOrg = action === 'reassign' ? input.toOrg?.trim() || undefined : undefined;
  if (toUser && toOrg) throw refuse('LVZ_RUN_HANDOFF_AMBIGUOUS', '转办只能选择一个对象：请只选一个单位或一位人员，不要两个都选', t.reassignTo === 'org' ? 'toOrg' : 'toUser');
  if (action === 'reassign' && t.reassignTo === 'org') {
    if (toUser) throw refuse('LVZ_RUN_HANDOFF_NOT_ALLOWED', '这是单位的任务，只能转办给另一个单位，由该单位的办理人员办理：请选择转办单位', 'toOrg');
    if (!toOrg) throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择转办单位', { params: { field: 'toOrg' } });
    const allowed = dir.orgs.filter((c) => t.orgs.has(c.value));
    const id = readOne(toOrg, allowed, dir.orgs, '转办单位', 'toOrg');
    ensureOrg(t, id, names.orgs.get(id)?.name ?? id);
    return { toOrg: id };
  }
  if (toOrg) throw refuse('LVZ_RUN_HANDOFF_NOT_ALLOWED', '这项任务只能转办给一位人员：请选择转办人员', 'toUser');
  if (!toUser) throw new LvzError('LVZ_RUN_BAD_REQUEST', `请选择${what}对象`, { params: { field: 'toUser' } });
  const allowed = dir.people.filter((c) => t.people.has(c.value));
  const id = readOne(toUser, allowed, dir.people, `${what}对象`, 'toUser');
  ensurePerson(t, id, what, names.people.get(id)?.name ?? id);
  return { toUser: id };
}

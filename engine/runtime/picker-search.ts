// picker-search.ts: the pickers' JSON search over the directory, and the action panels' typed
// names (转办/委派/加签/抄送 without script) read back to one user or unit each.
//
// Both work on the cached directory choices (runtime-context.ts), the same lists the forms validate
// against: a search with a role or kind returns only what a field with that filter allows, and a
// search for a task's 转办/委派/加签 (`task`) only whom its holder may hand it to.

import type { Knex } from 'knex';
import type { Choice, DirectoryOptions } from '../forms/types.ts';
import { directoryChoices } from '../forms/fields/picker.ts';
import { PICKER_SEARCH_LIMIT, ambiguousMessage, notFoundMessage, resolveEntry, searchChoices, splitEntries } from '../forms/fields/picker-choices.ts';
import { LvzError } from '../errors.ts';
import { getInstance, getTask } from '../store/process/index.ts';
import { groupOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { actingOn, notFound } from './access.ts';
import { handoffTargets } from './handoff.ts';
import type { Actor, PickerQuery, PickerResult, TaskActionInput } from './types.ts';

/** At most this many characters of a query are read: a name, a unit or a username is far shorter. */
const QUERY_MAX = 50;

/** A task's 转办/委派/加签 picker: only whom its holder may hand it to (handoff.ts). */
async function handoffChoices(rc: RuntimeContext, actor: Actor, taskId: string, type: 'person' | 'org', dir: DirectoryOptions): Promise<Choice[]> {
  const task = await getTask(rc.reads, taskId);
  const inst = task ? await getInstance(rc.reads, task.instanceId) : undefined;
  if (!task || !inst) throw notFound('待办', taskId);
  const acting = await actingOn(rc, rc.reads, actor, task, inst);
  const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
  const t = await handoffTargets(rc, rc.reads, { task, inst, g: groupOf(wf, task.state, task.grp) }, acting.holder.userId, actor.userId);
  return type === 'org' ? dir.orgs.filter((c) => t.orgs.has(c.value)) : dir.people.filter((c) => t.people.has(c.value));
}

export async function pickerSearch(rc: RuntimeContext, actor: Actor, query: PickerQuery): Promise<PickerResult> {
  const dir = await rc.directory();
  const filter = query.type === 'org' ? (query.kind ? { kind: query.kind } : undefined) : (query.role ? { role: query.role } : undefined);
  const choices = query.task ? await handoffChoices(rc, actor, query.task, query.type, dir) : directoryChoices({ type: query.type, filter }, dir);
  const { items, hasMore } = searchChoices(choices, query.q.slice(0, QUERY_MAX), PICKER_SEARCH_LIMIT);
  return { items: items.map((c) => ({ value: c.value, name: c.name ?? c.label, label: c.label, group: c.group ?? '' })), hasMore };
}

/** One typed entry -> one choice's value, or a 4xx naming the candidates (or saying none matched). */
function readOne(entry: string, choices: readonly Choice[], what: string): string {
  const hit = resolveEntry(entry, choices);
  if (hit) return hit;
  throw new LvzError('LVZ_RUN_BAD_REQUEST', ambiguousMessage(what, entry, choices) ?? notFoundMessage(what, entry), { params: { entry, field: 'toUsers' } });
}

/** 抄送's recipients typed by name or username read back to their ids (转办 委派 加签: handoff.ts). */
export async function resolveActionTargets<T extends TaskActionInput>(rc: RuntimeContext, input: T, tx: Knex): Promise<T> {
  if (input.action !== 'copy') return input;
  // Inside the action's transaction: on SQLite it holds the one connection.
  const dir = await rc.directory(tx);
  const users = input.toUsers.flatMap(splitEntries).map((e) => readOne(e, dir.people, '抄送对象'));
  return { ...input, toUsers: [...new Set(users)] };
}

// picker-search.ts: the pickers' JSON search over the directory, and the action panels' typed
// names (转办/委派/加签/抄送 without script) read back to one user or unit each.
//
// Both work on the cached directory choices (runtime-context.ts), the same lists the forms validate
// against: a search with a role or kind returns only what a field with that filter allows.

import type { Knex } from 'knex';
import type { Choice } from '../forms/types.ts';
import { directoryChoices } from '../forms/fields/picker.ts';
import { PICKER_SEARCH_LIMIT, ambiguousMessage, notFoundMessage, resolveEntry, searchChoices, splitEntries } from '../forms/fields/picker-choices.ts';
import { LvzError } from '../errors.ts';
import type { RuntimeContext } from './runtime-context.ts';
import type { PickerQuery, PickerResult, TaskActionInput } from './types.ts';

/** At most this many characters of a query are read: a name, a unit or a username is far shorter. */
const QUERY_MAX = 50;

export async function pickerSearch(rc: RuntimeContext, query: PickerQuery): Promise<PickerResult> {
  const dir = await rc.directory();
  const filter = query.type === 'org' ? (query.kind ? { kind: query.kind } : undefined) : (query.role ? { role: query.role } : undefined);
  const choices = directoryChoices({ type: query.type, filter }, dir);
  const { items, hasMore } = searchChoices(choices, query.q.slice(0, QUERY_MAX), PICKER_SEARCH_LIMIT);
  return { items: items.map((c) => ({ value: c.value, name: c.name ?? c.label, label: c.label, group: c.group ?? '' })), hasMore };
}

/** One typed entry -> one choice's value, or a 4xx naming the candidates (or saying none matched). */
function readOne(entry: string, choices: readonly Choice[], what: string): string {
  const hit = resolveEntry(entry, choices);
  if (hit) return hit;
  throw new LvzError('LVZ_RUN_BAD_REQUEST', ambiguousMessage(what, entry, choices) ?? notFoundMessage(what, entry), { params: { entry } });
}

/** The action with every target typed by name or username read back to its id; ids pass as they are. */
export async function resolveActionTargets<T extends TaskActionInput>(rc: RuntimeContext, input: T, tx: Knex): Promise<T> {
  if (input.action !== 'reassign' && input.action !== 'delegate' && input.action !== 'add_signer' && input.action !== 'copy') return input;
  // Inside the action's transaction: on SQLite it holds the one connection.
  const dir = await rc.directory(tx);
  if (input.action === 'copy') {
    const users = input.toUsers.flatMap(splitEntries).map((e) => readOne(e, dir.people, '抄送对象'));
    return { ...input, toUsers: [...new Set(users)] };
  }
  const out = { ...input };
  if ('toUser' in out && out.toUser) out.toUser = readOne(out.toUser, dir.people, input.action === 'reassign' ? '转办对象' : input.action === 'delegate' ? '委派对象' : '加签人员');
  if (out.action === 'reassign' && out.toOrg) out.toOrg = readOne(out.toOrg, dir.orgs, '转办单位');
  return out;
}

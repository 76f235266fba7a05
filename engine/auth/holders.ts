// holders.ts: whom the actor acts as today: themself and everyone they stand in for (代理), kept
// on the actor object for the request. The session seeds it when the actor stands in for nobody.

import type { Knex } from 'knex';
import { localDateOf } from '../calendar/index.ts';
import { outOfOfficeGeneration, principalsOf } from '../store/directory.ts';
import type { Holder } from '../store/process/index.ts';
import type { Actor } from '../model/actor.ts';

export function holderOf(actor: Actor): Holder {
  return { userId: actor.userId, orgId: actor.orgId, roles: [...actor.roles] };
}

const memo = new WeakMap<Actor, { date: string; generation: number; holders: Promise<Holder[]> }>();

/** The session found the actor stands in for nobody on `date`: holdersOf needs no query this request. */
export function holdsOnlyForSelf(actor: Actor, date: string): void {
  memo.set(actor, { date, generation: outOfOfficeGeneration(), holders: Promise.resolve([holderOf(actor)]) });
}

/**
 * The actor plus everyone they stand in for today (代理), principals after the actor. Asked
 * several times while serving one request (the page, its counts, the task's access): kept on
 * the actor object (one per request) for the day, until this process changes an absence
 * (outOfOfficeGeneration); another process's change shows from the next request.
 */
export function holdersOf(db: Knex, actor: Actor, now: Date): Promise<Holder[]> {
  const date = localDateOf(now);
  const generation = outOfOfficeGeneration();
  const hit = memo.get(actor);
  if (hit && hit.date === date && hit.generation === generation) return hit.holders;
  const holders = principalsOf(db, actor.userId, date)
    .then((principals) => [holderOf(actor), ...principals.map((u) => ({ userId: u.id, orgId: u.orgId, roles: [...u.roles] }))]);
  holders.catch(() => memo.delete(actor));
  memo.set(actor, { date, generation, holders });
  return holders;
}

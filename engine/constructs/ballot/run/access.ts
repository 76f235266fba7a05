// access.ts: who may see a ballot and who chairs it. A member of its electorate, a holder of a
// `chair:` role, or whoever may see its instance sees it; anyone else, and a forged id, gets
// LVZ_RUN_NOT_FOUND without a word on whether it exists.

import type { Knex } from 'knex';
import { LvzError } from '../../../errors.ts';
import type { Actor } from '../../../model/actor.ts';
import { electorOf, getBallot, getInstance, type BallotRow, type ElectorRow } from '../../../store/process/index.ts';
import { canSee, holdersOf } from '../../../runtime/access.ts';
import type { RuntimeContext } from '../../../runtime/runtime-context.ts';
import { storedOf, type StoredBallot } from './stored.ts';

export interface SeenBallot {
  row: BallotRow;
  stored: StoredBallot;
  /** The actor's electorate row, when a member. */
  elector: ElectorRow | undefined;
  mayChair: boolean;
}

export function notFoundBallot(id: string): LvzError {
  return new LvzError('LVZ_RUN_NOT_FOUND', '表决不存在或您无权查看：请从表决列表重新进入', { params: { id } });
}

export const isChair = (actor: Actor, stored: StoredBallot): boolean => actor.roles.some((r) => stored.chair.includes(r));

/** Ids are UUIDs: anything else is a forged or mistyped link, refused before a query. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function seeBallot(rc: RuntimeContext, db: Knex, actor: Actor, ballotId: string): Promise<SeenBallot> {
  const row = typeof ballotId === 'string' && ID.test(ballotId) ? await getBallot(db, ballotId) : undefined;
  if (!row) throw notFoundBallot(String(ballotId).slice(0, 64));
  const stored = storedOf(row);
  const elector = await electorOf(db, row.id, actor.userId);
  const mayChair = isChair(actor, stored);
  if (!elector && !mayChair) {
    const inst = await getInstance(db, row.instanceId);
    if (!inst || !(await canSee(rc, db, actor, await holdersOf(db, actor, rc.now()), inst))) throw notFoundBallot(row.id);
  }
  return { row, stored, elector, mayChair };
}

export function ensureChair(seen: SeenBallot, what: string): void {
  if (!seen.mayChair) {
    throw new LvzError('LVZ_BALLOT_NOT_CHAIR', `只有表决主持人可以${what}：请联系会议主持人或会务工作人员`, { params: { ballot: seen.row.id } });
  }
}

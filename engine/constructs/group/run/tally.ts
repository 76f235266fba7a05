// tally.ts: a group step's running counts as tally.<group>, read from its counts row (never from its
// tasks), and whether every group step of the state is closed: settle's test for those groups.

import type { Knex } from 'knex';
import type { StateDef } from '../../../dsl/types.ts';
import * as groupCore from '../index.ts';
import { countsOfVisit } from '../../../store/process/index.ts';
import type { MachineContext } from '../../../runtime/machine.ts';

export async function loadGroupTally(tx: Knex, instanceId: string, s: StateDef, ctx: MachineContext): Promise<boolean> {
  const visit = ctx.visits[s.name] ?? 1;
  const counts = await countsOfVisit(tx, instanceId, s.name, visit);
  let closed = true;
  for (const g of s.tasks) {
    if (!g.to) continue;
    const c = counts.get(g.id);
    if (!c) continue; // a visit entered before migration 020: nothing to count
    ctx.tally = { ...ctx.tally, [g.id]: groupCore.tallyOf(g.outcomes, c) };
    if (!c.closedAt) closed = false;
  }
  return closed;
}

// raw-db.ts: the test's own connection to the engine's database, to read (and tamper with) what is stored.

import { openDb, type Db } from '../../../../../engine/store/db.ts';
import type { Harness } from '../../../runtime/harness.ts';

export const rawDb = (h: Harness): Promise<Db> => openDb({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }) });

export const isPg = (db: Db): boolean => db.client.config.client === 'pg';

/** Rows of every ballot table and the events, to show a refused request changed nothing. */
export async function footprint(db: Db): Promise<Record<string, unknown>> {
  const count = async (t: string, where: Record<string, unknown> = {}): Promise<number> => Number((await db(t).where(where).count({ n: '*' }).first())?.n ?? 0);
  return {
    ballots: await db('ballots').select('id', 'status', 'present', 'cast_count', 'head', 'seal_head').orderBy('id'),
    present: await count('ballot_electorate', { present: true }),
    voted: await count('ballot_electorate', { has_voted: true }),
    envelopes: await count('ballot_envelopes'),
    casts: await count('ballot_casts'),
    events: await count('events'),
    keys: await count('idempotency_keys'),
  };
}

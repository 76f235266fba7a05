// timing experiment
import { openDb } from '../engine/store/db.ts';
import { cloneInstances, prepareForBulk } from '../engine/store/bench-seed.ts';
const dir = process.argv[2]!;
const db = await openDb({ dataDir: dir });
await prepareForBulk(db);
const ids = (await db('instances').select('id', 'workflow_id', 'state').limit(20)) as { id: string }[];
console.log(ids.length);
const t0 = performance.now();
const r = await cloneInstances(db, { specs: [{ templateId: ids[0]!.id, count: 20000, spreadDays: 100 }], initiators: [{ id: 'x', orgId: 'y' }], now: new Date(), topics: ['a'] });
console.log(r.rows, (performance.now() - t0) / 1000);
await db.destroy();

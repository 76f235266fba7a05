import { seedBench } from '/work/main/bench/seed.ts';
const dir = '/tmp/bt/s' + Date.now();
const r = await seedBench(dir, { instances: Number(process.argv[2] ?? 10000), pool: 2000 }, console.log);
console.log({ ...r, pool: r.pool.length, pageInstances: r.pageInstances.length, dir });

import { seedBench } from './seed.ts';
const r = await seedBench(process.argv[2]!, { instances: 5000, pool: 100 }, console.log);
console.log(r.pageInstances[0]);

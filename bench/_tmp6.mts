import fs from 'node:fs';
import { login } from './client.ts';
import { measure } from './load.ts';
const base = 'http://127.0.0.1:3999';
const pid = Number(fs.readFileSync('/tmp/bt/srv.pid', 'utf8'));
const s = await login(base, 'review1');
for (const c of [1, 5, 20, 50]) {
  const m = await measure({ port: 3999, pid, connections: c, duration: 5, warmup: 1 }, { name: 'inbox', what: '', next: () => ({ method: 'GET', path: process.argv[2] ?? '/inbox', headers: { cookie: s.cookie } }) });
  console.log(c, m.rps.toFixed(1), m.p50, m.cpuMsPerRequest.toFixed(1));
}

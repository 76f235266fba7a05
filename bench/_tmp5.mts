import autocannon from 'autocannon';
import { login } from './client.ts';
const base = 'http://127.0.0.1:3999';
const s = await login(base, 'review1');
for (const c of [1, 10]) {
  const r = await new Promise<any>((res, rej) => {
    const inst = autocannon({ url: base, connections: c, duration: 3, timeout: 10, requests: [{ method: 'GET', path: '/inbox', headers: { cookie: s.cookie } }] }, (e, r) => e ? rej(e) : res(r));
  });
  console.log(c, r.requests.total, r.latency.p50, r.statusCodeStats, r.errors, r.timeouts);
}

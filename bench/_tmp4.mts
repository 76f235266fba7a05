import { login } from './client.ts';
const base = 'http://127.0.0.1:3999';
const s = await login(base, 'review1');
for (const p of ['/inbox', '/inbox', '/instances', '/instances?page=3']) {
  const t0 = performance.now();
  const r = await fetch(base + p, { headers: { cookie: s.cookie } });
  const body = await r.text();
  console.log(p, r.status, body.length, (performance.now() - t0).toFixed(0), 'ms');
}

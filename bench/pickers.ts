// pickers.ts: what a directory picker costs with 6,007 deputies: the bytes and server time of the
// 提出议案 start form (附议代表) and of a 审查交办 task page (主办/协办单位 and the 转办/委派/加签/抄送
// panels, which pick among everyone), and the time of one search. Run with `npx tsx bench/pickers.ts`
// (SQLite, in-process); the numbers go into docs/benchmarks.md by hand.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../engine/index.ts';
import { buildApp } from '../server/app.ts';
import { login, page, type Session } from './client.ts';
import { seedDeputies } from '../test/helpers/deputies.ts';
import type { TestServer } from '../test/helpers/http.ts';

const RUNS = 30;

async function measure(base: string, s: Session, url: string): Promise<{ bytes: number; medianMs: number }> {
  for (let i = 0; i < 3; i++) await page(base, s, url);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = Buffer.byteLength(await page(base, s, url));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { bytes, medianMs: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10 };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-pickers-bench-'));
  const clock = { now: new Date('2026-03-02T01:00:00Z') };
  const engine = await createEngine({ dataDir, demo: true, now: () => clock.now });
  const app = await buildApp({ engine, dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await seedDeputies({ dataDir, clock } as TestServer);
    const { actor } = await engine.login('deputy1', 'lvzhi2026');
    await engine.start(actor, 'suggestion', { event: 'submit', version: 0, input: { title: '关于增设公交站点的建议', category: '城乡建设与管理', content: '内容' } });
    const deputy = await login(base, 'deputy1');
    const review = await login(base, 'review1');
    const taskId = /\/tasks\/([^"?/]+)/.exec(await page(base, review, '/inbox'))?.[1];
    const rows: [string, { bytes: number; medianMs: number }][] = [
      ['GET /start/bill (deputy1)', await measure(base, deputy, '/start/bill')],
      ['GET /tasks/:id 审查交办 (review1)', await measure(base, review, `/tasks/${taskId}`)],
    ];
    const q = '/pickers/person?role=deputy&q=%E5%BC%A0';
    const probe = await fetch(base + q, { headers: { cookie: deputy.cookie } });
    await probe.arrayBuffer();
    if (probe.status === 200) {
      rows.push(['GET /pickers/person?role=deputy&q=张 (50 of many)', await measure(base, deputy, q)]);
      rows.push(['GET /pickers/person?role=deputy&q=张伟 (2)', await measure(base, deputy, '/pickers/person?role=deputy&q=%E5%BC%A0%E4%BC%9F')]);
    }
    for (const [what, r] of rows) console.log(`${what}\t${r.bytes} bytes\t${r.medianMs} ms (median of ${RUNS})`);
  } finally {
    await app.close();
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

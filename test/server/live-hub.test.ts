// live-hub.test.ts: the 投屏 page's event stream over a real HTTP server: the state is sent at once, a
// change reaches every client of the key, an unchanged read sends nothing, a heartbeat comment keeps
// the stream alive, and the key's poll stops when its last client leaves.

import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveHub, sseFrame, type LiveHub } from '../../server/live-hub.ts';

let server: http.Server | undefined;
let hub: LiveHub<any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
afterEach(async () => {
  hub?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Reads a stream's text until `until` holds, then stops reading (the client disconnects). */
async function readUntil(res: Response, until: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('live hub', () => {
  it('frames multi-line data as one data: line each', () => {
    expect(sseFrame({ event: 'panel', data: '<p>a</p>\n<p>b</p>' })).toBe('event: panel\ndata: <p>a</p>\ndata: <p>b</p>\n\n');
  });

  it('sends the state at once, changes to every client, a heartbeat, and stops polling with the last client', async () => {
    const state = { text: 'v1', reads: 0 };
    hub = createLiveHub(async () => { state.reads++; return { event: 'panel', data: state.text }; }, { pollMs: 10, heartbeatMs: 30 });
    const h = hub;
    server = http.createServer((req, res) => h.attach('b1', res, { event: 'panel', data: state.text }, null));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };

    const [a, b] = await Promise.all([fetch(`http://127.0.0.1:${port}/`), fetch(`http://127.0.0.1:${port}/`)]);
    expect(a.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(hub.polled()).toBe(1);
    const readA = readUntil(a, (t) => t.includes('data: v2') && t.includes(': heartbeat'));
    const readB = readUntil(b, (t) => t.includes('data: v2'));
    await until(() => state.reads > 2);
    state.text = 'v2';
    const [textA, textB] = await Promise.all([readA, readB]);
    expect(textA.startsWith('retry: 3000\n\nevent: panel\ndata: v1\n\n')).toBe(true);
    // Sent once per change, however many ticks read the same state.
    expect(textA.match(/data: v1/g)).toHaveLength(1);
    expect(textB.match(/data: v2/g)).toHaveLength(1);
    await until(() => hub!.polled() === 0);
    const reads = state.reads;
    await new Promise((r) => setTimeout(r, 50));
    expect(state.reads).toBe(reads);
  });

  it('ends the streams when the read says the key is gone', async () => {
    hub = createLiveHub(async () => null, { pollMs: 10, heartbeatMs: 1000 });
    const h = hub;
    server = http.createServer((req, res) => h.attach('gone', res, { event: 'panel', data: 'x' }, null));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('retry: 3000\n\nevent: panel\ndata: x\n\n');
    await until(() => hub!.polled() === 0);
    expect(hub.channels()).toBe(0);
  });

  it('many clients at once share one poll and one state; when the last leaves nothing is left running', async () => {
    const seen = new Set<unknown>();
    let reads = 0;
    hub = createLiveHub<{ n: number }>(async (_key, st) => { reads++; seen.add(st); return { event: 'panel', data: 'same' }; }, { pollMs: 10, heartbeatMs: 1000 });
    const h = hub;
    let n = 0;
    server = http.createServer((req, res) => h.attach('b1', res, { event: 'panel', data: 'same' }, { n: n++ }));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const ctl = new AbortController();
    const streams = await Promise.all(Array.from({ length: 40 }, () => fetch(`http://127.0.0.1:${port}/`, { signal: ctl.signal })));
    expect(streams.every((r) => r.status === 200)).toBe(true);
    await until(() => hub!.clients() === 40);
    expect([hub.channels(), hub.polled()]).toEqual([1, 1]);
    await until(() => reads > 3);
    // Every tick read the first client's state, once per tick, whatever the number of clients.
    expect(seen.size).toBe(1);
    ctl.abort();
    await until(() => hub!.clients() === 0 && hub!.channels() === 0);
    const after = reads;
    await new Promise((r) => setTimeout(r, 60));
    expect(reads).toBe(after);
  });

  it('does not add a client whose connection closed before it was attached (no channel, no poll)', async () => {
    let reads = 0;
    hub = createLiveHub(async () => { reads++; return { event: 'panel', data: 'x' }; }, { pollMs: 10, heartbeatMs: 1000 });
    const h = hub;
    const attached: boolean[] = [];
    // As the route does: access is checked first (here: until the client has gone), then the stream is attached.
    server = http.createServer((req, res) => {
      req.socket.once('close', () => attached.push(h.attach('late', res, { event: 'panel', data: 'x' }, null)));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const ctl = new AbortController();
    const pending = fetch(`http://127.0.0.1:${port}/`, { signal: ctl.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    ctl.abort();
    await pending;
    await until(() => attached.length === 1);
    expect(attached).toEqual([false]);
    expect([hub.channels(), hub.polled(), hub.clients()]).toEqual([0, 0, 0]);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toBe(0);
  });

  it('stops polling once a read is final, keeps the stream and its heartbeat', async () => {
    let reads = 0;
    hub = createLiveHub(async () => { reads++; return { event: 'panel', data: reads >= 2 ? 'closed' : 'open', isFinal: reads >= 2 }; }, { pollMs: 10, heartbeatMs: 40 });
    const h = hub;
    server = http.createServer((req, res) => h.attach('b1', res, { event: 'panel', data: 'open' }, null));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    const text = await readUntil(res, (t) => t.includes('data: closed') && t.split(': heartbeat').length > 2);
    expect(text.match(/data: closed/g)).toHaveLength(1);
    expect(reads).toBe(2);
    await until(() => hub!.channels() === 0);
  });
});

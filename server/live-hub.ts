// live-hub.ts: one poll per key shared by every connected client of that key (a ballot's 投屏 pages),
// written by hand as server-sent events on the raw response: no dependency, no per-client query.
//
// A key's poll starts with its first client and stops with its last, so a ballot nobody watches
// costs nothing. Each tick reads once and sends only when the text changed; a comment line every
// `heartbeatMs` keeps proxies and the browser from dropping an idle stream.

import type { ServerResponse } from 'node:http';

export interface LiveHubOptions {
  /** How often a watched key is read (about a second). */
  pollMs: number;
  /** A comment line this often, so an idle stream is not cut by a proxy (15 s). */
  heartbeatMs: number;
  /** A read that failed (the database busy, the ballot gone): logged, the stream kept. */
  onError?: (key: string, error: unknown) => void;
  /** The key's last client left and its poll stopped: forget what was kept for it. */
  onIdle?: (key: string) => void;
}

/** What a key's poll reads: the event to send (already rendered), or null to close its streams. */
export type LiveRead = (key: string) => Promise<LiveEvent | null>;

export interface LiveEvent {
  /** The SSE event name the page listens for. */
  event: string;
  /** The payload; newlines are sent as separate `data:` lines, as the format requires. */
  data: string;
}

interface Channel {
  clients: Set<ServerResponse>;
  last: string | undefined;
  poll: NodeJS.Timeout;
  beat: NodeJS.Timeout;
  busy: boolean;
}

export interface LiveHub {
  /** Adds a response as a client of `key` (the headers are written here) and sends the current state at once. */
  attach(key: string, res: ServerResponse, first: LiveEvent): void;
  /** How many keys are polled now (for the tests: a key without clients is not). */
  polled(): number;
  close(): void;
}

export function sseFrame(e: LiveEvent): string {
  const lines = e.data.split(/\r?\n/).map((l) => `data: ${l}`).join('\n');
  return `event: ${e.event}\n${lines}\n\n`;
}

export function createLiveHub(read: LiveRead, options: LiveHubOptions): LiveHub {
  const channels = new Map<string, Channel>();

  const drop = (key: string, res: ServerResponse) => {
    const ch = channels.get(key);
    if (!ch) return;
    ch.clients.delete(res);
    if (ch.clients.size > 0) return;
    clearInterval(ch.poll);
    clearInterval(ch.beat);
    channels.delete(key);
    options.onIdle?.(key);
  };

  const broadcast = (ch: Channel, text: string) => {
    for (const res of ch.clients) res.write(text);
  };

  const tick = async (key: string, ch: Channel) => {
    // A slow read is not stacked: the next tick waits for this one.
    if (ch.busy) return;
    ch.busy = true;
    try {
      const e = await read(key);
      if (e === null) {
        for (const res of [...ch.clients]) res.end();
        return;
      }
      const frame = sseFrame(e);
      if (frame !== ch.last) {
        ch.last = frame;
        broadcast(ch, frame);
      }
    } catch (error) {
      options.onError?.(key, error);
    } finally {
      ch.busy = false;
    }
  };

  return {
    attach(key, res, first) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // nginx and the like would otherwise buffer the stream until it ends.
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      // The browser waits this long before it reconnects after a dropped stream.
      res.write('retry: 3000\n\n');
      res.write(sseFrame(first));
      let ch = channels.get(key);
      if (!ch) {
        const created: Channel = {
          clients: new Set(), last: sseFrame(first), busy: false,
          poll: setInterval(() => void tick(key, created), options.pollMs),
          beat: setInterval(() => broadcast(created, ': heartbeat\n\n'), options.heartbeatMs),
        };
        ch = created;
        channels.set(key, ch);
      }
      ch.clients.add(res);
      res.on('close', () => drop(key, res));
    },
    polled: () => channels.size,
    close() {
      for (const [key, ch] of channels) for (const res of [...ch.clients]) { res.end(); drop(key, res); }
    },
  };
}

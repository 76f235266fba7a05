// live-hub.ts: one poll per key shared by every connected client of that key (a ballot's 投屏 pages),
// written by hand as server-sent events on the raw response: no dependency, no per-client query.
//
// A key's poll starts with its first client and stops with its last, so a ballot nobody watches
// costs nothing; what the poll keeps (the key's state) lives in its channel and goes with it, so no
// map outside can outlive its screens. A client whose connection closed before it was attached (it
// left while its access was checked) is never added. Each tick reads once and sends only when the text
// changed; a read that says it is final (a closed ballot) stops the poll and keeps the streams; a
// comment line every `heartbeatMs` keeps proxies and the browser from dropping an idle stream.

import type { ServerResponse } from 'node:http';

export interface LiveHubOptions {
  /** How often a watched key is read (about a second). */
  pollMs: number;
  /** A comment line this often, so an idle stream is not cut by a proxy (15 s). */
  heartbeatMs: number;
  /** A read that failed (the database busy): logged, the stream kept. */
  onError?: (key: string, error: unknown) => void;
}

/**
 * What a key's poll reads, given the state its first client brought (and the read may change): the event
 * to send (already rendered), or null to close its streams (the key is gone or no longer readable).
 */
export type LiveRead<S> = (key: string, state: S) => Promise<LiveEvent | null>;

export interface LiveEvent {
  /** The SSE event name the page listens for. */
  event: string;
  /** The payload; newlines are sent as separate `data:` lines, as the format requires. */
  data: string;
  /** Nothing will change any more (a closed ballot): the poll stops, the streams stay with their heartbeat. */
  isFinal?: boolean;
}

interface Channel<S> {
  clients: Set<ServerResponse>;
  state: S;
  last: string | undefined;
  poll: NodeJS.Timeout | undefined;
  beat: NodeJS.Timeout;
  busy: boolean;
}

export interface LiveHub<S = unknown> {
  /**
   * Adds a response as a client of `key` (the headers are written here) and sends `first` at once. The
   * key's first client starts its poll with `state`; later ones join it. False when the connection had
   * already closed: nothing was added.
   */
  attach(key: string, res: ServerResponse, first: LiveEvent, state: S): boolean;
  /** Keys with a channel now, and of those how many are still polled (a final one is not). */
  channels(): number;
  polled(): number;
  /** Streams open now, over every key. */
  clients(): number;
  close(): void;
}

export function sseFrame(e: LiveEvent): string {
  const lines = e.data.split(/\r?\n/).map((l) => `data: ${l}`).join('\n');
  return `event: ${e.event}\n${lines}\n\n`;
}

export function createLiveHub<S>(read: LiveRead<S>, options: LiveHubOptions): LiveHub<S> {
  const channels = new Map<string, Channel<S>>();

  const stopPoll = (ch: Channel<S>) => {
    if (ch.poll) clearInterval(ch.poll);
    ch.poll = undefined;
  };

  const drop = (key: string, res: ServerResponse) => {
    const ch = channels.get(key);
    if (!ch) return;
    ch.clients.delete(res);
    if (ch.clients.size > 0) return;
    stopPoll(ch);
    clearInterval(ch.beat);
    channels.delete(key);
  };

  const broadcast = (ch: Channel<S>, text: string) => {
    for (const res of ch.clients) res.write(text);
  };

  const tick = async (key: string, ch: Channel<S>) => {
    // A slow read is not stacked: the next tick waits for this one.
    if (ch.busy) return;
    ch.busy = true;
    try {
      const e = await read(key, ch.state);
      // The last client left while this read ran: its channel is gone, nothing to send.
      if (channels.get(key) !== ch) return;
      if (e === null) {
        for (const res of [...ch.clients]) { res.end(); drop(key, res); }
        return;
      }
      const frame = sseFrame(e);
      if (frame !== ch.last) {
        ch.last = frame;
        broadcast(ch, frame);
      }
      if (e.isFinal) stopPoll(ch);
    } catch (error) {
      options.onError?.(key, error);
    } finally {
      ch.busy = false;
    }
  };

  const isGone = (res: ServerResponse) => res.destroyed || res.writableEnded || !res.socket || res.socket.destroyed;

  return {
    attach(key, res, first, state) {
      if (isGone(res)) {
        res.destroy();
        return false;
      }
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
        const created: Channel<S> = {
          clients: new Set(), state, last: sseFrame(first), busy: false,
          poll: first.isFinal ? undefined : setInterval(() => void tick(key, created), options.pollMs),
          beat: setInterval(() => broadcast(created, ': heartbeat\n\n'), options.heartbeatMs),
        };
        ch = created;
        channels.set(key, ch);
      }
      ch.clients.add(res);
      res.on('close', () => drop(key, res));
      return true;
    },
    channels: () => channels.size,
    polled: () => [...channels.values()].filter((c) => c.poll !== undefined).length,
    clients: () => [...channels.values()].reduce((n, c) => n + c.clients.size, 0),
    close() {
      for (const [key, ch] of channels) for (const res of [...ch.clients]) { res.end(); drop(key, res); }
    },
  };
}

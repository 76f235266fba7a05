// ballot-live-screens.test.ts: many 投屏 screens on one ballot over real HTTP (SQLite, and PostgreSQL with
// LVZHI_TEST_PG=1): they share one poll, every one follows a cast, the poll stops once the ballot is closed
// (the screens stay, with the result), and when the last screen leaves nothing is left running.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotServer, opened, toBallot, type BallotServer } from '../helpers/ballot-world.ts';
import { loginAs, type Client } from '../helpers/http.ts';

let w: BallotServer;

beforeAll(async () => { w = await ballotServer(33); });
afterAll(async () => w?.close());

const cookie = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** One screen's stream, read in the background into `text`. */
function screen(res: Response) {
  const s = { text: '', done: false };
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        s.text += decoder.decode(value, { stream: true });
      }
    } catch { /* aborted */ }
    s.done = true;
  })();
  return s;
}

describe('投屏 with many screens', () => {
  it('one poll for 30 screens, each following the casts; none once closed; nothing left when they leave', async () => {
    const hub = w.s.app.liveHub;
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await opened(w, id!, 20);
    const chair = await loginAs(w.s.base, 'leader1');
    const members = await Promise.all(['m0001', 'm0002', 'm0003', 'm0004', 'm0005'].map((u) => loginAs(w.s.base, u)));
    const ctl = new AbortController();
    const url = `${w.s.base}/ballots/${id}/live/events`;
    // All at once: 25 on the chair's session (a room of screens), 5 members' phones.
    const responses = await Promise.all([
      ...Array.from({ length: 25 }, () => fetch(url, { signal: ctl.signal, headers: { cookie: cookie(chair) } })),
      ...members.map((m) => fetch(url, { signal: ctl.signal, headers: { cookie: cookie(m) } })),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200));
    const screens = responses.map(screen);
    await until(() => hub.clients() === 30);
    expect([hub.channels(), hub.polled()]).toEqual([1, 1]);

    await w.s.engine.castBallot(w.members[0]!, id!, 'for');
    await until(() => screens.every((s) => /<dd>1<\/dd>/.test(s.text)));
    expect(screens.some((s) => s.text.includes('占实到人数'))).toBe(false);

    await w.s.engine.closeBallot(w.chair, id!, '测试结束');
    await until(() => screens.every((s) => s.text.includes('校验码')));
    // Closed is final: the poll stops, the screens stay connected with the result.
    await until(() => hub.polled() === 0);
    expect([hub.channels(), hub.clients()]).toEqual([1, 30]);
    // A screen opened now gets the result at once, and starts no poll.
    const late = screen(await fetch(url, { signal: ctl.signal, headers: { cookie: cookie(chair) } }));
    await until(() => late.text.includes('校验码'));
    expect([hub.channels(), hub.polled(), hub.clients()]).toEqual([1, 0, 31]);

    ctl.abort();
    await until(() => hub.clients() === 0);
    expect([hub.channels(), hub.polled()]).toEqual([0, 0]);
  });

  it('a screen of a ballot the viewer may not see is a 404 and joins nothing', async () => {
    const hub = w.s.app.liveHub;
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    const outsider = await loginAs(w.s.base, 'review1');
    const res = await fetch(`${w.s.base}/ballots/${id}/live/events`, { headers: { cookie: cookie(outsider) } });
    expect(res.status).toBe(404);
    expect([hub.channels(), hub.clients()]).toEqual([0, 0]);
  });
});

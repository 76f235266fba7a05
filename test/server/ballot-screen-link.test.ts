// ballot-screen-link.test.ts: the 投屏 link for a meeting room PC, over real HTTP without login (SQLite, and
// PostgreSQL with LVZHI_TEST_PG=1): only the chair turns it on, changes or stops it; the link shows what the
// live view shows (counts, no result while a secret ballot is open, the result and 校验码 once closed) and no
// name; a changed or stopped link is a 404 and ends its open streams; a forged token or id is a 404.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotServer, opened, toBallot, type BallotServer } from '../helpers/ballot-world.ts';
import { loginAs, type Client } from '../helpers/http.ts';

let w: BallotServer;
let chair: Client;

beforeAll(async () => {
  w = await ballotServer(33);
  chair = await loginAs(w.s.base, 'leader1');
});
afterAll(async () => w?.close());

/** The link as the chair's page shows it (absolute), as a path on the test server. */
async function linkOnPage(id: string): Promise<string | undefined> {
  const page = await chair.get(`/ballots/${id}`);
  const url = /id="screen-url" type="text" value="([^"]+)"/.exec(page.text)?.[1];
  return url && new URL(url).pathname;
}

const anonymous = (path: string, init: RequestInit = {}) => fetch(`${w.s.base}${path}`, { redirect: 'manual', ...init });

async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await cond()).toBe(true);
}

describe('投屏 link without login', () => {
  it('only the chair turns it on; the link shows counts, the result once closed, never a name', async () => {
    const { instanceId, ballotIds: [id] } = await toBallot(w, 'vote-secret');
    expect(await linkOnPage(id!)).toBeUndefined();
    expect((await chair.get(`/ballots/${id}`)).text).toContain('生成投屏链接');
    // A member may not make one: 403, nothing made.
    const m1 = await loginAs(w.s.base, 'm0001');
    expect((await m1.get(`/ballots/${id}`)).text).not.toContain('投屏链接');
    expect((await m1.post(`/ballots/${id}/screen`, { action: 'on' })).status).toBe(403);
    await expect(w.s.engine.screenLink(w.chair, id!)).resolves.toBeUndefined();
    await expect(w.s.engine.screenLink(w.members[0]!, id!)).rejects.toMatchObject({ code: 'LVZ_BALLOT_NOT_CHAIR' });

    const made = await chair.post(`/ballots/${id}/screen`, { action: 'on' });
    expect(made.status).toBe(303);
    const link = (await linkOnPage(id!))!;
    expect(link).toMatch(new RegExp(`^/screen/${id}/[A-Za-z0-9_-]{22}$`));
    let res = await anonymous(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    let html = await res.text();
    expect(html).toContain('等待主持人开始表决');
    expect(html).not.toContain('live-back');
    expect(html).not.toContain(w.members[0]!.name);

    await opened(w, id!, 20);
    for (const [i, c] of (['for', 'against', 'for'] as const).entries()) await w.s.engine.castBallot(w.members[i]!, id!, c);
    html = await (await anonymous(link)).text();
    expect(html).toContain('表决结束后公布结果');
    expect(html).not.toContain('占实到人数');
    // The stream, without login.
    const ctl = new AbortController();
    const stream = await anonymous(`${link}/events`, { signal: ctl.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    ctl.abort();

    await w.s.engine.closeBallot(w.chair, id!, '测试结束');
    html = await (await anonymous(link)).text();
    expect(html).toContain('10.0%');
    expect(html).toContain((await w.s.engine.ballotView(w.chair, id!)).seal!.code);
    // Turning it on is in the case's history.
    expect((await w.s.engine.instance(w.staff, instanceId)).history.some((h) => h.type === 'ballot.screen')).toBe(true);

    // Forged: another token, another ballot's id with this token, no token at all.
    res = await anonymous(link.replace(/[A-Za-z0-9_-]{22}$/, 'A'.repeat(22)));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('投屏链接无效或已更换');
    const { ballotIds: [other] } = await toBallot(w, 'vote-secret');
    expect((await anonymous(link.replace(id!, other!))).status).toBe(404);
    expect((await anonymous(`/screen/${id}/short`)).status).toBe(404);
    expect((await anonymous(`/screen/${id}`)).status).toBe(404);
  });

  it('更换链接 ends the old link and its open streams; 停用 ends the link', async () => {
    const hub = w.s.app.liveHub;
    const { ballotIds: [id] } = await toBallot(w, 'vote-secret');
    await chair.get(`/ballots/${id}`);
    await chair.post(`/ballots/${id}/screen`, { action: 'on' });
    const first = (await linkOnPage(id!))!;
    await opened(w, id!, 20);
    const stream = await anonymous(`${first}/events`);
    const reader = stream.body!.getReader();
    let ended = false;
    void (async () => { for (;;) { const { done } = await reader.read(); if (done) break; } ended = true; })();
    await until(() => hub.clients() === 1);

    await chair.get(`/ballots/${id}`);
    expect((await chair.post(`/ballots/${id}/screen`, { action: 'on' })).status).toBe(303);
    const second = (await linkOnPage(id!))!;
    expect(second).not.toBe(first);
    expect((await anonymous(first)).status).toBe(404);
    expect((await anonymous(second)).status).toBe(200);
    // The old link's stream is ended by its next poll; nothing left running for it.
    await until(() => ended);
    await until(() => hub.channels() === 0);

    await chair.get(`/ballots/${id}`);
    expect((await chair.post(`/ballots/${id}/screen`, { action: 'off' })).status).toBe(303);
    expect((await anonymous(second)).status).toBe(404);
    expect(await linkOnPage(id!)).toBeUndefined();
  });

  it('a named ballot with live results: the link shows the counts, never who chose what', async () => {
    const { ballotIds: [id] } = await toBallot(w, 'vote-named');
    await w.s.engine.setScreenLink(w.chair, id!, true);
    const token = (await w.s.engine.screenLink(w.chair, id!))!;
    await opened(w, id!, 20);
    await w.s.engine.castBallot(w.members[0]!, id!, 'for');
    const views = await w.s.engine.screenView(id!, token);
    expect(views[0]!.tally).toBeDefined();
    expect(views.every((v) => v.casts === undefined && v.electorate === undefined && !v.you.mayChair)).toBe(true);
    expect((await w.s.engine.ballotView(w.chair, id!)).casts).toHaveLength(1);
    const html = await (await anonymous(`/screen/${id}/${token}`)).text();
    expect(html).not.toContain(w.members[0]!.name);
  });
});

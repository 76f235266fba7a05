// ballot-attendance.test.ts: the chair's 签到 for all 6,007 deputies over real HTTP (SQLite, and PostgreSQL
// with LVZHI_TEST_PG=1): counts first (应到 / 已签到 / 未签到), 50 names a page (the page was 1.7 MB with every
// name; docs/ballots.md), a search by name or unit as a GET and as htmx's swap, 全部签到 over every page of a
// search, saving one page and coming back to it, and bad query values turned into a page that works.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotServer, memberName, toBallot, type BallotServer } from '../helpers/ballot-world.ts';
import { loginAs, type Client } from '../helpers/http.ts';

const N = 6007;
let w: BallotServer;
let chair: Client;
let id: string;

beforeAll(async () => {
  // Every third member in 张店区人大常委会, the rest in 市人大常委会 and 车站街道人大工委.
  w = await ballotServer(N, { orgs: ['city', 'zhangdian', 'zhangdian-chezhan'] });
  chair = await loginAs(w.s.base, 'leader1');
  id = (await toBallot(w, 'vote-secret')).ballotIds[0]!;
}, 120_000);
afterAll(async () => w?.close());

const listed = (html: string) => [...html.matchAll(/name="_listed" value="([^"]+)"/g)].map((m) => m[1]!);
const counts = (html: string) => [...html.matchAll(/<strong>(\d+)<\/strong>(应到|已签到|未签到)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
const present = async () => (await w.s.engine.ballotView(w.chair, id)).present;

describe('签到 for 6,007', () => {
  it('shows the counts, 50 names and a pager, not the whole electorate', async () => {
    const page = await chair.get(`/ballots/${id}`);
    expect(page.status).toBe(200);
    expect(Buffer.byteLength(page.text)).toBeLessThan(40_000);
    expect(counts(page.text)).toEqual(['应到 6007', '已签到 0', '未签到 6007']);
    expect(listed(page.text)).toEqual(w.usernames.slice(0, 50));
    expect(page.text).toContain('第 1 / 121 页，共 6007 条');
    expect(page.text).toContain(`href="/ballots/${id}?page&#x3D;2#attendance"`); // = escaped by Handlebars
    expect(page.text).toContain('全部签到（6007 人）');
    const last = await chair.get(`/ballots/${id}?page=121`);
    expect(listed(last.text)).toEqual(w.usernames.slice(6000));
    expect(last.text).toContain('本页显示第 6001–6007 位');
  });

  it('searches by unit and by name without script; htmx gets the list alone with the page\'s address', async () => {
    const unit = await chair.get(`/ballots/${id}?q=${encodeURIComponent('张店区')}`);
    expect(unit.text).toContain('符合条件的共 2002 人');
    expect(listed(unit.text)).toEqual(w.usernames.filter((_, i) => i % 3 === 1).slice(0, 50));
    expect(unit.text).toContain('查找出的 2002 人全部签到');
    const name = memberName(4);
    const byName = await chair.get(`/ballots/${id}?q=${encodeURIComponent(name)}`);
    const expected = w.usernames.filter((_, i) => memberName(i) === name);
    expect(byName.text).toContain(`符合条件的共 ${expected.length} 人`);
    expect(listed(byName.text)).toEqual(expected.slice(0, 50));

    const swap = await chair.get(`/ballots/${id}/attendance?q=${encodeURIComponent('张店区')}&page=3`, { 'HX-Request': 'true' });
    expect(swap.status).toBe(200);
    expect(swap.text.trimStart().startsWith('<div id="attendance-results">')).toBe(true);
    expect(swap.text).not.toContain('<html');
    expect(listed(swap.text)).toEqual(w.usernames.filter((_, i) => i % 3 === 1).slice(100, 150));
    expect(swap.headers.get('hx-replace-url')).toBe(`/ballots/${id}?q=${encodeURIComponent('张店区')}&page=3`);
    // Without htmx the same address leads to the page.
    const plain = await chair.get(`/ballots/${id}/attendance?q=x&show=absent`);
    expect(plain.status).toBe(303);
    expect(plain.location).toBe(`/ballots/${id}?q=x&show=absent#attendance`);
    expect((await chair.get(`/ballots/${id}?q=${encodeURIComponent('没有这个人')}`)).text).toContain('没有符合条件的人员');
  });

  it('全部签到 of a search signs in every page of it; a saved page returns to itself; 未签到 lists the rest', async () => {
    await chair.get(`/ballots/${id}?q=${encodeURIComponent('张店区')}`);
    const all = await chair.post(`/ballots/${id}/attendance`, { q: '张店区', show: '', page: '1', _listed: [], _all: '1' });
    expect(all.status).toBe(303);
    expect(await present()).toBe(2002);
    let page = await chair.get(`/ballots/${id}?show=absent&page=2`);
    expect(counts(page.text)).toEqual(['应到 6007', '已签到 2002', '未签到 4005']);
    expect(page.text).toContain('第 2 / 81 页，共 4005 条');
    // Page 2 of 未签到: tick 10 of its 50 and save; back on page 2 of what is now left.
    const names = listed(page.text);
    const saved = await chair.post(`/ballots/${id}/attendance`, { q: '', show: 'absent', page: '2', _listed: names, present: names.slice(0, 10) });
    expect(saved.location).toBe(`/ballots/${id}?show=absent&page=2#attendance`);
    expect(await present()).toBe(2012);
    page = await chair.follow(saved);
    expect(page.text).toContain('已保存签到：实到 2012 人。');
    expect(listed(page.text)).not.toContain(names[0]);
    // Unticking on a page of 已签到 signs those out, and only those.
    page = await chair.get(`/ballots/${id}?show=present`);
    const ins = listed(page.text);
    await chair.post(`/ballots/${id}/attendance`, { show: 'present', _listed: ins, present: ins.slice(5) });
    expect(await present()).toBe(2007);
  });

  it('bad query values give a page that works; a member can neither list nor sign in others', async () => {
    let page = await chair.get(`/ballots/${id}?page=abc&show=everyone&q=${'王'.repeat(500)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('没有符合条件的人员');
    page = await chair.get(`/ballots/${id}?page=99999`);
    expect(page.text).toContain('第 121 / 121 页');
    const member = await loginAs(w.s.base, 'm0002');
    await member.get(`/ballots/${id}`);
    const before = await present();
    expect((await member.get(`/ballots/${id}/attendance`, { 'HX-Request': 'true' })).text).not.toContain('_listed');
    const refused = await member.post(`/ballots/${id}/attendance`, { _listed: ['m0003'], _all: '1' });
    expect(refused.status).toBe(403);
    expect(await present()).toBe(before);
  });
});

// sessions.test.ts: login, sliding session expiry, logout and API tokens on a real database.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SESSION_IDLE_MS, SESSION_MAX_MS, login, logout, sessionInfo,
} from '../../../engine/auth/sessions.ts';
import { actorByApiToken, createApiToken } from '../../../engine/auth/api-tokens.ts';
import { DEMO_PASSWORD } from '../../../engine/store/seed/demo.ts';
import { seedDemoDatabase as seedDemo } from '../../../engine/runtime/directory/import/demo.ts';
import { clearOutOfOffice, setOutOfOffice } from '../../../engine/store/directory.ts';
import { holdersOf } from '../../../engine/runtime/access.ts';
import { isLvzError } from '../../../engine/errors.ts';
import { TEST_DB_KINDS, openTestDb, type TestDb } from '../../helpers/db.ts';

const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const HOUR = 60 * 60 * 1000;

async function loginError(t: TestDb, username: string, password: string, now = T0): Promise<{ code: string; message: string; ms: number }> {
  const started = performance.now();
  try {
    await login(t.db, username, password, now);
  } catch (e) {
    if (!isLvzError(e)) throw e;
    return { code: e.code, message: e.message, ms: performance.now() - started };
  }
  throw new Error('login should have failed');
}

describe.each(TEST_DB_KINDS)('authentication on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await seedDemo(t.db, T0);
  });
  afterAll(async () => { await t.cleanup(); });

  it('logs in with the right password and names the actor with the org', async () => {
    const s = await login(t.db, 'review1', DEMO_PASSWORD, T0);
    expect(s.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.actor).toEqual({
      userId: 'review1', username: 'review1', name: '张敏', orgId: 'city-xlw',
      orgName: '代表工作委员会（选举任免联络工作委员会）', roles: ['review_office'],
    });
    expect((await login(t.db, '  Deputy1 ', DEMO_PASSWORD, T0)).actor.userId).toBe('deputy1');
  });

  it('gives one answer, in similar time, for a wrong password and an unknown user', async () => {
    const wrong = await loginError(t, 'deputy1', 'wrong-password');
    const unknown = await loginError(t, 'no-such-user', 'wrong-password');
    const empty = await loginError(t, '', '');
    expect(wrong.code).toBe('LVZ_AUTH_BAD_LOGIN');
    expect(unknown).toMatchObject({ code: wrong.code, message: wrong.message });
    expect(empty).toMatchObject({ code: wrong.code, message: wrong.message });
    // Both paths run scrypt: neither is a near-instant miss.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 4);
    expect(wrong.ms).toBeGreaterThan(unknown.ms / 4);
  });

  it('locks a user name for 15 minutes after five wrong passwords in a row, whether it exists or not', async () => {
    const MIN = 60_000;
    const messages: string[] = [];
    for (let i = 0; i < 4; i++) messages.push((await loginError(t, 'deputy6', 'wrong', at(i * MIN))).message);
    expect(messages[0]).toBe(messages[1]);
    expect(messages[3]).toMatch(/再输错 1 次，账号将锁定 15 分钟/);
    const fifth = await loginError(t, 'deputy6', 'wrong', at(4 * MIN));
    expect(fifth.code).toBe('LVZ_AUTH_LOCKED');
    // Locked from 09:04 until 09:19 Beijing time; the right password does not open it meanwhile.
    expect(fifth.message).toMatch(/请于 09:19（北京时间）后再试/);
    expect((await loginError(t, 'deputy6', DEMO_PASSWORD, at(18 * MIN))).code).toBe('LVZ_AUTH_LOCKED');
    expect((await login(t.db, 'deputy6', DEMO_PASSWORD, at(19 * MIN + 1000))).actor.userId).toBe('deputy6');
    // A success clears the count: the next mistake is the first again.
    expect((await loginError(t, 'deputy6', 'wrong', at(20 * MIN))).message).toBe(messages[0]);

    // An unknown name locks the same way: the lock tells nothing about who has an account.
    for (let i = 0; i < 4; i++) await loginError(t, 'nobody-here', 'wrong', at(i * MIN));
    const ghost = await loginError(t, 'nobody-here', 'wrong', at(4 * MIN));
    expect(ghost).toMatchObject({ code: 'LVZ_AUTH_LOCKED', message: fifth.message });

    // Mistakes more than 15 minutes apart do not add up.
    for (let i = 0; i < 4; i++) await loginError(t, 'deputy7', 'wrong', at(i * MIN));
    expect((await loginError(t, 'deputy7', 'wrong', at(30 * MIN))).message).toBe(messages[0]);
    expect((await login(t.db, 'deputy7', DEMO_PASSWORD, at(31 * MIN))).actor.userId).toBe('deputy7');
  });

  it('knows from the session whom its user stands in for today (代理), and sees a change at once', async () => {
    const s = await login(t.db, 'deputy4', DEMO_PASSWORD, T0);
    const holders = async () => (await holdersOf(t.db, (await sessionInfo(t.db, s.sessionId, T0))!.actor, T0)).map((h) => h.userId);
    expect(await holders()).toEqual(['deputy4']);
    await setOutOfOffice(t.db, { userId: 'deputy5', delegateId: 'deputy4', fromDate: '2026-03-01', toDate: '2026-03-03', now: T0 });
    expect(await holders()).toEqual(['deputy4', 'deputy5']);
    // The same request's actor, asked again after the change in this process: not the stale answer.
    const info = (await sessionInfo(t.db, s.sessionId, T0))!;
    expect((await holdersOf(t.db, info.actor, T0)).map((h) => h.userId)).toEqual(['deputy4', 'deputy5']);
    await clearOutOfOffice(t.db, 'deputy5');
    expect((await holdersOf(t.db, info.actor, T0)).map((h) => h.userId)).toEqual(['deputy4']);
    expect(await holders()).toEqual(['deputy4']);
  });

  it('keeps a session alive while it is used and ends it 2 hours after the last use', async () => {
    const s = await login(t.db, 'deputy2', DEMO_PASSWORD, T0);
    expect((await sessionInfo(t.db, s.sessionId, at(SESSION_IDLE_MS - 60_000)))?.actor.userId).toBe('deputy2');
    // Used just before 2 h, so it lives until almost 4 h.
    expect((await sessionInfo(t.db, s.sessionId, at(2 * SESSION_IDLE_MS - 120_000)))?.csrfSecret).toBe(s.csrfSecret);
    expect(await sessionInfo(t.db, s.sessionId, at(4 * SESSION_IDLE_MS))).toBeUndefined();
  });

  it('ends an unused session after 2 hours', async () => {
    const s = await login(t.db, 'fgw1', DEMO_PASSWORD, T0);
    expect(await sessionInfo(t.db, s.sessionId, at(SESSION_IDLE_MS - 1))).toBeDefined();
    const fresh = await login(t.db, 'fgw1', DEMO_PASSWORD, T0);
    expect(await sessionInfo(t.db, fresh.sessionId, at(SESSION_IDLE_MS))).toBeUndefined();
  });

  it('ends a session 12 hours after the login however busy it is (absolute limit)', async () => {
    expect(SESSION_MAX_MS).toBe(12 * HOUR);
    const s = await login(t.db, 'jyj1', DEMO_PASSWORD, T0);
    // Used every hour: the idle limit never ends it, the absolute one does.
    for (let h = 1; h < 12; h++) expect(await sessionInfo(t.db, s.sessionId, at(h * HOUR)), `hour ${h}`).toBeDefined();
    expect(await sessionInfo(t.db, s.sessionId, at(12 * HOUR - 1000))).toBeDefined();
    expect(await sessionInfo(t.db, s.sessionId, at(12 * HOUR))).toBeUndefined();
    // The stored expiry never reaches past it either (a stale row cannot outlive it).
    const row = await t.db('sessions').where({ id: s.sessionId }).first();
    expect(row.expires_at <= at(12 * HOUR).toISOString()).toBe(true);
  });

  it('forgets a session on logout and ignores made-up ids', async () => {
    const s = await login(t.db, 'jyj1', DEMO_PASSWORD, T0);
    await logout(t.db, s.sessionId);
    expect(await sessionInfo(t.db, s.sessionId, T0)).toBeUndefined();
    expect(await sessionInfo(t.db, 'x', T0)).toBeUndefined();
    expect(await sessionInfo(t.db, 'A'.repeat(43), T0)).toBeUndefined();
  });

  it('round-trips an API token and stores only its sha256', async () => {
    const { token } = await createApiToken(t.db, 'fgw1', T0);
    const actor = await actorByApiToken(t.db, token, at(1000));
    expect(actor).toMatchObject({ userId: 'fgw1', orgId: 'city-fgw', orgName: '市发展和改革委员会', roles: ['handling_unit'] });
    const rows = await t.db('api_tokens').where({ user_id: 'fgw1' });
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0].last_used_at).toBe(at(1000).toISOString());
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(await actorByApiToken(t.db, `${token}x`, T0)).toBeUndefined();
    expect(await actorByApiToken(t.db, 'lvz_made-up', T0)).toBeUndefined();
    expect(await actorByApiToken(t.db, '', T0)).toBeUndefined();
  });

  it('stores password hashes that contain no password', async () => {
    const rows = await t.db('users').select('password_hash');
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$/);
      expect(r.password_hash).not.toContain(DEMO_PASSWORD);
    }
  });
});

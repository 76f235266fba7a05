// browser-world.ts: the set-up every browser test file shares: one server on a fresh test database
// (SQLite, or PostgreSQL in the PG pass) and one headless Chromium for the whole file, closed after
// it, and logins that reuse one session per user instead of typing the login form again.
//
//   const w = useServerAndBrowser({ start: '2026-12-02T01:00:00Z' });
//   it('…', async () => { const page = await w.logIn(VIEWPORTS[0]!, 'deputy1'); … });
//
// The login form itself is walked where a test is about logging in (security-pages, first-admin,
// install, and the first login of each suggestion-flow walk); everywhere else a page only needs a
// signed-in user, and a session cookie does that without a scrypt check and two page loads each time.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Actor, SessionInfo } from '../../engine/runtime/types.ts';
import { SESSION_COOKIE } from '../../server/session.ts';
import { launchBrowser, newContext, type Viewport } from './browser.ts';
import { DEMO_PASSWORD, startServer, type TestServer } from './http.ts';

type StartOptions = NonNullable<Parameters<typeof startServer>[0]>;

export interface ServerAndBrowser<T> {
  /** What the set-up made (the TestServer itself, or a world around one such as a BallotServer). */
  readonly world: T;
  readonly server: TestServer;
  readonly browser: Browser;
  readonly base: string;
  /**
   * A fresh context at `vp` signed in as `username`, on its 待办 (/inbox), as after the login form.
   * The user's session is made once (engine.login) and its cookie reused; a session that has ended
   * (the test moved the clock past its limit, or logged out) is replaced.
   */
  logIn(vp: Viewport, username: string, password?: string): Promise<Page>;
  /** The user as the engine sees them (for steps taken straight through the engine), from the same session. */
  actor(username: string, password?: string): Promise<Actor>;
  /** A fresh context at `vp` with nobody signed in. */
  anonymous(vp: Viewport): Promise<Page>;
}

/** One server (`startServer(opts)`) and one Chromium for the file that calls it. */
export function useServerAndBrowser(opts?: StartOptions): ServerAndBrowser<TestServer>;
/** The same around a world of one's own: `make` starts it, `serverOf` finds its TestServer. */
export function useServerAndBrowser<T extends { close(): Promise<void> }>(make: () => Promise<T>, serverOf: (world: T) => TestServer): ServerAndBrowser<T>;
export function useServerAndBrowser<T extends { close(): Promise<void> }>(
  optsOrMake?: StartOptions | (() => Promise<T>), serverOf?: (world: T) => TestServer,
): ServerAndBrowser<T> {
  const make = typeof optsOrMake === 'function' ? optsOrMake : () => startServer(optsOrMake) as unknown as Promise<T>;
  const toServer = serverOf ?? ((x: T) => x as unknown as TestServer);
  let world: T | undefined;
  let browser: Browser | undefined;
  const sessions = new Map<string, SessionInfo>();

  beforeAll(async () => {
    // Side by side; whichever started is kept (and closed by afterAll) even when the other failed.
    const [w, b] = await Promise.allSettled([make(), launchBrowser()]);
    if (w.status === 'fulfilled') world = w.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (w.status === 'rejected') throw w.reason;
    if (b.status === 'rejected') throw b.reason;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const ready = <V>(v: V | undefined, what: string): V => {
    if (v === undefined) throw new Error(`${what} is not started: use it inside a test, after beforeAll`);
    return v;
  };

  async function session(username: string, password: string): Promise<SessionInfo> {
    let info = sessions.get(username);
    if (!info) {
      info = await toServer(ready(world, 'the server')).engine.login(username, password);
      sessions.set(username, info);
    }
    return info;
  }

  async function signIn(context: BrowserContext, page: Page, username: string, password: string): Promise<boolean> {
    const server = toServer(ready(world, 'the server'));
    const { sessionId } = await session(username, password);
    await context.addCookies([{ name: SESSION_COOKIE, value: sessionId, url: server.base, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto(`${server.base}/inbox`);
    if (new URL(page.url()).pathname === '/inbox') return true;
    sessions.delete(username);
    await context.clearCookies();
    return false;
  }

  return {
    get world() { return ready(world, 'the server'); },
    get server() { return toServer(ready(world, 'the server')); },
    get browser() { return ready(browser, 'Chromium'); },
    get base() { return toServer(ready(world, 'the server')).base; },
    async logIn(vp, username, password = DEMO_PASSWORD) {
      const context = await newContext(ready(browser, 'Chromium'), vp);
      const page = await context.newPage();
      if (await signIn(context, page, username, password) || await signIn(context, page, username, password)) return page;
      throw new Error(`could not sign in as ${username}: landed on ${page.url()}`);
    },
    async actor(username, password = DEMO_PASSWORD) {
      return (await session(username, password)).actor;
    },
    async anonymous(vp) {
      return (await newContext(ready(browser, 'Chromium'), vp)).newPage();
    },
  };
}

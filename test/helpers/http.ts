// http.ts: a listening server on a temporary data dir with the real engine, and a browser-like
// client (cookie jar, CSRF token read from the page) driven with real fetch.

import type { FastifyInstance } from 'fastify';
import { createEngine, type UploadLimits } from '../../engine/index.ts';
import type { Engine } from '../../engine/runtime/types.ts';
import { DEMO_PASSWORD } from '../../engine/store/seed/demo.ts';
import { buildApp } from '../../server/app.ts';
import { testDatabase } from './db.ts';

export { DEMO_PASSWORD };

export interface TestServer {
  app: FastifyInstance;
  engine: Engine;
  base: string;
  dataDir: string;
  /** Set on PostgreSQL: what openDb needs to reach the same database. */
  databaseUrl?: string;
  clock: { now: Date };
  close(): Promise<void>;
}

/** buildApp on a fresh test database (SQLite, or PostgreSQL in the PG pass) with the demo directory, on a free port. */
/** `projectDir`: a project folder of its own (e.g. a changed directory/roles.yaml) instead of the repository's. */
/** `wrapEngine`: the engine the app is built on, made from the real one (e.g. test/helpers/ballot-double.ts). */
export async function startServer(opts: { start?: string; uploads?: Partial<UploadLimits>; projectDir?: string; wrapEngine?: (engine: Engine, now: () => Date) => Engine } = {}): Promise<TestServer> {
  const place = await testDatabase(undefined, 'lvzhi-http-');
  const { dataDir, databaseUrl } = place;
  // 2026-03-02 09:00 in Shanghai, a Monday the holiday calendar covers.
  const clock = { now: new Date(opts.start ?? '2026-03-02T01:00:00Z') };
  const engine = await createEngine({ dataDir, demo: true, now: () => clock.now, ...(databaseUrl && { databaseUrl }), ...(opts.uploads && { uploads: opts.uploads }), ...(opts.projectDir && { projectDir: opts.projectDir }) })
    .catch(async (e: unknown) => { await place.cleanup(); throw e; });
  const served = opts.wrapEngine ? opts.wrapEngine(engine, () => clock.now) : engine;
  const app = await buildApp({ engine: served, dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app, engine: served, dataDir, clock, base: `http://127.0.0.1:${port}`, ...(databaseUrl && { databaseUrl }),
    async close() {
      await app.close();
      await engine.close();
      await place.cleanup();
    },
  };
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

type FormValues = Record<string, string | string[] | undefined>;

/** One user's browser: keeps cookies, remembers the CSRF token of the last page it read. */
export class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, url: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Page> {
    const res = await fetch(this.base + url, {
      method, body: init.body, redirect: 'manual', headers: { cookie: this.cookieHeader(), ...init.headers },
    });
    this.keepCookies(res);
    const text = await res.text();
    const token = /<meta name="csrf-token" content="([^"]*)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(url: string, headers?: Record<string, string>): Promise<Page> {
    return this.request('GET', url, { headers });
  }

  /** Follows 303s like a browser after a POST (PRG), returning the final page. */
  async follow(page: Page): Promise<Page> {
    let p = page;
    for (let i = 0; i < 5 && p.status >= 300 && p.status < 400 && p.location; i++) p = await this.get(p.location);
    return p;
  }

  /** A url-encoded form post; `_csrf` is added from the last page unless given (or set to undefined on purpose). */
  post(url: string, values: FormValues, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<Page> {
    const body = new URLSearchParams();
    if (opts.csrf !== false && !('_csrf' in values)) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    return this.request('POST', url, {
      body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    });
  }

  /** A multipart post, as a form with a file input sends it. */
  postMultipart(url: string, form: FormData, headers?: Record<string, string>): Promise<Page> {
    if (!form.has('_csrf')) form.append('_csrf', this.csrf);
    return this.request('POST', url, { body: form, headers });
  }

  /** Logs in through the login form (reads its token first); returns the page after the redirect. */
  async login(username: string, password = DEMO_PASSWORD): Promise<Page> {
    await this.get('/login');
    const res = await this.post('/login', { username, password });
    return this.follow(res);
  }
}

export async function loginAs(base: string, username: string): Promise<Client> {
  const c = new Client(base);
  const page = await c.login(username);
  if (page.status !== 200) throw new Error(`login as ${username} failed: ${page.status} ${page.text.slice(0, 300)}`);
  return c;
}

/** Values of hidden inputs and the like: `name="x" value="y"` (first match). */
export function inputValue(html: string, name: string): string | undefined {
  const re = new RegExp(`name="${name.replace(/[[\]]/g, '\\$&')}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name.replace(/[[\]]/g, '\\$&')}"`);
  const m = re.exec(html);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Task ids linked from an inbox page. */
export function taskIds(html: string): string[] {
  return [...html.matchAll(/href="\/tasks\/([^"/?]+)"/g)].map((m) => decodeURIComponent(m[1]!));
}

/** The first task in the user's 待办 and its page (fails the test when there is none). */
export async function openFirstTask(c: Client): Promise<{ id: string; html: string }> {
  const [id] = taskIds((await c.get('/inbox?list=todo')).text);
  // Plain throws, not vitest's expect: bench/screenshots.ts runs these helpers outside vitest.
  if (!id) throw new Error('expected an open task in the inbox, found none');
  const page = await c.get(`/tasks/${id}`);
  if (page.status !== 200) throw new Error(`expected the task page to answer 200, got ${page.status}`);
  return { id: id!, html: page.text };
}

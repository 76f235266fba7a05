// client.ts: what the benchmark needs of a browser: log in through the form, keep the session
// cookie, and read the CSRF token and hidden fields of a page.

import { DEMO_PASSWORD } from '../engine/store/seed/demo.ts';

export interface Session {
  user: string;
  /** The Cookie header to send. */
  cookie: string;
}

function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1).trim();
    if (value) jar.set(pair.slice(0, eq).trim(), value);
    else jar.delete(pair.slice(0, eq).trim());
  }
}

function header(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** `<meta name="csrf-token">`, as server/public/app.js reads it. */
export function csrfOf(html: string): string {
  const token = /<meta name="csrf-token" content="([^"]*)"/.exec(html)?.[1];
  if (!token) throw new Error('bench: the page has no csrf-token meta tag');
  return token;
}

/** The value of a hidden input (`name="x" … value="y"` in either order). */
export function inputOf(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Logs in through /login like a browser (pre-session cookie and token first); fails loudly. */
export async function login(base: string, user: string, password = DEMO_PASSWORD): Promise<Session> {
  const jar = new Map<string, string>();
  const form = await fetch(`${base}/login`, { redirect: 'manual' });
  cookiesOf(form, jar);
  const body = new URLSearchParams({ _csrf: csrfOf(await form.text()), username: user, password });
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
  });
  cookiesOf(res, jar);
  await res.arrayBuffer();
  if (res.status !== 303 || !jar.has('lvzhi_sid')) throw new Error(`bench: login as ${user} failed (${res.status})`);
  jar.delete('lvzhi_pre');
  return { user, cookie: header(jar) };
}

/** GET a page as the session; fails unless it is a 200. */
export async function page(base: string, session: Session, path: string): Promise<string> {
  const res = await fetch(base + path, { headers: { cookie: session.cookie }, redirect: 'manual' });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`bench: GET ${path} as ${session.user} gave ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

// session.ts: cookie sessions, the request's actor, and the CSRF check on every state-changing request.
//
// /api/v1 authenticates with a bearer token instead (server/routes/api.ts) and needs no CSRF token:
// a browser never attaches an Authorization header on its own.

import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LvzError } from '../engine/errors.ts';
import type { Actor } from '../engine/runtime/types.ts';
import { isHttps } from './security.ts';
import { CSRF_FIELD, CSRF_HEADER, PRE_SESSION_COOKIE, csrfToken, isValidCsrf, newPreSessionSecret } from './csrf.ts';

export const SESSION_COOKIE = 'lvzhi_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isApiUrl(url: string): boolean {
  return url.startsWith('/api/');
}

function isStaticUrl(url: string): boolean {
  return url.startsWith('/static/') || url === '/favicon.ico';
}

/**
 * The balancer's probes (routes/health.ts) and the metrics scraper (routes/metrics.ts): each asks
 * every few seconds, so they read no session row and set no pre-session cookie. The trailing
 * slash is matched as the router does.
 */
function isProbeUrl(url: string): boolean {
  return /^\/(healthz|readyz|metrics)\/?(\?|$)/.test(url);
}

const PASSWORD_URL = '/password';

function isPasswordChangeUrl(url: string): boolean {
  return /^\/(password|logout)\/?(\?|$)/.test(url);
}

/** Secure whenever the request came over HTTPS (security.ts isHttps), or always with SECURE_COOKIES. */
export function cookieOptions(request: FastifyRequest, secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secure || isHttps(request) };
}

/** The actor, or LVZ_AUTH_REQUIRED (the error handler sends pages to /login?next=…). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new LvzError('LVZ_AUTH_REQUIRED', '请先登录，再继续操作。');
  return request.actor;
}

async function loadSession(request: FastifyRequest, reply: FastifyReply, secure: boolean): Promise<void> {
  const sid = request.cookies[SESSION_COOKIE];
  if (sid) {
    const info = await request.server.engine.session(sid);
    if (info) {
      request.sessionInfo = info;
      request.actor = info.actor;
      request.csrfToken = csrfToken(info.csrfSecret, info.sessionId);
      return;
    }
  }
  // Anonymous: the login form still carries a token, bound to a random pre-session cookie.
  let pre = request.cookies[PRE_SESSION_COOKIE];
  if (!pre || pre.length < 32) {
    pre = newPreSessionSecret();
    reply.setCookie(PRE_SESSION_COOKIE, pre, cookieOptions(request, secure));
    request.cookies[PRE_SESSION_COOKIE] = pre;
  }
  request.csrfToken = csrfToken(pre, 'login');
}

function submittedToken(request: FastifyRequest): unknown {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header) return header;
  const body = request.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  return Array.isArray(field) ? field[0] : field;
}

export const sessionPlugin = fp(async (app) => {
  const secure = app.lvzhi.secureCookies;
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionInfo', undefined);
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (request, reply) => {
    if (isApiUrl(request.url) || isStaticUrl(request.url) || isProbeUrl(request.url)) return;
    await loadSession(request, reply, secure);
    // A temporary password (set by an administrator) opens nothing but 修改密码 and 退出.
    if (request.sessionInfo?.mustChangePassword && !isPasswordChangeUrl(request.url)) {
      if (request.headers['hx-request'] === 'true') return reply.code(200).header('HX-Redirect', PASSWORD_URL).send('');
      return reply.redirect(PASSWORD_URL, 303);
    }
  });

  // preHandler, not onRequest: a token sent as a form field is only readable once the body is parsed.
  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method) || isApiUrl(request.url)) return;
    if (!isValidCsrf(...csrfBinding(request), submittedToken(request))) {
      throw new LvzError('LVZ_AUTH_CSRF', '表单已过期或来源不明，请刷新页面后重新提交。');
    }
  });
});

function csrfBinding(request: FastifyRequest): [string, string] {
  if (request.sessionInfo) return [request.sessionInfo.csrfSecret, request.sessionInfo.sessionId];
  return [request.cookies[PRE_SESSION_COOKIE] ?? '', 'login'];
}

// auth.ts: the login page (with demo accounts in demo mode), login and logout.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import { textOf } from '../form-post.ts';
import { safeNext } from '../safe-next.ts';
import { SESSION_COOKIE, cookieOptions } from '../session.ts';
import { demoAccountsView } from '../view-models.ts';

interface LoginBody {
  username?: string;
  password?: string;
  next?: string;
}

async function loginPage(request: FastifyRequest, reply: FastifyReply, model: { next: string } & Record<string, unknown>, status = 200) {
  const t = request.server.renderer.t;
  // Demo mode only (production has no demo accounts): one line per role, the role's other accounts folded.
  const demo = demoAccountsView(await request.server.engine.demoAccounts(), model.next);
  const firstAdminHint = await request.server.engine.needsFirstAdmin();
  return reply.page('login', { title: t('login.title'), demo, firstAdminHint, ...model }, status);
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/', async (request, reply) => reply.redirect(request.actor ? '/inbox' : '/login', 303));

  app.get<{ Querystring: { next?: string; username?: string } }>('/login', async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next), 303);
    // ?username=: a demo account's link fills the name in, so only the password is left to type.
    return loginPage(request, reply, { next: safeNext(request.query.next), username: textOf(request.query.username, 64) });
  });

  app.post<{ Body: LoginBody }>('/login', async (request, reply) => {
    const body = request.body ?? {};
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    if (!username || !password) {
      return loginPage(request, reply, { loginError: t('login.missing'), username, next }, 422);
    }
    try {
      const info = await app.engine.login(username, password, { address: request.ip });
      reply.setCookie(SESSION_COOKIE, info.sessionId, cookieOptions(request, app.lvzhi.secureCookies));
      return reply.redirect(next, 303);
    } catch (e) {
      // The engine's message says what to do: check the password, or wait until the lock ends.
      if (isLvzError(e) && e.code === 'LVZ_AUTH_BAD_LOGIN') {
        return loginPage(request, reply, { loginError: e.message, username, next }, 401);
      }
      if (isLvzError(e) && (e.code === 'LVZ_AUTH_LOCKED' || e.code === 'LVZ_AUTH_RATE_LIMITED')) {
        reply.header('Retry-After', String(e.params.retryAfter));
        return loginPage(request, reply, { loginError: e.message, username, next }, 429);
      }
      throw e;
    }
  });

  app.post('/logout', async (request, reply) => {
    if (request.sessionInfo) await app.engine.logout(request.sessionInfo.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

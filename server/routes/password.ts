// password.ts: 修改密码 (/password): the user's own new password. A user whose password an
// administrator reset is sent here from every page (session.ts) until they have chosen one.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import type { FieldError } from '../../engine/forms/types.ts';
import { requireActor } from '../session.ts';
import { seeOther } from './tasks.ts';

const FIELDS = [
  { name: 'current', autocomplete: 'current-password' },
  { name: 'next', autocomplete: 'new-password' },
  { name: 'confirm', autocomplete: 'new-password' },
] as const;

function field(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  // Passwords are kept as typed (spaces count); an absurd length is cut before it reaches a hash.
  return typeof s === 'string' ? s.slice(0, 1024) : '';
}

function passwordPage(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status = 200) {
  const t = request.server.renderer.t;
  requireActor(request);
  const fields = Object.fromEntries(FIELDS.map(({ name, autocomplete }) => {
    const id = `f-${name}`;
    const error = errors.find((e) => e.name === name)?.message;
    const hint = t(`password.${name}Hint`);
    return [name, {
      id, name, autocomplete, label: t(`password.${name}`), hint, hintId: `${id}-hint`, required: true,
      ...(error && { error, errorId: `${id}-error` }), describedBy: [`${id}-hint`, ...(error ? [`${id}-error`] : [])].join(' '),
    }];
  }));
  reply.header('Cache-Control', 'no-store');
  return reply.page('password', { title: t('password.title'), fields, errors, mustChange: !!request.sessionInfo?.mustChangePassword }, status);
}

export async function passwordRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/password', async (request, reply) => passwordPage(request, reply));

  app.post('/password', async (request, reply) => {
    const actor = requireActor(request);
    const body = request.body;
    try {
      await app.engine.changePassword(actor, request.sessionInfo?.sessionId, { current: field(body, 'current'), next: field(body, 'next'), confirm: field(body, 'confirm') });
    } catch (e) {
      if (!isLvzError(e) || e.code !== 'LVZ_FORM_INVALID') throw e;
      return passwordPage(request, reply, (e.params.errors ?? []) as FieldError[], 422);
    }
    reply.flash(t('password.changed'));
    return seeOther(request, reply, '/inbox');
  });
}

// settings.ts: the user's own settings page (设置): 代理 (out of office: a delegate and a date
// range), 常用语 (saved phrases) and API tokens (a new token is shown once, on the response to the
// POST that made it, and never stored in a cookie or a redirect).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import type { FieldError } from '../../engine/forms/types.ts';
import type { Actor } from '../../engine/runtime/types.ts';
import { requireActor } from '../session.ts';
import { seeOther } from './tasks.ts';
import { textOf } from '../form-post.ts';

type IdParams = { Params: { id: string } };
interface RangePost { delegate: string; from: string; to: string }

function field(body: unknown, name: string, max = 64): string {
  const v = (body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined);
  return textOf(v, max);
}

/** Field models for the 代理 form, shaped as the field partials expect (label, hint, error ids). */
function rangeFields(t: FastifyInstance['renderer']['t'], delegates: { value: string; label: string }[], post: RangePost, errors: FieldError[]) {
  const make = (name: keyof RangePost, extra: Record<string, unknown>) => {
    const error = errors.find((e) => e.name === name)?.message;
    const hint = t(`settings.ooo.${name}Hint`);
    const id = `f-${name}`;
    return {
      id, name, label: t(`settings.ooo.${name}`), hint, hintId: `${id}-hint`, required: true, readonly: false, value: post[name],
      ...(error && { error, errorId: `${id}-error` }),
      describedBy: [`${id}-hint`, ...(error ? [`${id}-error`] : [])].join(' '),
      ...extra,
    };
  };
  return {
    delegate: make('delegate', { items: delegates.map((d) => ({ ...d, checked: d.value === post.delegate })) }),
    from: make('from', {}),
    to: make('to', {}),
  };
}

const TOKEN_DAYS = ['30', '90', '180', '365'];

/** Radios for a new token's expiry (days) and scope, as the field partials expect them. */
function tokenFields(t: FastifyInstance['renderer']['t']) {
  const radios = (name: string, values: string[], checked: string) => ({
    id: `f-${name}`, name, label: t(`settings.tokens.${name}`), hint: t(`settings.tokens.${name}Hint`), hintId: `f-${name}-hint`,
    describedBy: `f-${name}-hint`, required: true, readonly: false,
    items: values.map((v, i) => ({ id: i === 0 ? `f-${name}` : `f-${name}-${v}`, value: v, label: t(`settings.tokens.${name}Options.${v}`), checked: v === checked })),
  });
  return { expiresInDays: radios('expiresInDays', TOKEN_DAYS, '90'), scope: radios('scope', ['read', 'write'], 'read') };
}

async function settingsPage(
  request: FastifyRequest, reply: FastifyReply, actor: Actor,
  extra: { post?: RangePost; errors?: FieldError[]; newToken?: string } = {}, status = 200,
) {
  const app = request.server;
  const t = app.renderer.t;
  const view = await app.engine.settings(actor);
  const errors = extra.errors ?? [];
  const post = extra.post ?? { delegate: '', from: view.today, to: '' };
  if (extra.newToken) reply.header('Cache-Control', 'no-store');
  return reply.page('settings', {
    title: t('settings.title'),
    view,
    errors,
    fields: rangeFields(t, view.delegates, post, errors),
    ranges: view.outOfOffice.map((r) => ({ ...r, statusText: t(r.isCurrent ? 'settings.ooo.current' : 'settings.ooo.future') })),
    newToken: extra.newToken,
    tokenFields: tokenFields(t),
  }, status);
}

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/settings', async (request, reply) => settingsPage(request, reply, requireActor(request)));

  app.post('/settings/out-of-office', async (request, reply) => {
    const actor = requireActor(request);
    const post: RangePost = { delegate: field(request.body, 'delegate'), from: field(request.body, 'from', 20), to: field(request.body, 'to', 20) };
    try {
      await app.engine.setOutOfOffice(actor, { delegateUserId: post.delegate, from: post.from, to: post.to });
    } catch (e) {
      if (!isLvzError(e) || e.code !== 'LVZ_FORM_INVALID') throw e;
      return settingsPage(request, reply, actor, { post, errors: (e.params.errors ?? []) as FieldError[] }, 422);
    }
    reply.flash(t('settings.ooo.saved'));
    return seeOther(request, reply, '/settings');
  });

  app.post<IdParams>('/settings/out-of-office/:id/end', async (request, reply) => {
    await app.engine.clearOutOfOffice(requireActor(request), request.params.id);
    reply.flash(t('settings.ooo.ended'));
    return seeOther(request, reply, '/settings');
  });

  app.post<IdParams>('/settings/phrases/:id/delete', async (request, reply) => {
    await app.engine.deletePhrase(requireActor(request), request.params.id);
    reply.flash(t('settings.phrases.deleted'));
    return seeOther(request, reply, '/settings#phrases-title');
  });

  // Answered with the page itself: the token is shown once, here, and nowhere else.
  app.post('/settings/tokens', async (request, reply) => {
    const actor = requireActor(request);
    const days = field(request.body, 'expiresInDays', 4);
    const scope = field(request.body, 'scope', 8);
    // Left out (an older page): the engine's defaults. Anything else it checks and refuses with 400.
    const made = await app.engine.createApiToken(actor, { expiresInDays: days ? Number(days) : undefined, scope: scope || undefined });
    reply.flash(t('settings.tokens.created'));
    return settingsPage(request, reply, actor, { newToken: made.token });
  });

  app.post<IdParams>('/settings/tokens/:id/delete', async (request, reply) => {
    await app.engine.deleteApiToken(requireActor(request), request.params.id);
    reply.flash(t('settings.tokens.deleted'));
    return seeOther(request, reply, '/settings#tokens-title');
  });
}

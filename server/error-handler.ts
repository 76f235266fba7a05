// error-handler.ts: the only error handler. Engine errors carry no HTTP status; error-status.ts
// gives it. Pages get an error page (or, for htmx, a fragment safe to swap: htmx 4 swaps 4xx/5xx),
// /api gets `{ error: { code, message, params? } }`.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError, type LvzError } from '../engine/errors.ts';
import { statusOf } from './error-status.ts';
import { isHtmx } from './page.ts';
import { isApiUrl } from './session.ts';
import { safeNext } from './safe-next.ts';
import { isPickerUrl } from './routes/pickers.ts';

export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** Params safe to show a client: field errors yes, the engine's re-render model no. */
function publicParams(e: LvzError): Record<string, unknown> | undefined {
  const { form: _form, ...rest } = e.params as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

const UPLOAD_LIMIT_CODES = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);

/** Turns anything thrown into status, code and a zh-CN message that says what to do next. */
export function toProblem(error: unknown, t: (key: string, params?: Record<string, unknown>) => string, isApi = false): HttpProblem {
  if (isLvzError(error)) {
    const status = statusOf(error.code);
    // A page's reader is told to refresh; an API client's message says what to call instead (routes/api.ts).
    const conflict = !isApi && (error.code === 'LVZ_RUN_CONFLICT' || error.code === 'LVZ_RUN_TASK_CLOSED');
    const message = conflict ? `${t('errors.conflict')}${error.message ? `（${error.message}）` : ''}` : error.message;
    return { status, code: error.code, message, params: publicParams(error) };
  }
  const e = error as FastifyError & { validation?: unknown };
  if (e.validation) return { status: 400, code: 'LVZ_RUN_BAD_REQUEST', message: `${t('errors.badRequest')}${e.message}` };
  if (UPLOAD_LIMIT_CODES.has(e.code)) return { status: 413, code: 'LVZ_FORM_UPLOAD_TOO_LARGE', message: t('errors.uploadTooLarge') };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'LVZ_RUN_BODY_TOO_LARGE', message: t('errors.bodyTooLarge') };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 404) return { status, code: 'LVZ_RUN_NOT_FOUND', message: t('errors.notFound') };
  if (status === 415) return { status, code: 'LVZ_RUN_BAD_REQUEST', message: t('errors.mediaType') };
  if (status >= 400 && status < 500) return { status, code: 'LVZ_RUN_BAD_REQUEST', message: `${t('errors.badRequest')}${e.message}` };
  return { status: 500, code: 'LVZ_SERVER_ERROR', message: t('errors.server') };
}

function loginRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const here = request.method === 'GET' ? request.url : '/inbox';
  const target = `/login?next=${encodeURIComponent(safeNext(here))}`;
  // htmx follows a fetch redirect silently and would swap the login page into a fragment; a full navigation is wanted.
  if (isHtmx(request)) return reply.code(401).header('HX-Redirect', target).send('');
  return reply.redirect(target, 303);
}

/** Where "刷新后查看" leads after a failed POST: the page the form was on (task, instance, start form). */
function backTo(url: string): string | undefined {
  return /^\/(tasks|instances|start)\/[^/?]+/.exec(url)?.[0];
}

/**
 * A refused post of a case's form (a 409 race, a task moved to someone else: 403/404, a stale
 * CSRF token) shows what was typed, so it is never lost. Only the case pages' forms (tasks,
 * instances, start), which carry no secret; the task form's own 409 re-render is routes/tasks.ts.
 */
function typedText(request: FastifyRequest, status: number, t: (key: string) => string): { name: string; value: string }[] | undefined {
  if (![403, 404, 409].includes(status) || request.method === 'GET' || !backTo(request.url)) return undefined;
  if (!request.body || typeof request.body !== 'object') return undefined;
  const named: Record<string, string> = { reason: t('task.actions.reasonLabel'), message: t('errors.typedMessage'), _opinion: t('task.opinion'), _reason: t('task.reason') };
  const typed = Object.entries(request.body as Record<string, unknown>).flatMap(([k, v]) => {
    const text = (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('、') : typeof v === 'string' ? v : '').trim();
    const isControl = k.startsWith('_') && !(k in named);
    return text && !isControl && !/^(to|toUser|toOrg|toUsers|signerTaskId|position)$/.test(k) ? [{ name: named[k] ?? k, value: text }] : [];
  });
  return typed.length > 0 ? typed : undefined;
}

export async function errorHandler(this: unknown, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const t = request.server.renderer.t;
  const problem = toProblem(error, t, isApiUrl(request.url));
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: problem.code, status: problem.status }, problem.message);

  // A locked login (LVZ_AUTH_LOCKED) says when to come back, on the engine's clock.
  if (typeof problem.params?.retryAfter === 'number') reply.header('Retry-After', String(problem.params.retryAfter));

  // The pickers' search is fetched by a script: it gets JSON too, never a login page.
  if (isApiUrl(request.url) || isPickerUrl(request.url)) {
    const { status, ...body } = problem;
    return reply.code(status).type('application/json; charset=utf-8').send({ error: body });
  }
  if (problem.code === 'LVZ_AUTH_REQUIRED') return loginRedirect(request, reply);
  const model = {
    title: t(`errors.status.${problem.status}`).startsWith('⟦') ? t('errors.title') : t(`errors.status.${problem.status}`),
    problem,
    isCsrf: problem.code === 'LVZ_AUTH_CSRF',
    isConflict: problem.status === 409,
    back: request.method === 'GET' ? undefined : backTo(request.url),
    typed: typedText(request, problem.status, t),
  };
  try {
    if (isHtmx(request)) return reply.fragment('fragments/error', model, problem.status);
    return await reply.page('error', model, problem.status);
  } catch (e) {
    // The page itself could not be built (the database is down, say): a bare message still tells the user.
    request.log.error({ err: e }, 'error page failed');
    return reply.code(problem.status).type('text/plain; charset=utf-8').send(`${model.title}\n${problem.message}`);
  }
}

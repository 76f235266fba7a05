// admin-directory-forms.ts: what the 通讯录管理 pages share: reading a posted form, field render
// models for the shared field partials, and turning the engine's refusals into an error summary
// (field errors at their fields; a rule or conflict as one message at the top of the form).

import type { FastifyInstance } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import type { FieldError } from '../../engine/forms/types.ts';
import { statusOf } from '../error-status.ts';
import { textOf } from '../form-post.ts';

type T = FastifyInstance['renderer']['t'];
export type Body = Record<string, unknown>;

export function str(body: unknown, name: string, max = 500): string {
  const v = body && typeof body === 'object' ? (body as Body)[name] : undefined;
  return textOf(v, max);
}

export function list(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Body)[name] : undefined;
  const xs = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return xs.filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.slice(0, 64)).slice(0, 200);
}

/** A field's render model, as templates/partials/fields expect it. */
export function fieldModel(t: T, name: string, value: unknown, errors: FieldError[], extra: { hint?: string; required?: boolean; [k: string]: unknown } = {}) {
  const id = `f-${name}`;
  const error = errors.find((e) => e.name === name)?.message;
  const describedBy = [extra.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return {
    id, name, label: t(`directory.fields.${name}`), hintId: `${id}-hint`, readonly: false, value,
    ...(error && { error, errorId: `${id}-error` }), describedBy, ...extra,
  };
}

/** Choices as select/checkbox items, the chosen ones checked; checkbox ids keep the field id on the first. */
export function items(name: string, choices: { value: string; label: string }[], chosen: string[]) {
  return choices.map((c, i) => ({ ...c, id: i === 0 ? `f-${name}` : `f-${name}-${i}`, checked: chosen.includes(c.value) }));
}

/** The engine's refusal as the errors a form shows, with its status; undefined for what the error page shows. */
export function formProblem(e: unknown, topId: string): { errors: FieldError[]; status: number } | undefined {
  if (!isLvzError(e)) return undefined;
  if (e.code === 'LVZ_FORM_INVALID') return { errors: (e.params.errors ?? []) as FieldError[], status: 422 };
  if (e.code === 'LVZ_DIR_INVALID' || e.code === 'LVZ_DIR_CONFLICT' || e.code === 'LVZ_RUN_IDEMPOTENCY_MISMATCH' || e.code === 'LVZ_RUN_IDEMPOTENCY_IN_FLIGHT') {
    return { errors: [{ id: topId, name: '_', message: e.message }], status: statusOf(e.code) };
  }
  return undefined;
}

export const DIRECTORY_CSS = { pageStyles: ['/static/studio/studio.css', '/static/directory.css'] };

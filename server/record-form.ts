// record-form.ts: the model of fragments/record-form.hbs (start and task forms alike), and how a
// failed submit turns into a 422 re-render that keeps what the user typed.

import { isLvzError } from '../engine/errors.ts';
import type { FieldError, FormModel } from '../engine/forms/types.ts';
import type { TaskButton } from '../engine/runtime/types.ts';
import { DRAFT_EVENT, type FormPost } from './form-post.ts';
import type { Renderer } from './render.ts';

export const OPINION_ID = 'f-_opinion';
export const REASON_ID = 'f-_reason';
export const WAITING_ID = 'waiting';

export interface RecordFormOptions {
  action: string;
  form: FormModel;
  buttons: TaskButton[];
  version?: number;
  allowDraft: boolean;
  opinion?: 'required' | 'optional' | 'none';
  /** The step's name for its opinion box (答复意见); absent: the label set's 审批意见. */
  opinionLabel?: string;
  phrases?: string[];
  /** What the user posted, kept on a re-render. */
  post?: FormPost;
  /** The opinion kept in the task's draft, when nothing was posted. */
  opinionValue?: string;
  /** Errors the engine reports outside the record (opinion, reason), shown in the summary too. */
  extraErrors?: FieldError[];
  checkUrl?: string;
  /** The one-time submission key of this rendering (kept from the post on a re-render). */
  onceKey?: string;
  /** Shown above the fields: what changed while the user was typing (a 409 re-render). */
  notice?: string;
}

export function recordFormModel(t: Renderer['t'], o: RecordFormOptions): Record<string, unknown> {
  const extra = o.extraErrors ?? [];
  const needReason = o.buttons.filter((b) => b.reason !== 'none');
  const mustReason = o.buttons.filter((b) => b.reason === 'required').map((b) => `“${b.label}”`);
  // One primary action per form: the step's first outcome is green; a later one that asks a reason
  // (不予立案) is red, any other (不同意) plain, so a decline never looks like the way forward.
  const buttons = o.buttons.map((b, i) => ({ ...b, warning: b.reason === 'required', secondary: i > 0 && b.reason !== 'required' }));
  if (o.allowDraft) buttons.push({ event: DRAFT_EVENT, label: t('task.draft'), reason: 'none', warning: false, secondary: true } as never);
  return {
    action: o.action,
    checkUrl: o.checkUrl,
    hasVersion: o.version !== undefined,
    onceKey: o.onceKey,
    notice: o.notice,
    version: o.version,
    form: { ...o.form, errors: [...o.form.errors, ...extra] },
    buttons,
    opinion: {
      show: !!o.opinion && o.opinion !== 'none',
      label: o.opinionLabel ?? t('task.opinion'),
      required: o.opinion === 'required',
      phrases: o.phrases ?? [],
      value: o.post?.opinion ?? o.opinionValue ?? '',
      error: extra.find((e) => e.id === OPINION_ID)?.message,
    },
    reason: {
      show: needReason.length > 0,
      hint: mustReason.length > 0 ? t('task.reasonFor', { buttons: mustReason.join('、') }) : t('task.reasonHint'),
      value: o.post?.reason ?? '',
      error: extra.find((e) => e.id === REASON_ID)?.message,
    },
  };
}

/** What a failed submit means for the form: field errors with the engine's re-render model, or an opinion/reason error. */
export type SubmitFailure =
  | { kind: 'form'; form: FormModel; errors: FieldError[] }
  | { kind: 'extra'; error: FieldError };

export function submitFailure(e: unknown): SubmitFailure | undefined {
  if (!isLvzError(e)) return undefined;
  if (e.code === 'LVZ_FORM_INVALID') {
    const p = e.params as { form?: FormModel; errors?: FieldError[] };
    if (p.form) return { kind: 'form', form: p.form, errors: p.errors ?? p.form.errors };
  }
  if (e.code === 'LVZ_RUN_OPINION_REQUIRED') return { kind: 'extra', error: { id: OPINION_ID, name: '_opinion', message: e.message } };
  if (e.code === 'LVZ_RUN_REASON_REQUIRED') return { kind: 'extra', error: { id: REASON_ID, name: '_reason', message: e.message } };
  // The buttons were offered on a page rendered before the wait began (or posted by hand): the summary links to the notice.
  if (e.code === 'LVZ_RUN_WAITING') return { kind: 'extra', error: { id: WAITING_ID, name: '_event', message: e.message } };
  return undefined;
}

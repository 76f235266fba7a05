// admin-new.ts: 新建流程 / 新建表单 (a form: name, id, blank or a copy of an existing one) and
// 停用 / 启用 of a workflow. The engine decides who may (city admins create; a district's admin only
// disables its own customisations) and checks every value; this page only places its messages.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError, type LvzError } from '../../engine/errors.ts';
import type { StudioKind } from '../../engine/runtime/authoring/types.ts';
import { statusOf } from '../error-status.ts';
import { newSubmissionKey } from '../form-post.ts';
import { requireActor } from '../session.ts';
import { STUDIO_CSS, adminUrl, kindOf } from './admin-paths.ts';
import { seeOther } from './tasks.ts';

type Body = Record<string, unknown>;
interface Typed { id: string; title: string; mode: 'blank' | 'copy'; from: string }
type Problems = Partial<Record<'id' | 'title' | 'from', string>>;

const segment = (kind: StudioKind): string => (kind === 'form' ? 'forms' : 'workflows');

function str(body: Body, name: string): string {
  const v = body[name];
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
}

/** A field's render model for the shared field partials (templates/partials/fields). */
function model(name: string, label: string, hint: string, value: string, error: string | undefined, extra: Record<string, unknown> = {}) {
  const id = `new-${name}`;
  const describedBy = [`${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return { id, name, label, hint, hintId: `${id}-hint`, error, errorId: `${id}-error`, describedBy, value, required: true, ...extra };
}

/** Which field a refusal is about, for the error summary's link. */
function fieldOf(e: LvzError): keyof Problems {
  if (e.code === 'LVZ_RUN_ID_INVALID' || e.code === 'LVZ_RUN_ID_TAKEN') return 'id';
  return e.params.field === 'title' ? 'title' : 'from';
}

async function renderNew(request: FastifyRequest, reply: FastifyReply, kind: StudioKind, typed: Typed, problems: Problems = {}, status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const actor = requireActor(request);
  const sources = await app.engine.studio.newSources(actor, kind);
  const k = t(`admin.kinds.${kind}`);
  const title = model('title', t('admin.new.name'), t(`admin.new.nameHint.${kind}`), typed.title, problems.title);
  const id = model('id', t('admin.new.id'), t('admin.new.idHint'), typed.id, problems.id, { attrs: { spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', maxlength: '64' } });
  const mode = {
    ...model('mode', t('admin.new.mode'), '', typed.mode, undefined, { hint: undefined, describedBy: '' }),
    items: [
      { id: 'new-mode', value: 'blank', label: t(`admin.new.blank.${kind}`), checked: typed.mode !== 'copy' },
      { id: 'new-mode-copy', value: 'copy', label: t('admin.new.copy', { kind: k }), checked: typed.mode === 'copy' },
    ],
  };
  const from = {
    ...model('from', t('admin.new.from', { kind: k }), t('admin.new.fromHint'), typed.from, problems.from, { required: false }),
    items: sources.map((s) => ({ value: s.id, label: `${s.title}（${s.id}，第 ${s.version} 版）`, checked: s.id === typed.from })),
  };
  const order: (keyof Problems)[] = ['title', 'id', 'from'];
  const errors = order.filter((f) => problems[f]).map((f) => ({ id: `new-${f}`, message: problems[f] }));
  return reply.page('admin-new', {
    ...STUDIO_CSS, title: t(`admin.new.title.${kind}`), intro: t(`admin.new.intro.${kind}`), kind, fields: { title, id, mode, from }, errors,
    onceKey: newSubmissionKey(), action: `/admin/new/${segment(kind)}`,
  }, status);
}

export async function adminNewRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<{ Params: { kind: string }; Querystring: { from?: string } }>('/admin/new/:kind', async (request, reply) => {
    const kind = kindOf(request.params.kind);
    const from = request.query.from ?? '';
    return renderNew(request, reply, kind, { id: '', title: '', mode: from ? 'copy' : 'blank', from });
  });

  app.post<{ Params: { kind: string } }>('/admin/new/:kind', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    const body = (request.body ?? {}) as Body;
    const typed: Typed = { id: str(body, 'id').trim(), title: str(body, 'title').trim(), mode: str(body, 'mode') === 'copy' ? 'copy' : 'blank', from: str(body, 'from') };
    if (typed.mode === 'copy' && !typed.from) {
      return renderNew(request, reply, kind, typed, { from: t('admin.new.chooseSource', { kind: t(`admin.kinds.${kind}`) }) }, 400);
    }
    const input = { kind, id: typed.id, title: typed.title, ...(typed.mode === 'copy' && { from: typed.from }) };
    const key = str(body, '_once');
    try {
      const r = await app.engine.studio.createDefinition(actor, input, key ? { key, request: input } : undefined);
      reply.flash(t(`admin.new.created.${kind}`, { id: r.id }));
      return seeOther(request, reply, adminUrl(r.kind, r.id));
    } catch (e) {
      if (!isLvzError(e) || e.code === 'LVZ_AUTH_FORBIDDEN') throw e;
      // The page posted before and now changed (the back button, then edits): confirm with a fresh key.
      if (e.code === 'LVZ_RUN_IDEMPOTENCY_MISMATCH') return renderNew(request, reply, kind, typed, { id: t('admin.new.resubmitted') }, 422);
      if (!['LVZ_RUN_ID_INVALID', 'LVZ_RUN_ID_TAKEN', 'LVZ_RUN_BAD_REQUEST', 'LVZ_DSL_INVALID'].includes(e.code)) throw e;
      return renderNew(request, reply, kind, typed, { [fieldOf(e)]: e.message }, statusOf(e.code));
    }
  });

  // 停用 / 启用: a second click finds it already so and says that; nothing is written twice.
  for (const action of ['disable', 'enable'] as const) {
    app.post<{ Params: { id: string } }>(`/admin/workflows/:id/${action}`, async (request, reply) => {
      const actor = requireActor(request);
      const r = await app.engine.studio.setEnabled(actor, request.params.id, action === 'enable');
      reply.flash(t(`admin.${action}.${r.changed ? 'done' : 'already'}`));
      return seeOther(request, reply, adminUrl('workflow', request.params.id));
    });
  }
}

// admin.ts: the studio's pages: the list of definitions, the editor of one workflow or form (check,
// save a draft, publish), and the JSON check the editor's script calls as the admin types.
// Every permission is the engine's (engine.studio); pages only hide what the engine would refuse.
// Without JavaScript the editor is a textarea whose 检查 button posts and re-renders with the errors.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError, LvzError } from '../../engine/errors.ts';
import type { Actor } from '../../engine/runtime/types.ts';
import type { CheckResult, StudioDefinition, StudioKind } from '../../engine/runtime/authoring/types.ts';
import { randomBytes } from 'node:crypto';
import { cspWithStyleNonce } from '../security.ts';
import { requireActor } from '../session.ts';
import { adminExtraRoutes } from './admin-versions.ts';
import { adminTimerRoutes } from './admin-timers.ts';
import { adminCalendarRoutes } from './admin-calendar.ts';
import { adminDirectoryImportRoutes } from './admin-directory-import.ts';
import { adminNewRoutes } from './admin-new.ts';
import { seeOther } from './tasks.ts';
import { ADMIN_ROLE } from '../../engine/index.ts';
import { STUDIO_CSS, adminUrl, kindOf } from './admin-paths.ts';

type KindParams = { Params: { kind: string; id: string } };

function field(body: unknown, name: string): string {
  const v = (body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined);
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
}

const EDITOR_ASSETS = { ...STUDIO_CSS, pageScripts: ['/static/studio/editor.js'] };

/** The diagram as an image: no inline style reaches the page, so its CSP stays `style-src 'self'`. */
export function diagramSrc(svg: string | undefined): string | undefined {
  return svg ? `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` : undefined;
}

/** Which JSON Schema the editor completes from. */
function schemaOf(kind: StudioKind, text: string): string {
  if (kind === 'form') return 'form';
  return /^extends:/m.test(text) ? 'workflow-district' : 'workflow';
}

interface EditorState {
  text: string;
  baseVersion: number;
  message?: string;
  check?: CheckResult;
  problem?: { code: string; message: string; latest?: number };
  usingDraft?: boolean;
}

async function renderEditor(request: FastifyRequest, reply: FastifyReply, kind: StudioKind, id: string, state: Partial<EditorState>, status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const actor = requireActor(request);
  const def = await app.engine.studio.definition(actor, kind, id);
  const text = state.text ?? def.text;
  const check = state.check ?? (await app.engine.studio.check(actor, kind, id, text));
  const districts = kind === 'workflow' && (def.entry.extendedBy.length > 0 || def.entry.extendsId) ? await app.engine.studio.districts(actor, id) : [];
  const nonce = randomBytes(16).toString('base64');
  reply.header('Content-Security-Policy', cspWithStyleNonce(nonce));
  return reply.page('admin-editor', {
    styleNonce: nonce,
    ...EDITOR_ASSETS,
    title: `${def.entry.title}（${id}）`,
    kind, isWorkflow: kind === 'workflow', id, def, text,
    baseVersion: state.baseVersion ?? def.latestVersion, message: state.message ?? '',
    isStale: (state.baseVersion ?? def.latestVersion) !== def.latestVersion,
    check, errorCount: check.errors.length, warningCount: check.warnings.length,
    diagram: diagramSrc(check.diagram?.svg), steps: check.diagram?.steps ?? [],
    previewHtml: check.preview ? app.renderer.fragment('fragments/admin-preview', { form: check.preview }) : '',
    problem: state.problem, usingDraft: state.usingDraft ?? false,
    draft: def.draft, hasDraft: !!def.draft && !state.usingDraft, hasDraftToDiscard: !!def.draft && def.canEdit,
    nextVersion: def.latestVersion + 1,
    districts, isDistrict: !!def.entry.extendsId,
    schema: schemaOf(kind, text),
    urls: {
      check: adminUrl(kind, id, '/check'), publish: adminUrl(kind, id, '/publish'), draft: adminUrl(kind, id, '/draft'),
      versions: adminUrl(kind, id, '/versions'), migrate: adminUrl(kind, id, '/migrate'), districts: adminUrl(kind, id, '/districts'),
      useDraft: adminUrl(kind, id, '?use=draft'), self: adminUrl(kind, id), editor: adminUrl(kind, id),
    },
    kindLabel: t(`admin.kinds.${kind}`),
    ...lifecycleOf(kind, id, def),
    unpublishedExtra: kind === 'workflow' ? t('admin.new.unpublishedExtra') : '',
  }, status);
}

/** 停用/启用 for a published workflow the actor may edit; 复制为新流程/表单 for a published definition (city admins: the engine decides). */
function lifecycleOf(kind: StudioKind, id: string, def: StudioDefinition) {
  const published = !def.entry.isNew;
  return {
    lifecycle: kind === 'workflow' && published && def.canEdit
      ? { disable: adminUrl(kind, id, '/disable'), enable: adminUrl(kind, id, '/enable'), isCity: !def.entry.extendsId } : undefined,
    copyUrl: published && def.canEdit && def.entry.owner === 'city' ? `/admin/new/${kind === 'form' ? 'forms' : 'workflows'}?from=${encodeURIComponent(id)}` : undefined,
  };
}

async function publishOrRerender(request: FastifyRequest, reply: FastifyReply, actor: Actor, kind: StudioKind, id: string) {
  const app = request.server;
  const t = app.renderer.t;
  const body = request.body;
  const text = field(body, 'text');
  const message = field(body, 'message');
  const baseVersion = Number(field(body, 'baseVersion'));
  try {
    const r = await app.engine.studio.publish(actor, kind, id, { text, message, baseVersion });
    const broken = r.districts.filter((d) => d.status === 'conflict').length;
    reply.flash(t('admin.published', { version: r.version }) + (r.districts.length ? t(broken ? 'admin.districtsBroken' : 'admin.districtsOk', { n: r.districts.length, broken }) : ''));
    return seeOther(request, reply, adminUrl(kind, id));
  } catch (e) {
    if (!isLvzError(e)) throw e;
    if (e.code === 'LVZ_DSL_INVALID') {
      const check = await app.engine.studio.check(actor, kind, id, text);
      return renderEditor(request, reply, kind, id, { text, message, baseVersion, check, problem: { code: e.code, message: e.message } }, 422);
    }
    if (e.code === 'LVZ_RUN_CONFLICT' || e.code === 'LVZ_RUN_BAD_REQUEST') {
      const latest = typeof e.params.latest === 'number' ? e.params.latest : undefined;
      return renderEditor(request, reply, kind, id, { text, message, baseVersion, problem: { code: e.code, message: e.message, ...(latest && { latest }) } }, e.code === 'LVZ_RUN_CONFLICT' ? 409 : 400);
    }
    throw e;
  }
}

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  // Any signed-in user can post to these URLs: who is no admin is refused before the body is even read
  // (the engine refuses them again, LVZ_AUTH_FORBIDDEN, where the work is done).
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.method === 'GET' || request.method === 'HEAD') return payload;
    const actor = requireActor(request);
    if (!actor.roles.includes(ADMIN_ROLE)) throw new LvzError('LVZ_AUTH_FORBIDDEN', '只有系统管理员可以使用流程定义管理：如需修改流程，请联系管理员', {});
    return payload;
  });

  app.get('/admin', async (request, reply) => {
    const actor = requireActor(request);
    const entries = await app.engine.studio.list(actor);
    const rows = entries.map((e) => ({ ...e, url: adminUrl(e.kind, e.id), kindLabel: t(`admin.kinds.${e.kind}`) }));
    // 定时任务: every admin's page, each seeing the timers of the instances they administer.
    const timers = await app.engine.timers.overview(actor).catch((e: unknown) => {
      if (isLvzError(e) && e.code === 'LVZ_AUTH_FORBIDDEN') return undefined;
      throw e;
    });
    // 新建 is the city's admins' (the engine refuses a district's): offer it to those it would accept.
    const canCreate = await app.engine.studio.newSources(actor, 'form').then(() => true, (e: unknown) => {
      if (isLvzError(e) && e.code === 'LVZ_AUTH_FORBIDDEN') return false;
      throw e;
    });
    return reply.page('admin-list', {
      ...STUDIO_CSS, canCreate,
      title: t('admin.title'),
      workflows: rows.filter((r) => r.kind === 'workflow'),
      forms: rows.filter((r) => r.kind === 'form'),
      warnings: await app.engine.warnings(),
      timers: timers && { failed: timers.counts.failed },
    });
  });

  app.get<KindParams & { Querystring: { use?: string } }>('/admin/:kind/:id', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    if (request.query.use === 'draft') {
      const def = await app.engine.studio.definition(actor, kind, request.params.id);
      if (def.draft) return renderEditor(request, reply, kind, request.params.id, { text: def.draft.text, baseVersion: def.draft.baseVersion, usingDraft: true });
    }
    return renderEditor(request, reply, kind, request.params.id, {});
  });

  // Without JavaScript: 检查 posts the text and the page comes back with the errors and the diagram.
  app.post<KindParams>('/admin/:kind/:id/check', async (request, reply) => {
    requireActor(request);
    const kind = kindOf(request.params.kind);
    const text = field(request.body, 'text');
    return renderEditor(request, reply, kind, request.params.id, { text, message: field(request.body, 'message'), baseVersion: Number(field(request.body, 'baseVersion')) });
  });

  // The editor's live check: JSON in, findings + diagram (workflows) or rendered preview (forms) out.
  app.post('/admin/check', async (request, reply) => {
    const actor = requireActor(request);
    const body = (request.body ?? {}) as { kind?: unknown; id?: unknown; text?: unknown };
    if (typeof body.text !== 'string' || (body.id !== undefined && typeof body.id !== 'string')) {
      throw new LvzError('LVZ_RUN_BAD_REQUEST', '检查请求应为 { kind, id, text }，其中 id 和 text 为文字', {});
    }
    const kind: StudioKind = body.kind === 'form' ? 'form' : 'workflow';
    const r = await app.engine.studio.check(actor, kind, body.id ?? '', body.text);
    return reply.type('application/json; charset=utf-8').send({
      ok: r.ok, errors: r.errors, warnings: r.warnings, paths: r.paths,
      diagram: diagramSrc(r.diagram?.svg), steps: r.diagram?.steps, title: r.title,
      previewHtml: r.preview ? app.renderer.fragment('fragments/admin-preview', { form: r.preview }) : undefined,
    });
  });

  app.post<KindParams>('/admin/:kind/:id/publish', async (request, reply) => {
    const actor = requireActor(request);
    return publishOrRerender(request, reply, actor, kindOf(request.params.kind), request.params.id);
  });

  app.post<KindParams>('/admin/:kind/:id/draft', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    const id = request.params.id;
    if (field(request.body, '_action') === 'discard') {
      await app.engine.studio.discardDraft(actor, kind, id);
      reply.flash(t('admin.draftDiscarded'));
      return seeOther(request, reply, adminUrl(kind, id));
    }
    await app.engine.studio.saveDraft(actor, kind, id, { text: field(request.body, 'text'), baseVersion: Number(field(request.body, 'baseVersion')) });
    reply.flash(t('admin.draftSaved'));
    return seeOther(request, reply, adminUrl(kind, id, '?use=draft'));
  });

  await adminExtraRoutes(app);
  await adminTimerRoutes(app);
  await adminCalendarRoutes(app);
  await adminDirectoryImportRoutes(app);
  await adminNewRoutes(app);
}

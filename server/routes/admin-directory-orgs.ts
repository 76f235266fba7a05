// admin-directory-orgs.ts: 通讯录管理's org tree (add, edit, move under another parent, 停用/启用),
// roles (declare, remove while unused) and the history of every change (filterable). The engine
// decides who may and checks every value; a refusal comes back on the page that asked.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../engine/forms/types.ts';
import type { OrgInput } from '../../engine/runtime/types.ts';
import { requireActor } from '../session.ts';
import { pager } from '../view-models.ts';
import { seeOther } from './tasks.ts';
import { DIRECTORY_CSS, fieldModel, formProblem, items, str } from './admin-directory-forms.ts';

type IdParams = { Params: { id: string } };
const HISTORY_PAGE = 50;

const orgUrl = (id: string, rest = ''): string => `/admin/directory/orgs/${encodeURIComponent(id)}${rest}`;

function orgInputOf(body: unknown): OrgInput {
  return { id: str(body, 'id', 64), name: str(body, 'name', 200), kind: str(body, 'kind', 32), parentId: str(body, 'parentId', 64) };
}

async function renderOrgs(request: FastifyRequest, reply: FastifyReply, typed: OrgInput, errors: FieldError[] = [], status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const view = await app.engine.directory.orgs(requireActor(request));
  return reply.page('admin-directory-orgs', {
    ...DIRECTORY_CSS, current: 'orgs', title: t('directory.orgs.title'), errors,
    nodes: view.nodes.map((n) => ({ ...n, url: orgUrl(n.id), indent: n.depth, people: n.people, peopleUrl: `/admin/directory?org=${encodeURIComponent(n.id)}` })),
    fields: {
      id: fieldModel(t, 'id', typed.id, errors, { required: true, hint: t('directory.hints.orgIdNew'), attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '64' } }),
      name: fieldModel(t, 'name', typed.name, errors, { required: true, label: t('directory.fields.orgName') }),
      kind: fieldModel(t, 'kind', typed.kind, errors, { required: true, items: items('kind', view.kinds, [typed.kind]) }),
      parentId: fieldModel(t, 'parentId', typed.parentId, errors, { hint: t('directory.hints.parentId'), items: items('parentId', view.parents, [typed.parentId]) }),
    },
  }, status);
}

async function renderOrg(request: FastifyRequest, reply: FastifyReply, id: string, typed?: OrgInput, errors: FieldError[] = [], status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const actor = requireActor(request);
  const org = await app.engine.directory.org(actor, id);
  const view = await app.engine.directory.orgs(actor);
  const v = typed ?? { name: org.name, kind: org.kind, parentId: org.parentId ?? '' };
  // An org cannot move under itself or one of its own: those are left out of the choices (the engine refuses them too).
  const below = new Set<string>([id]);
  for (const n of view.nodes) if (n.parentId && below.has(n.parentId)) below.add(n.id);
  return reply.page('admin-directory-org', {
    ...DIRECTORY_CSS, current: 'orgs', title: org.name, org, errors,
    history: org.history.map((h) => ({ ...h, sourceLabel: t(`directory.sources.${h.source}`) })),
    fields: {
      name: fieldModel(t, 'name', v.name, errors, { required: true, label: t('directory.fields.orgName') }),
      kind: fieldModel(t, 'kind', v.kind, errors, { required: true, items: items('kind', view.kinds, [v.kind]) }),
      parentId: fieldModel(t, 'parentId', v.parentId, errors, { hint: t('directory.hints.move'), items: items('parentId', view.parents.filter((p) => !below.has(p.value)), [v.parentId]) }),
    },
    urls: { self: orgUrl(id), disable: orgUrl(id, '/disable'), enable: orgUrl(id, '/enable'), people: `/admin/directory?org=${encodeURIComponent(id)}` },
  }, status);
}

async function renderRoles(request: FastifyRequest, reply: FastifyReply, typed: { id: string; label: string; description: string }, errors: FieldError[] = [], status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const roles = await app.engine.directory.roles(requireActor(request));
  return reply.page('admin-directory-roles', {
    ...DIRECTORY_CSS, current: 'roles', title: t('directory.roles.title'), errors,
    roles: roles.map((r) => ({ ...r, sourceLabel: t(`directory.roles.sources.${r.source}`), workflowText: r.workflows.join('、'), peopleUrl: `/admin/directory?role=${encodeURIComponent(r.id)}&status=all` })),
    fields: {
      id: fieldModel(t, 'id', typed.id, errors, { required: true, label: t('directory.fields.roleId'), hint: t('directory.hints.roleId'), attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '64' } }),
      label: fieldModel(t, 'label', typed.label, errors, { required: true, hint: t('directory.hints.roleLabel') }),
      description: fieldModel(t, 'description', typed.description, errors, { required: true }),
    },
  }, status);
}

export async function adminDirectoryOrgRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;
  const empty: OrgInput = { id: '', name: '', kind: '', parentId: '' };

  app.get('/admin/directory/orgs', async (request, reply) => renderOrgs(request, reply, empty));

  app.post('/admin/directory/orgs', async (request, reply) => {
    const typed = orgInputOf(request.body);
    try {
      const r = await app.engine.directory.createOrg(requireActor(request), typed);
      reply.flash(t('directory.orgs.created', { name: typed.name }));
      return seeOther(request, reply, orgUrl(r.id));
    } catch (e) {
      const p = formProblem(e, 'f-id');
      if (!p) throw e;
      return renderOrgs(request, reply, typed, p.errors, p.status);
    }
  });

  app.get<IdParams>('/admin/directory/orgs/:id', async (request, reply) => renderOrg(request, reply, request.params.id));

  app.post<IdParams>('/admin/directory/orgs/:id', async (request, reply) => {
    const id = request.params.id;
    const typed = { ...orgInputOf(request.body), id };
    try {
      const r = await app.engine.directory.updateOrg(requireActor(request), id, typed);
      reply.flash(t(r.changed ? 'directory.orgs.saved' : 'directory.person.unchanged'));
      return seeOther(request, reply, orgUrl(id));
    } catch (e) {
      const p = formProblem(e, 'f-name');
      if (!p) throw e;
      return renderOrg(request, reply, id, typed, p.errors, p.status);
    }
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post<IdParams>(`/admin/directory/orgs/:id/${action}`, async (request, reply) => {
      const id = request.params.id;
      try {
        const r = await app.engine.directory.setOrgDisabled(requireActor(request), id, action === 'disable');
        reply.flash(t(`directory.orgs.${action}${r.changed ? 'd' : 'Already'}`));
        return seeOther(request, reply, orgUrl(id));
      } catch (e) {
        const p = formProblem(e, 'org-actions');
        if (!p) throw e;
        return renderOrg(request, reply, id, undefined, p.errors, p.status);
      }
    });
  }

  app.get('/admin/directory/roles', async (request, reply) => renderRoles(request, reply, { id: '', label: '', description: '' }));

  app.post('/admin/directory/roles', async (request, reply) => {
    const typed = { id: str(request.body, 'id', 64), label: str(request.body, 'label', 100), description: str(request.body, 'description', 600) };
    try {
      await app.engine.directory.declareRole(requireActor(request), typed);
      reply.flash(t('directory.roles.declared', { label: typed.label }));
      return seeOther(request, reply, '/admin/directory/roles');
    } catch (e) {
      const p = formProblem(e, 'f-id');
      if (!p) throw e;
      return renderRoles(request, reply, typed, p.errors, p.status);
    }
  });

  app.post<IdParams>('/admin/directory/roles/:id/remove', async (request, reply) => {
    try {
      await app.engine.directory.removeRole(requireActor(request), request.params.id);
      reply.flash(t('directory.roles.removed', { id: request.params.id }));
      return seeOther(request, reply, '/admin/directory/roles');
    } catch (e) {
      const p = formProblem(e, 'roles-table');
      if (!p) throw e;
      return renderRoles(request, reply, { id: '', label: '', description: '' }, p.errors, p.status);
    }
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/directory/history', async (request, reply) => {
    const q = request.query;
    const page = Math.max(1, Number(q.page) || 1);
    const filter = { entity: q.entity ?? '', source: q.source ?? '', q: (q.q ?? '').slice(0, 100) };
    const r = await app.engine.directory.history(requireActor(request), { ...filter, page, pageSize: HISTORY_PAGE });
    const link = (entity: string, id: string): string => entity === 'user' ? `/admin/directory/people/${encodeURIComponent(id)}`
      : entity === 'org' ? orgUrl(id) : entity === 'group' ? `/admin/directory/groups/${encodeURIComponent(id)}` : '/admin/directory/roles';
    return reply.page('admin-directory-history', {
      ...DIRECTORY_CSS, current: 'history', title: t('directory.history.title'), filter,
      rows: r.items.map((h) => ({ ...h, url: link(h.entity, h.entityId), sourceLabel: t(`directory.sources.${h.source}`), entityLabel: t(`directory.entities.${h.entity}`) })),
      entities: ['user', 'org', 'group', 'role'].map((v) => ({ value: v, label: t(`directory.entities.${v}`), checked: v === filter.entity })),
      sources: ['admin', 'import', 'cli', 'demo'].map((v) => ({ value: v, label: t(`directory.sources.${v}`), checked: v === filter.source })),
      pager: pager('/admin/directory/history', filter, { page, pageSize: HISTORY_PAGE, total: r.total, items: r.items }),
    });
  });
}

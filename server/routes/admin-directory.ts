// admin-directory.ts: 通讯录管理's people pages: the list (search, filters, 50 a page), one person
// (details, roles, groups, 修改记录), add and edit, 停用/启用 after a confirmation page, 重置密码
// (the temporary password shown once, on the answer to the POST). The engine decides who may
// (a district's admin: their district only) and checks every value; pages place its messages.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../engine/forms/types.ts';
import type { Actor, PersonInput, PersonView } from '../../engine/runtime/types.ts';
import { newSubmissionKey } from '../form-post.ts';
import { requireActor } from '../session.ts';
import { pager } from '../view-models.ts';
import { seeOther } from './tasks.ts';
import { DIRECTORY_CSS, fieldModel, formProblem, items, list, str } from './admin-directory-forms.ts';
import { adminDirectoryOrgRoutes } from './admin-directory-orgs.ts';
import { adminDirectoryGroupRoutes } from './admin-directory-groups.ts';

export const PAGE_SIZE = 50;
type IdParams = { Params: { id: string } };
type ListQuery = { Querystring: Record<string, string | undefined> };

export const personUrl = (id: string, rest = ''): string => `/admin/directory/people/${encodeURIComponent(id)}${rest}`;

/** The typed values of the add/edit form (the groups each with the deputy the member works for). */
function inputOf(body: unknown, groupIds: string[]): PersonInput {
  const chosen = list(body, 'groups');
  return {
    id: str(body, 'id', 64), name: str(body, 'name', 200), orgId: str(body, 'orgId', 64), phone: str(body, 'phone', 64),
    deputyLevel: str(body, 'deputyLevel', 16), constituency: str(body, 'constituency', 300), roles: list(body, 'roles'),
    groups: groupIds.filter((g) => chosen.includes(g)).map((groupId) => ({ groupId, worksFor: str(body, `worksFor_${groupId}`, 64) })),
  };
}

function inputFromPerson(p: PersonView): PersonInput {
  return {
    id: p.id, name: p.name, orgId: p.orgId, phone: p.phone ?? '', deputyLevel: p.deputyLevelId ?? '', constituency: p.constituency ?? '',
    roles: p.roles.map((r) => r.value), groups: p.groups.map((g) => ({ groupId: g.id, worksFor: g.worksFor ?? '' })),
  };
}

async function renderForm(request: FastifyRequest, reply: FastifyReply, actor: Actor, typed: PersonInput, opts: { id?: string; errors?: FieldError[] }, status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const options = await app.engine.directory.formOptions(actor);
  const errors = opts.errors ?? [];
  const isNew = !opts.id;
  const chosenGroups = typed.groups.map((g) => g.groupId);
  const fields = {
    ...(isNew && { id: fieldModel(t, 'id', typed.id, errors, { hint: t('directory.hints.id'), required: true, attrs: { spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off', maxlength: '40' } }) }),
    name: fieldModel(t, 'name', typed.name, errors, { required: true, attrs: { autocomplete: 'off', maxlength: '100' } }),
    orgId: fieldModel(t, 'orgId', typed.orgId, errors, { required: true, ...(!isNew && { hint: t('directory.hints.orgId') }), items: items('orgId', options.orgs, [typed.orgId]) }),
    phone: fieldModel(t, 'phone', typed.phone, errors, { attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: '32' } }),
    deputyLevel: fieldModel(t, 'deputyLevel', typed.deputyLevel, errors, { hint: t('directory.hints.deputyLevel'), items: items('deputyLevel', options.deputyLevels, [typed.deputyLevel ?? '']) }),
    constituency: fieldModel(t, 'constituency', typed.constituency, errors, { attrs: { maxlength: '200' } }),
    roles: fieldModel(t, 'roles', typed.roles, errors, { hint: t('directory.hints.roles'), items: items('roles', options.roles, typed.roles) }),
  };
  const groups = options.groups.map((g, i) => ({
    ...g, id: i === 0 ? 'f-groups' : `f-groups-${i}`, checked: chosenGroups.includes(g.value),
    worksForId: `f-worksFor-${i}`, worksForName: `worksFor_${g.value}`, worksFor: typed.groups.find((x) => x.groupId === g.value)?.worksFor ?? '',
  }));
  return reply.page('admin-directory-person-form', {
    ...DIRECTORY_CSS, current: 'people',
    title: isNew ? t('directory.person.addTitle') : t('directory.person.editTitle', { name: typed.name || opts.id }),
    isNew, fields, groups, errors, onceKey: isNew ? newSubmissionKey() : undefined,
    action: isNew ? '/admin/directory/people' : personUrl(opts.id!), back: isNew ? '/admin/directory' : personUrl(opts.id!),
  }, status);
}

async function renderPerson(request: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown> = {}, status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const person = await app.engine.directory.person(requireActor(request), id);
  if (extra.temporaryPassword) reply.header('Cache-Control', 'no-store');
  return reply.page('admin-directory-person', {
    ...DIRECTORY_CSS, current: 'people', title: person.name, person,
    urls: { edit: personUrl(id, '/edit'), disable: personUrl(id, '/disable'), enable: personUrl(id, '/enable'), reset: personUrl(id, '/reset-password') },
    history: person.history.map((h) => ({ ...h, sourceLabel: t(`directory.sources.${h.source}`) })),
    passwordField: fieldModel(t, 'password', '', (extra.errors ?? []) as FieldError[], { hint: t('directory.hints.password'), autocomplete: 'new-password' }),
    ...extra,
  }, status);
}

export async function adminDirectoryRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<ListQuery>('/admin/directory', async (request, reply) => {
    const actor = requireActor(request);
    const q = request.query;
    const status = q.status === 'disabled' || q.status === 'all' ? q.status : 'active';
    const page = Math.max(1, Number(q.page) || 1);
    const filter = { q: (q.q ?? '').slice(0, 100), org: q.org ?? '', role: q.role ?? '', group: q.group ?? '' };
    const result = await app.engine.directory.people(actor, { ...filter, status, page, pageSize: PAGE_SIZE });
    return reply.page('admin-directory', {
      ...DIRECTORY_CSS, current: 'people', title: t('directory.title'), district: result.district,
      people: result.items.map((p) => ({ ...p, url: personUrl(p.id), roleText: p.roles.map((r) => r.label).join('、') })),
      filter, total: result.total,
      orgs: result.filters.orgs.map((o) => ({ ...o, checked: o.value === filter.org })),
      roles: result.filters.roles.map((o) => ({ ...o, checked: o.value === filter.role })),
      groups: result.filters.groups.map((o) => ({ ...o, checked: o.value === filter.group })),
      statuses: ['active', 'disabled', 'all'].map((s) => ({ value: s, label: t(`directory.status.${s}`), checked: s === status })),
      pager: pager('/admin/directory', { ...filter, ...(status !== 'active' && { status }) }, { page, pageSize: PAGE_SIZE, total: result.total, items: result.items }),
    });
  });

  app.get('/admin/directory/people/new', async (request, reply) =>
    renderForm(request, reply, requireActor(request), { id: '', name: '', orgId: '', roles: [], groups: [] }, {}));

  app.post('/admin/directory/people', async (request, reply) => {
    const actor = requireActor(request);
    const options = await app.engine.directory.formOptions(actor);
    const typed = inputOf(request.body, options.groups.map((g) => g.value));
    const key = str(request.body, '_once', 255);
    try {
      const made = await app.engine.directory.createPerson(actor, typed, key ? { key, request: typed } : undefined);
      if (made.replayed) {
        reply.flash(t('directory.person.replayed'));
        return seeOther(request, reply, personUrl(made.id));
      }
      // Answered with the person's page itself: the temporary password is shown here, once.
      reply.flash(t('directory.person.created', { name: typed.name }));
      return renderPerson(request, reply, made.id, { temporaryPassword: made.temporaryPassword }, 201);
    } catch (e) {
      const p = formProblem(e, 'f-id');
      if (!p) throw e;
      return renderForm(request, reply, actor, typed, { errors: p.errors }, p.status);
    }
  });

  app.get<IdParams>('/admin/directory/people/:id', async (request, reply) => renderPerson(request, reply, request.params.id));

  app.get<IdParams>('/admin/directory/people/:id/edit', async (request, reply) => {
    const actor = requireActor(request);
    const person = await app.engine.directory.person(actor, request.params.id);
    return renderForm(request, reply, actor, inputFromPerson(person), { id: person.id });
  });

  app.post<IdParams>('/admin/directory/people/:id', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const options = await app.engine.directory.formOptions(actor);
    const typed = { ...inputOf(request.body, options.groups.map((g) => g.value)), id };
    try {
      const r = await app.engine.directory.updatePerson(actor, id, typed);
      reply.flash(t(r.changed ? 'directory.person.saved' : 'directory.person.unchanged'));
      return seeOther(request, reply, personUrl(id));
    } catch (e) {
      const p = formProblem(e, 'f-name');
      if (!p) throw e;
      return renderForm(request, reply, actor, typed, { id, errors: p.errors }, p.status);
    }
  });

  // 停用 / 启用: a GET shows what will happen and asks; the POST does it. A refusal (the last
  // administrator) comes back on the person's page, saying why, with nothing changed.
  for (const action of ['disable', 'enable'] as const) {
    app.get<IdParams>(`/admin/directory/people/:id/${action}`, async (request, reply) => {
      const person = await app.engine.directory.person(requireActor(request), request.params.id);
      return reply.page('admin-directory-confirm', {
        ...DIRECTORY_CSS, current: 'people', title: t(`directory.person.${action}Title`, { name: person.name }),
        text: t(`directory.person.${action}Text`, { name: person.name }), warning: action === 'disable' && person.isLastAdmin ? t('directory.person.lastAdmin') : undefined,
        action: personUrl(person.id, `/${action}`), button: t(`directory.person.${action}`), back: personUrl(person.id),
      });
    });
    app.post<IdParams>(`/admin/directory/people/:id/${action}`, async (request, reply) => {
      const id = request.params.id;
      try {
        const r = await app.engine.directory.setPersonDisabled(requireActor(request), id, action === 'disable');
        reply.flash(t(`directory.person.${action}${r.changed ? 'd' : 'Already'}`));
        return seeOther(request, reply, personUrl(id));
      } catch (e) {
        const p = formProblem(e, 'person-actions');
        if (!p) throw e;
        return renderPerson(request, reply, id, { problem: p.errors[0]?.message }, p.status);
      }
    });
  }

  app.post<IdParams>('/admin/directory/people/:id/reset-password', async (request, reply) => {
    const id = request.params.id;
    try {
      const r = await app.engine.directory.resetPassword(requireActor(request), id, str(request.body, 'password', 1024) || undefined);
      reply.flash(t('directory.person.resetDone'));
      return renderPerson(request, reply, id, { temporaryPassword: r.temporaryPassword });
    } catch (e) {
      const p = formProblem(e, 'f-password');
      if (!p) throw e;
      return renderPerson(request, reply, id, { errors: p.errors, resetOpen: true }, p.status);
    }
  });

  await adminDirectoryOrgRoutes(app);
  await adminDirectoryGroupRoutes(app);
}

// admin-directory-groups.ts: 通讯录管理's groups (常委会组成人员, 民情联络员 …): the list with a form
// to create one, and one group's page: its members with the deputy each works for (服务代表),
// add or change a member, take one out, rename the group.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../engine/forms/types.ts';
import type { GroupInput } from '../../engine/runtime/types.ts';
import { requireActor } from '../session.ts';
import { seeOther } from './tasks.ts';
import { DIRECTORY_CSS, fieldModel, formProblem, str } from './admin-directory-forms.ts';

type IdParams = { Params: { id: string } };

const groupUrl = (id: string): string => `/admin/directory/groups/${encodeURIComponent(id)}`;

function groupInputOf(body: unknown): GroupInput {
  return { id: str(body, 'id', 64), name: str(body, 'name', 200), description: str(body, 'description', 600), ownerOrg: str(body, 'ownerOrg', 64) };
}

async function renderGroups(request: FastifyRequest, reply: FastifyReply, typed: GroupInput, errors: FieldError[] = [], status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const groups = await app.engine.directory.groups(requireActor(request));
  return reply.page('admin-directory-groups', {
    ...DIRECTORY_CSS, current: 'groups', title: t('directory.groups.title'), errors,
    groups: groups.map((g) => ({ ...g, url: groupUrl(g.id) })),
    fields: {
      id: fieldModel(t, 'id', typed.id, errors, { required: true, label: t('directory.fields.groupId'), hint: t('directory.hints.groupId'), attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '64' } }),
      name: fieldModel(t, 'name', typed.name, errors, { required: true, label: t('directory.fields.groupName') }),
      description: fieldModel(t, 'description', typed.description, errors, {}),
    },
  }, status);
}

async function renderGroup(request: FastifyRequest, reply: FastifyReply, id: string, typed: { member?: { userId: string; worksFor: string }; group?: GroupInput }, errors: FieldError[] = [], status = 200) {
  const app = request.server;
  const t = app.renderer.t;
  const g = await app.engine.directory.group(requireActor(request), id);
  const gv = typed.group ?? { name: g.name, description: g.description };
  return reply.page('admin-directory-group', {
    ...DIRECTORY_CSS, current: 'groups', title: g.name, group: g, errors,
    members: g.members.map((m) => ({ ...m, personUrl: `/admin/directory/people/${encodeURIComponent(m.userId)}` })),
    history: g.history.map((h) => ({ ...h, sourceLabel: t(`directory.sources.${h.source}`) })),
    fields: {
      userId: fieldModel(t, 'userId', typed.member?.userId ?? '', errors, { required: true, hint: t('directory.hints.memberId'), attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '40' } }),
      worksFor: fieldModel(t, 'worksFor', typed.member?.worksFor ?? '', errors, { label: t('directory.fields.worksForUser'), hint: t('directory.hints.worksFor'), attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '40' } }),
      name: fieldModel(t, 'name', gv.name, errors, { required: true, label: t('directory.fields.groupName') }),
      description: fieldModel(t, 'description', gv.description, errors, {}),
    },
    urls: { self: groupUrl(id), members: `${groupUrl(id)}/members`, remove: `${groupUrl(id)}/members/remove`, people: `/admin/directory?group=${encodeURIComponent(id)}&status=all` },
  }, status);
}

export async function adminDirectoryGroupRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get('/admin/directory/groups', async (request, reply) => renderGroups(request, reply, { id: '', name: '', description: '' }));

  app.post('/admin/directory/groups', async (request, reply) => {
    const typed = groupInputOf(request.body);
    try {
      const r = await app.engine.directory.saveGroup(requireActor(request), typed, true);
      reply.flash(t('directory.groups.created', { name: typed.name }));
      return seeOther(request, reply, groupUrl(r.id));
    } catch (e) {
      const p = formProblem(e, 'f-id');
      if (!p) throw e;
      return renderGroups(request, reply, typed, p.errors, p.status);
    }
  });

  app.get<IdParams>('/admin/directory/groups/:id', async (request, reply) => renderGroup(request, reply, request.params.id, {}));

  app.post<IdParams>('/admin/directory/groups/:id', async (request, reply) => {
    const id = request.params.id;
    const typed = { ...groupInputOf(request.body), id };
    try {
      await app.engine.directory.saveGroup(requireActor(request), typed, false);
      reply.flash(t('directory.groups.saved'));
      return seeOther(request, reply, groupUrl(id));
    } catch (e) {
      const p = formProblem(e, 'f-name');
      if (!p) throw e;
      return renderGroup(request, reply, id, { group: typed }, p.errors, p.status);
    }
  });

  app.post<IdParams>('/admin/directory/groups/:id/members', async (request, reply) => {
    const id = request.params.id;
    const member = { userId: str(request.body, 'userId', 64), worksFor: str(request.body, 'worksFor', 64) };
    try {
      await app.engine.directory.setGroupMember(requireActor(request), id, member);
      reply.flash(t('directory.groups.memberSaved'));
      return seeOther(request, reply, groupUrl(id));
    } catch (e) {
      const p = formProblem(e, 'f-userId');
      if (!p) throw e;
      return renderGroup(request, reply, id, { member }, p.errors, p.status);
    }
  });

  app.post<IdParams>('/admin/directory/groups/:id/members/remove', async (request, reply) => {
    const id = request.params.id;
    await app.engine.directory.setGroupMember(requireActor(request), id, { userId: str(request.body, 'userId', 64), remove: true });
    reply.flash(t('directory.groups.memberRemoved'));
    return seeOther(request, reply, groupUrl(id));
  });
}

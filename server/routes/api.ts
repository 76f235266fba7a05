// api.ts: the JSON API under /api/v1: the same operations as the pages, with a bearer token.
//
// Every route has a JSON Schema, so fastify's ajv answers a bad body with 400 and a message, and
// @fastify/swagger can publish the whole API at /api/docs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LvzError } from '../../engine/errors.ts';
import type { FieldModel, FormModel } from '../../engine/forms/types.ts';
import type { InboxList, InstanceView, TaskActionInput, TaskView } from '../../engine/runtime/types.ts';
import * as S from '../api-schemas.ts';
import { apiValidatorCompiler } from '../api-validator.ts';
import { requireActor } from '../session.ts';

type Id = { Params: { id: string } };

async function bearerActor(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (m) request.actor = await request.server.engine.actorByApiToken(m[1]!);
}

function requireApiActor(request: FastifyRequest) {
  if (!request.actor) throw new LvzError('LVZ_AUTH_REQUIRED', '缺少或无效的令牌：先 POST /api/v1/tokens 换取令牌，再以 Authorization: Bearer <令牌> 调用。');
  return requireActor(request);
}

function fieldJson(f: FieldModel) {
  return { ...f, options: f.items?.map((i) => ({ value: i.value, label: i.label })) };
}

function fieldsJson(form: FormModel) {
  return form.fields.map(fieldJson);
}

function taskJson(v: TaskView) {
  const { form, ...rest } = v;
  return { ...rest, fields: fieldsJson(form) };
}

function instanceJson(v: InstanceView) {
  const { form, diagram, ...rest } = v;
  return { ...rest, fields: fieldsJson(form), steps: diagram.steps };
}

const tag = (t: string) => ({ tags: [t] });

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const engine = app.engine;
  app.setValidatorCompiler(apiValidatorCompiler());
  app.addHook('onRequest', bearerActor);

  app.post<{ Body: { username: string; password: string } }>('/tokens', {
    schema: { ...tag('auth'), summary: '以用户名和密码换取令牌', security: [], body: S.tokenBody, response: { 201: S.tokenResponse, ...S.errorResponses } },
  }, async (request, reply) => {
    const info = await engine.login(request.body.username, request.body.password);
    const token = await engine.createApiToken(info.actor);
    // The token is the credential; the cookie session login() made is not needed.
    await engine.logout(info.sessionId);
    const a = info.actor;
    return reply.code(201).send({ token, user: { id: a.userId, name: a.name, orgId: a.orgId, orgName: a.orgName, roles: a.roles } });
  });

  app.get<{ Querystring: { list: InboxList; page: number; pageSize: number; q?: string } }>('/inbox', {
    schema: {
      ...tag('inbox'), summary: '待办、已办、我发起的、抄送我的',
      querystring: { type: 'object', properties: { list: { type: 'string', enum: ['todo', 'done', 'started', 'cc'], default: 'todo' }, ...S.pageQuery } },
      response: { 200: S.pageOf(S.taskSummarySchema), ...S.errorResponses },
    },
  }, async (request) => {
    const { list, page, pageSize, q } = request.query;
    return engine.inbox(requireApiActor(request), list, { page, pageSize, q });
  });

  app.get('/workflows', {
    schema: {
      ...tag('start'), summary: '我可以发起的流程',
      response: { 200: { type: 'array', items: { type: 'object', properties: { workflowId: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' } } } }, ...S.errorResponses },
    },
  }, async (request) => engine.startable(requireApiActor(request)));

  app.get<Id>('/workflows/:id/form', {
    schema: {
      ...tag('start'), summary: '发起表单（字段与按钮）', params: S.idParams,
      response: { 200: { type: 'object', properties: { title: { type: 'string' }, fields: { type: 'array', items: S.fieldSchema }, buttons: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...S.errorResponses },
    },
  }, async (request) => {
    const f = await engine.startForm(requireApiActor(request), request.params.id);
    return { title: f.title, fields: fieldsJson(f.form), buttons: f.buttons };
  });

  app.post<Id & { Body: { event?: string; data?: Record<string, unknown>; opinion?: string; draft: boolean } }>('/workflows/:id/instances', {
    schema: {
      ...tag('start'), summary: '发起（或保存为草稿）', params: S.idParams, body: S.startBody,
      response: { 201: { type: 'object', properties: { instanceId: { type: 'string' }, taskId: { type: 'string' } } }, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const b = request.body;
    const out = await engine.start(requireApiActor(request), request.params.id, {
      event: b.event ?? '', input: b.data ?? {}, opinion: b.opinion, version: 0, draft: b.draft, typed: true,
    });
    return reply.code(201).send(out);
  });

  app.get<{ Querystring: { page: number; pageSize: number; q?: string; workflowId?: string; status?: string; state?: string } }>('/instances', {
    schema: {
      ...tag('instances'), summary: '事项列表（搜索、筛选、分页）',
      querystring: {
        type: 'object',
        properties: {
          ...S.pageQuery, workflowId: { type: 'string', maxLength: 64 }, state: { type: 'string', maxLength: 64 },
          status: { type: 'string', enum: ['draft', 'active', 'completed', 'cancelled', 'terminated'] },
        },
      },
      response: { 200: S.pageOf(S.instanceSummarySchema), ...S.errorResponses },
    },
  }, async (request) => engine.instances(requireApiActor(request), request.query));

  // Attachments: multipart/form-data, each file part named after its form field (attachments …),
  // beside a taskId (a task being done) or a workflowId (a new instance). The ids it returns go
  // into `data.<field>` of the start or the completion, as the web form does.
  app.post('/files', {
    schema: {
      ...tag('files'), summary: '上传附件（multipart/form-data）：文件部分以表单字段命名，另附 taskId 或 workflowId；返回的 fileId 放入发起或提交的 data',
      consumes: ['multipart/form-data'], response: { 201: S.uploadResponse, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireApiActor(request);
    if (!request.isMultipart()) {
      throw new LvzError('LVZ_RUN_BAD_REQUEST', '请以 multipart/form-data 上传：文件部分以表单字段命名（如 attachments），另附 taskId 或 workflowId。');
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const one = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const taskId = one(body.taskId);
    const workflowId = one(body.workflowId);
    if (!taskId === !workflowId) throw new LvzError('LVZ_RUN_BAD_REQUEST', '请给出 taskId（办理中的任务）或 workflowId（发起新件）其中之一。');
    if (request.uploads.length === 0) throw new LvzError('LVZ_RUN_BAD_REQUEST', '没有收到文件：请在 multipart 请求中附上至少一个文件部分。');
    // All or none: a refused file (its name, size, type or the quota) keeps none of the request's files.
    const stored = await engine.uploadAll(actor, taskId ? { taskId } : { workflowId }, request.uploads);
    const files = stored.map((f, i) => ({ fileId: f.fileId, field: request.uploads[i]!.field, name: f.name, mime: f.mime, size: f.size }));
    return reply.code(201).send({ files });
  });

  app.get<Id>('/instances/:id', {
    schema: { ...tag('instances'), summary: '事项详情、办理记录与流程环节', params: S.idParams, response: { 200: S.instanceViewSchema, ...S.errorResponses } },
  }, async (request) => instanceJson(await engine.instance(requireApiActor(request), request.params.id)));

  app.get<Id>('/tasks/:id', {
    schema: { ...tag('tasks'), summary: '待办详情：表单、按钮与可用操作', params: S.idParams, response: { 200: S.taskViewSchema, ...S.errorResponses } },
  }, async (request) => taskJson(await engine.task(requireApiActor(request), request.params.id)));

  app.post<Id & { Body: { event: string; data?: Record<string, unknown>; opinion?: string; reason?: string; version: number } }>('/tasks/:id/complete', {
    schema: {
      ...tag('tasks'), summary: '提交待办', params: S.idParams, body: S.completeBody,
      response: { 200: { type: 'object', properties: { instanceId: { type: 'string' }, state: { type: 'string' }, stateTitle: { type: 'string' } } }, ...S.errorResponses },
    },
  }, async (request) => {
    const b = request.body;
    return engine.complete(requireApiActor(request), request.params.id, { event: b.event, input: b.data ?? {}, opinion: b.opinion, reason: b.reason, version: b.version, typed: true });
  });

  app.post<Id & { Body: Record<string, unknown> & { action: TaskActionInput['action'] } }>('/tasks/:id/actions', {
    schema: { ...tag('tasks'), summary: '退回、转办、委派、加签、催办、抄送', params: S.idParams, body: S.actionBody, response: { 200: S.okSchema, ...S.errorResponses } },
  }, async (request) => {
    await engine.taskAction(requireApiActor(request), request.params.id, request.body as unknown as TaskActionInput);
    return { ok: true };
  });

  for (const action of ['cancel', 'withdraw', 'terminate', 'move', 'remind'] as const) {
    app.post<Id & { Body: { reason?: string; message?: string; version?: number; to?: string } }>(`/instances/:id/${action}`, {
      schema: {
        ...tag('instances'), summary: { cancel: '撤销（发起人）', withdraw: '撤回', terminate: '终止（管理员）', move: '调整办理步骤（管理员）', remind: '催办' }[action],
        params: S.idParams, body: S.instanceActionBody, response: { 200: S.okSchema, ...S.errorResponses },
      },
    }, async (request) => {
      const actor = requireApiActor(request);
      const { reason = '', message, version, to = '' } = request.body ?? {};
      if (action !== 'remind' && version === undefined) throw new LvzError('LVZ_RUN_BAD_REQUEST', '缺少 version：请先 GET /api/v1/instances/{id} 读取版本号，再带上它提交。');
      if (action === 'cancel') await engine.cancel(actor, request.params.id, { reason, version: version! });
      else if (action === 'withdraw') await engine.withdraw(actor, request.params.id, { version: version! });
      else if (action === 'terminate') await engine.terminate(actor, request.params.id, { reason, version: version! });
      else if (action === 'move') await engine.move(actor, request.params.id, { to, reason, version: version! });
      else await engine.remindInstance(actor, request.params.id, message);
      return { ok: true };
    });
  }
}

// api.ts: the JSON API under /api/v1: the same operations as the pages, with a bearer token.
//
// Every route has a JSON Schema, so fastify's ajv answers a bad body with 400 and a message, and
// @fastify/swagger can publish the whole API at /api/docs.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LvzError, isLvzError } from '../../engine/errors.ts';
import { readSubmissionKey } from '../../engine/index.ts';
import type { FieldModel, FormModel } from '../../engine/forms/types.ts';
import type { InboxList, InstanceView, TaskActionInput, TaskView } from '../../engine/runtime/types.ts';
import * as S from '../api-schemas.ts';
import { apiValidatorCompiler } from '../api-validator.ts';
import { requireActor } from '../session.ts';

type Id = { Params: { id: string } };

const READS = new Set(['GET', 'HEAD']);

/** The token's actor; a read-only token is refused here for anything but a read, before any route runs. */
async function bearerActor(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m) return;
  const auth = await request.server.engine.apiTokenAuth(m[1]!);
  if (!auth) return;
  if (auth.scope === 'read' && !READS.has(request.method)) {
    throw new LvzError('LVZ_AUTH_TOKEN_SCOPE', '这个令牌只能读取（scope: read），不能提交或更改：请改用读写令牌（scope: write）', { params: { scope: auth.scope } });
  }
  request.actor = auth.actor;
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

/** The Idempotency-Key header as /api/docs lists it; its checks are readSubmissionKey's (400 with a message). */
const idempotencyHeader = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', description: '可选：本次操作的唯一编号（如 UUID）。24 小时内以相同编号原样重发，返回第一次的结果而不重复办理（docs/api.md）' },
  },
};

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header) with what it guards:
 * the route and its body. Without the header a request runs as it always did.
 */
function onceOf(request: FastifyRequest, scope: string): { key: string; request: unknown } | undefined {
  const key = readSubmissionKey(request.headers['idempotency-key']);
  return key ? { key, request: { scope, body: request.body ?? {} } } : undefined;
}

/** A replayed answer is the first one, marked so a client can tell (as Stripe's Idempotent-Replayed). */
function markReplay(reply: FastifyReply, out: { replayed?: boolean }): void {
  if (out.replayed) reply.header('Idempotent-Replayed', 'true');
  delete out.replayed;
}

/**
 * A 409 over the API: the client still holds its body, so nothing was kept as a draft; the
 * message says how to go on instead of "refresh the page".
 */
async function explainConflict<T>(id: string, run: () => Promise<T>, what: 'tasks' | 'instances' = 'tasks'): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isLvzError(e) || !['LVZ_RUN_CONFLICT', 'LVZ_RUN_TASK_CLOSED', 'LVZ_RUN_INSTANCE_CLOSED'].includes(e.code)) throw e;
    // The engine's own text speaks to a page ("refresh"); a client is told what to call.
    const message = e.code === 'LVZ_RUN_CONFLICT'
      ? `其他人在您读取之后处理了这份件（version 已变）。您的请求没有生效，服务器也未保存其内容：请 GET /api/v1/${what}/${id} 读取最新的 version 和内容，核对后带上新的 version 再次提交`
      : `${what === 'tasks' ? '这项任务已办理完毕、已取消，或所在的件已结束' : '这份件的情况已经变化（已办结、撤销、终止，或相关任务已关闭）'}。您的请求没有生效，服务器也未保存其内容：请 GET /api/v1/${what}/${id} 或 /api/v1/inbox 查看当前情况`;
    throw new LvzError(e.code, message, { params: e.params, cause: e });
  }
}

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const engine = app.engine;
  app.setValidatorCompiler(apiValidatorCompiler());
  app.addHook('onRequest', bearerActor);

  app.post<{ Body: { username: string; password: string; expiresInDays?: number; scope?: 'read' | 'write' } }>('/tokens', {
    schema: { ...tag('auth'), operationId: 'createToken', summary: '以用户名和密码换取令牌（可选有效期与权限）', security: [], body: S.tokenBody, response: { 201: S.tokenResponse, ...S.errorResponses } },
  }, async (request, reply) => {
    const { username, password, expiresInDays, scope } = request.body;
    const info = await engine.login(username, password, { address: request.ip });
    // The token is the credential; the cookie session login() made is not needed.
    await engine.logout(info.sessionId);
    const made = await engine.createApiToken(info.actor, { expiresInDays, scope });
    const a = info.actor;
    return reply.code(201).send({
      token: made.token, expiresAt: made.expiresAt, scope: made.scope,
      user: { id: a.userId, name: a.name, orgId: a.orgId, orgName: a.orgName, roles: a.roles },
    });
  });

  app.get<{ Querystring: { list: InboxList; page: number; pageSize: number; q?: string } }>('/inbox', {
    schema: {
      ...tag('inbox'), operationId: 'listInbox', summary: '待办、已办、我发起的、抄送我的',
      querystring: { type: 'object', properties: { list: { type: 'string', enum: ['todo', 'done', 'started', 'cc'], default: 'todo' }, ...S.pageQuery } },
      response: { 200: S.pageOf(S.taskSummarySchema), ...S.errorResponses },
    },
  }, async (request) => {
    const { list, page, pageSize, q } = request.query;
    return engine.inbox(requireApiActor(request), list, { page, pageSize, q });
  });

  app.get('/workflows', {
    schema: {
      ...tag('start'), operationId: 'listStartableWorkflows', summary: '我可以发起的流程',
      response: { 200: { type: 'array', items: { type: 'object', properties: { workflowId: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' } } } }, ...S.errorResponses },
    },
  }, async (request) => engine.startable(requireApiActor(request)));

  app.get<Id>('/workflows/:id/form', {
    schema: {
      ...tag('start'), operationId: 'getStartForm', summary: '发起表单（字段与按钮）', params: S.idParams,
      response: { 200: { type: 'object', properties: { title: { type: 'string' }, fields: { type: 'array', items: S.fieldSchema }, buttons: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...S.errorResponses },
    },
  }, async (request) => {
    const f = await engine.startForm(requireApiActor(request), request.params.id);
    return { title: f.title, fields: fieldsJson(f.form), buttons: f.buttons };
  });

  app.post<Id & { Body: { event?: string; data?: Record<string, unknown>; opinion?: string; draft: boolean } }>('/workflows/:id/instances', {
    schema: {
      ...tag('start'), operationId: 'startInstance', summary: '发起（或保存为草稿）', params: S.idParams, body: S.startBody, headers: idempotencyHeader,
      response: { 201: { type: 'object', properties: { instanceId: { type: 'string' }, taskId: { type: 'string' } } }, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const b = request.body;
    const out = await engine.start(requireApiActor(request), request.params.id, {
      event: b.event ?? '', input: b.data ?? {}, opinion: b.opinion, version: 0, draft: b.draft, typed: true, once: onceOf(request, `start ${request.params.id}`),
    });
    markReplay(reply, out);
    return reply.code(201).send(out);
  });

  app.get<{ Querystring: { page: number; pageSize: number; q?: string; workflowId?: string; status?: string; state?: string } }>('/instances', {
    schema: {
      ...tag('instances'), operationId: 'listInstances', summary: '事项列表（搜索、筛选、分页）',
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
      ...tag('files'), operationId: 'uploadFiles', summary: '上传附件（multipart/form-data）：文件部分以表单字段命名，另附 taskId 或 workflowId；返回的 fileId 放入发起或提交的 data',
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
    schema: { ...tag('instances'), operationId: 'getInstance', summary: '事项详情、办理记录与流程环节', params: S.idParams, response: { 200: S.instanceViewSchema, ...S.errorResponses } },
  }, async (request) => instanceJson(await engine.instance(requireApiActor(request), request.params.id)));

  app.get<Id>('/tasks/:id', {
    schema: { ...tag('tasks'), operationId: 'getTask', summary: '待办详情：表单、按钮与可用操作', params: S.idParams, response: { 200: S.taskViewSchema, ...S.errorResponses } },
  }, async (request) => taskJson(await engine.task(requireApiActor(request), request.params.id)));

  app.post<Id & { Body: { event: string; data?: Record<string, unknown>; opinion?: string; reason?: string; version: number } }>('/tasks/:id/complete', {
    schema: {
      ...tag('tasks'), operationId: 'completeTask', summary: '提交待办（data 中未给出的可编辑字段保持原值）', params: S.idParams, body: S.completeBody, headers: idempotencyHeader,
      response: { 200: { type: 'object', properties: { instanceId: { type: 'string' }, state: { type: 'string' }, stateTitle: { type: 'string' } } }, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const b = request.body;
    const actor = requireApiActor(request);
    const once = onceOf(request, `complete ${request.params.id}`);
    const out = await explainConflict(request.params.id, () => engine.complete(actor, request.params.id, {
      event: b.event, input: b.data ?? {}, opinion: b.opinion, reason: b.reason, version: b.version, typed: true, once,
    }));
    markReplay(reply, out);
    return out;
  });

  app.post<Id & { Body: Record<string, unknown> & { action: TaskActionInput['action'] } }>('/tasks/:id/actions', {
    schema: { ...tag('tasks'), operationId: 'actOnTask', summary: '退回、转办、委派、加签、催办、抄送', params: S.idParams, body: S.actionBody, headers: idempotencyHeader, response: { 200: S.okSchema, ...S.errorResponses } },
  }, async (request, reply) => {
    const actor = requireApiActor(request);
    const once = onceOf(request, `action ${request.params.id}`);
    const out = await explainConflict(request.params.id, () => engine.taskAction(actor, request.params.id, request.body as unknown as TaskActionInput, once));
    markReplay(reply, out);
    return { ok: true };
  });

  for (const action of ['cancel', 'withdraw', 'terminate', 'move', 'remind'] as const) {
    app.post<Id & { Body: { reason?: string; message?: string; version?: number; to?: string } }>(`/instances/:id/${action}`, {
      schema: {
        ...tag('instances'), operationId: `${action}Instance`, summary: { cancel: '撤销（发起人）', withdraw: '撤回', terminate: '终止（管理员）', move: '调整办理步骤（管理员）', remind: '催办' }[action],
        params: S.idParams, body: S.instanceActionBody, response: { 200: S.okSchema, ...S.errorResponses },
      },
    }, async (request) => {
      const actor = requireApiActor(request);
      const { reason = '', message, version, to = '' } = request.body ?? {};
      if (action !== 'remind' && version === undefined) throw new LvzError('LVZ_RUN_BAD_REQUEST', '缺少 version：请先 GET /api/v1/instances/{id} 读取版本号，再带上它提交。');
      const id = request.params.id;
      await explainConflict(id, async () => {
        if (action === 'cancel') await engine.cancel(actor, id, { reason, version: version! });
        else if (action === 'withdraw') await engine.withdraw(actor, id, { version: version! });
        else if (action === 'terminate') await engine.terminate(actor, id, { reason, version: version! });
        else if (action === 'move') await engine.move(actor, id, { to, reason, version: version! });
        else await engine.remindInstance(actor, id, message);
      }, 'instances');
      return { ok: true };
    });
  }
}

// api-schemas.ts: JSON Schemas of /api/v1, checked by fastify's ajv on the way in and used by
// fast-json-stringify on the way out; @fastify/swagger publishes them as OpenAPI.

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;

export const errorSchema = {
  type: 'object',
  description: '错误：code 为稳定的错误码（见 docs/errors.md），message 为中文说明与处理办法。',
  properties: {
    error: {
      type: 'object',
      properties: { code: str, message: str, params: { type: 'object', additionalProperties: true } },
      required: ['code', 'message'],
    },
  },
} as const;

export const errorResponses = {
  400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema,
} as const;

export const okSchema = { type: 'object', properties: { ok: bool } } as const;

const returnedSchema = {
  type: 'object',
  description: '本任务由“退回”产生：退回人（背靠背环节为“匿名”）及其单位、退回时间、理由和退回自哪一环节',
  properties: { byName: str, byOrg: str, at: str, reason: str, fromStep: str },
} as const;

export const taskSummarySchema = {
  type: 'object',
  properties: {
    taskId: str, instanceId: str, workflowTitle: str, instanceTitle: str, stepTitle: str, holder: str,
    createdAt: str, dueAt: str, provisional: { type: 'boolean', description: 'true: dueAt is provisional, counted on weekdays into a year the holiday calendar lacks (暂按工作日估算); absent otherwise' },
    workingDaysLeft: int, isOverdue: bool,
    status: { type: 'string', enum: ['open', 'done', 'cancelled', 'waiting'] }, isRead: bool,
    instanceNumber: { type: 'string', description: '编号，如 建议 第2026001号' },
    initiatorName: { type: 'string', description: '提出人（发起人）姓名' },
    completedAt: { type: 'string', description: '已办：办理（或退回）的时间' },
    currentStep: { type: 'string', description: '事项当前所在环节（抄送我的、已办、我发起的）' },
    instanceStatus: { type: 'string', enum: ['draft', 'active', 'completed', 'cancelled', 'terminated'] },
    isReturned: { type: 'boolean', description: 'true：这项待办是被退回到本环节的（退回）；否则不出现' },
    returned: returnedSchema,
  },
} as const;

export const instanceSummarySchema = {
  type: 'object',
  properties: {
    instanceId: str, workflowId: str, workflowTitle: str, title: str, state: str, stateTitle: str,
    status: { type: 'string', enum: ['draft', 'active', 'completed', 'cancelled', 'terminated'] },
    initiatorName: str, createdAt: str, updatedAt: str,
  },
} as const;

export function pageOf(item: object) {
  return { type: 'object', properties: { items: { type: 'array', items: item }, total: int, page: int, pageSize: int } } as const;
}

export const fieldSchema = {
  type: 'object',
  description: '表单中的一项。value 为当前值（文件项为 {id, name, size} 列表），display 为显示文字。',
  properties: {
    name: str, type: str, label: str, hint: str, required: bool, readonly: bool, error: str, display: str,
    value: {},
    options: { type: 'array', items: { type: 'object', properties: { value: str, label: str } } },
    files: { type: 'array', items: { type: 'object', properties: { id: str, name: str, size: int, url: str } } },
  },
} as const;

export const historySchema = {
  type: 'object',
  properties: {
    seq: int, at: str, actorName: str, actorOrg: str, onBehalfOfName: str, principalName: str, type: str, summary: str, stepTitle: str,
    fromState: str, toState: str, opinion: str, reason: str,
    changes: { type: 'array', items: { type: 'object', properties: { label: str, value: str } } },
  },
} as const;

/** Back-to-back steps whose actor the caller sees as 匿名 (docs/dsl.md, anonymous_to). */
export const anonymitySchema = {
  type: 'array',
  items: { type: 'object', properties: { stepTitle: str, isByInitiator: bool, isContentHidden: bool } },
} as const;

/** Answers of for_each groups (协办单位意见), only the fields the caller may read. */
export const groupsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      group: str, title: str,
      answers: { type: 'array', items: { type: 'object', properties: { name: str, byName: str, at: str, fields: { type: 'array', items: fieldSchema } } } },
    },
  },
} as const;

const buttonSchema = { type: 'object', properties: { event: str, label: str, reason: { type: 'string', enum: ['required', 'optional', 'none'] } } } as const;
const choiceSchema = { type: 'object', properties: { value: str, label: str } } as const;

export const taskViewSchema = {
  type: 'object',
  properties: {
    taskId: str, instanceId: str, instanceTitle: str, workflowTitle: str, stepTitle: str, version: int,
    fields: { type: 'array', items: fieldSchema },
    buttons: { type: 'array', items: buttonSchema },
    actions: { type: 'array', items: str },
    opinion: { type: 'string', enum: ['required', 'optional', 'none'] },
    opinionLabel: { type: 'string', description: '本环节意见框的名称（如“答复意见”）；没有时为“审批意见”' },
    waiting: {
      type: 'object', description: '本环节在等待同一步骤的另一组任务（wait_for，如主办单位等待协办单位意见）：等待期间 buttons 为空，提交会得到 409 LVZ_RUN_WAITING',
      properties: { title: str, done: int, total: int, until: str },
    },
    isDraftable: { type: 'boolean', description: '可以保存草稿：任务未办结，且本环节有要填写的字段' },
    phrases: { type: 'array', items: str },
    returnTargets: { type: 'array', items: { type: 'object', properties: { state: str, title: str } } },
    signers: { type: 'array', items: { type: 'object', properties: { taskId: str, name: str, position: str } } },
    dueAt: str, provisional: { type: 'boolean', description: 'true: dueAt is provisional, counted on weekdays into a year the holiday calendar lacks (暂按工作日估算); absent otherwise' },
    workingDaysLeft: int, isOverdue: bool, isDelegated: bool,
    waitsFor: { type: 'object', description: '本任务在等待办理人委派或加签的人办理：kind 为 delegated（委派）或 signer（加签），names 为其姓名', properties: { kind: str, names: { type: 'array', items: str } } },
    moved: { type: 'object', description: '本环节由管理员“调整办理步骤”进入：调整人、时间和理由', properties: { byName: str, at: str, reason: str } },
    cameBack: { type: 'object', description: '本环节曾经办理过、流程又回到这里时，定义给出的说明（如“附议代表不足十人”）及回到的时间', properties: { note: str, at: str } },
    returned: returnedSchema,
    isOpen: { type: 'boolean', description: 'false: the task is done, waiting, cancelled or a 抄送 copy; read-only, no buttons' },
    handled: {
      type: 'object', description: '已办理：办理人、是否本人、办理时间、结果（如“交办 → 承办答复”）和意见',
      properties: { byName: str, isMine: bool, at: str, result: str, opinion: str },
    },
    history: { type: 'array', items: historySchema },
    anonymity: anonymitySchema,
    groups: groupsSchema,
    people: { type: 'array', description: '转办（个人的任务）、委派、加签可以交给的人员：不含发起人和已参与本件办理的人员', items: choiceSchema },
    orgs: { type: 'array', description: '单位的任务可以转办给的单位', items: choiceSchema },
    reassignTo: { type: 'string', enum: ['org', 'person'], description: '转办的对象：org 为单位（单位的任务，给 toOrg），person 为一位人员（给 toUser）' },
  },
} as const;

export const instanceViewSchema = {
  type: 'object',
  properties: {
    summary: instanceSummarySchema,
    version: int,
    fields: { type: 'array', items: fieldSchema },
    history: { type: 'array', items: historySchema },
    anonymity: anonymitySchema,
    groups: groupsSchema,
    steps: {
      type: 'array',
      items: { type: 'object', properties: { name: str, title: str, isCurrent: bool, isVisited: bool, isFinal: bool } },
    },
    myTasks: { type: 'array', items: { type: 'object', properties: { taskId: str, stepTitle: str } } },
    openTasks: { type: 'array', items: { type: 'object', properties: { stepTitle: str, holder: str, dueAt: str, provisional: { type: 'boolean', description: 'true: dueAt is provisional, counted on weekdays into a year the holiday calendar lacks (暂按工作日估算); absent otherwise' }, isOverdue: bool } } },
    can: { type: 'object', properties: { cancel: bool, terminate: bool, remind: bool, withdraw: bool, move: bool } },
    moveTargets: { type: 'array', items: { type: 'object', properties: { name: str, title: str, isCurrent: bool } } },
    linked: { type: 'array', items: { type: 'object', properties: { instanceId: str, title: str, relation: str } } },
    spawned: {
      type: 'array',
      description: '由某一步（spawn: each）启动的子流程，按步骤分组（docs/spawn.md）',
      items: {
        type: 'object',
        properties: {
          stepTitle: str, wait: { type: 'string', enum: ['all', 'any', 'none'] }, isCurrent: bool,
          children: { type: 'array', items: { type: 'object', properties: { instanceId: str, number: str, title: str, stepTitle: str, status: str } } },
        },
      },
    },
  },
} as const;

/** Form data as JSON: field name -> value (text, number, list of choices, list of file ids …). */
export const dataSchema = { type: 'object', additionalProperties: true, description: '表单数据：字段名 → 值' } as const;

export const completeBody = {
  type: 'object',
  required: ['event', 'version'],
  additionalProperties: false,
  properties: {
    event: { type: 'string', minLength: 1, maxLength: 64, description: '按钮对应的事件，见 GET /tasks/{id} 的 buttons' },
    data: dataSchema,
    opinion: { type: 'string', maxLength: 5000 },
    reason: { type: 'string', maxLength: 5000 },
    version: { type: 'integer', minimum: 0, description: '读取事项时的版本号；已被他人改动时返回 409' },
  },
} as const;

export const startBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    event: { type: 'string', maxLength: 64, description: '提交按钮的事件；草稿可省略' },
    data: dataSchema,
    opinion: { type: 'string', maxLength: 5000 },
    draft: { type: 'boolean', default: false },
  },
} as const;

export const actionBody = {
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: { type: 'string', enum: ['return', 'reassign', 'delegate', 'add_signer', 'remove_signer', 'remind', 'copy'] },
    signerTaskId: { type: 'string', maxLength: 64, description: 'remove_signer（减签）：要减去的加签任务（见 signers）' },
    to: { type: 'string', maxLength: 64, description: 'return：退回到的环节' },
    toUser: { type: 'string', maxLength: 64 },
    toOrg: { type: 'string', maxLength: 64 },
    toUsers: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 200 },
    position: { type: 'string', enum: ['before', 'after'] },
    reason: { type: 'string', maxLength: 5000 },
    message: { type: 'string', maxLength: 2000 },
    version: { type: 'integer', minimum: 0 },
  },
} as const;

export const instanceActionBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reason: { type: 'string', maxLength: 5000 },
    message: { type: 'string', maxLength: 2000 },
    version: { type: 'integer', minimum: 0 },
    to: { type: 'string', maxLength: 200, description: 'move：调整到的步骤名（见 moveTargets）' },
  },
} as const;

export const tokenBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365, default: 90, description: '有效期（天），1–365，默认 90' },
    scope: { type: 'string', enum: ['read', 'write'], default: 'write', description: 'read：只能读取（GET）；write：读写（默认）' },
  },
} as const;

export const uploadResponse = {
  type: 'object',
  properties: {
    files: { type: 'array', items: { type: 'object', properties: { fileId: str, field: str, name: str, mime: str, size: int } } },
  },
} as const;

export const tokenResponse = {
  type: 'object',
  properties: {
    token: str,
    expiresAt: { type: 'string', format: 'date-time' },
    scope: { type: 'string', enum: ['read', 'write'] },
    user: { type: 'object', properties: { id: str, name: str, orgId: str, orgName: str, roles: { type: 'array', items: str } } },
  },
} as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;

export const pageQuery = {
  page: { type: 'integer', minimum: 1, default: 1 },
  pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  q: { type: 'string', maxLength: 100 },
} as const;

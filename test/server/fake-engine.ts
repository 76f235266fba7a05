// fake-engine.ts: a fixed, in-memory stand-in for the Engine, only for rendering tests of templates
// (every page with realistic models, built by the real engine/forms). Integration tests use the real engine.

import fs from 'node:fs';
import path from 'node:path';
import { LvzError } from '../../engine/errors.ts';
import { buildFormModel, compileForm } from '../../engine/forms/index.ts';
import type { CompiledForm, DirectoryOptions, FormModel } from '../../engine/forms/types.ts';
import type { Actor, Engine, HistoryEntry, InstanceView, TaskView } from '../../engine/runtime/types.ts';

const root = path.resolve(import.meta.dirname, '../..');

function suggestionForm(): CompiledForm {
  const r = compileForm(fs.readFileSync(path.join(root, 'forms/suggestion.yaml'), 'utf8'), 'suggestion.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.form;
}

const dir: DirectoryOptions = {
  orgs: [{ value: 'city-fgw', label: '市发展改革委' }, { value: 'city-jyj', label: '市教育局' }],
  people: [{ value: 'deputy1', label: '张代表' }, { value: 'review1', label: '李审查' }],
  orgsByKind: { unit: [{ value: 'city-fgw', label: '市发展改革委' }, { value: 'city-jyj', label: '市教育局' }] },
  peopleByRole: { leader: [{ value: 'leader1', label: '王主任' }] },
};

const actor: Actor = { userId: 'review1', username: 'review1', name: '李审查', orgId: 'city-xlw', orgName: '选联工委', roles: ['review_office'] };

const record = { title: '关于加快老旧小区加装电梯的建议 <script>alert(1)</script>', category: '城乡建设与管理', content: '第一行\n第二行', is_key: '否' };

const history: HistoryEntry[] = [
  { seq: 1, at: '2026-03-02T02:05:00Z', actorName: '张代表', actorOrg: '第一代表团', type: 'instance.started', summary: '提出建议', stepTitle: '提出' },
  { seq: 2, at: '2026-03-03T06:30:00Z', actorName: '赵秘书', onBehalfOfName: '李审查', type: 'task.returned', summary: '退回', stepTitle: '审查交办', reason: '请补充具体措施', opinion: '内容需要补充' },
];

export function fakeEngine(): Engine {
  const form = suggestionForm();
  const access = { edit: new Set(['lead_unit', 'co_units', 'is_complex', 'is_key', 'supervisor']), read: new Set(['title', 'category', 'content', 'attachments']) };
  const model = (errors = [] as FormModel['errors'], raw?: Record<string, unknown>) => buildFormModel(form, record, access, errors, dir, raw);
  const task = (): TaskView => ({
    taskId: 't1', instanceId: 'i1', instanceTitle: record.title, workflowTitle: '代表建议办理', stepTitle: '审查交办', version: 3,
    form: model(), buttons: [{ event: 'accept', label: '交办', reason: 'none' }, { event: 'reject', label: '不予受理', reason: 'required' }],
    actions: ['return', 'reassign', 'remind', 'copy'], opinion: 'required', phrases: ['同意交办', '请补充材料'],
    returnTargets: [{ state: 'draft', title: '提出' }], dueAt: '2026-03-11T16:00:00Z', workingDaysLeft: 2, isOverdue: false,
    isDelegated: false, history, people: dir.people, orgs: dir.orgs,
  });
  const view = (): InstanceView => ({
    summary: { instanceId: 'i1', workflowId: 'suggestion', workflowTitle: '代表建议办理', title: record.title, state: 'review', stateTitle: '审查交办', status: 'active', initiatorName: '张代表', createdAt: '2026-03-02T02:05:00Z', updatedAt: '2026-03-03T06:30:00Z' },
    version: 3, form: buildFormModel(form, record, { edit: new Set(), read: new Set(form.def.fields.map((f) => f.name)) }, [], dir), history,
    diagram: { svg: '<svg viewBox="0 0 200 40" xmlns="http://www.w3.org/2000/svg"><rect x="1" y="1" width="90" height="38" fill="#fff" stroke="#000"/><text x="10" y="25">提出</text></svg>', steps: [{ name: 'draft', title: '提出', isCurrent: false, isVisited: true, isFinal: false }, { name: 'review', title: '审查交办', isCurrent: true, isVisited: true, isFinal: false }, { name: 'closed', title: '办结', isCurrent: false, isVisited: false, isFinal: true }] },
    myTasks: [{ taskId: 't1', stepTitle: '审查交办' }], openTasks: [{ stepTitle: '审查交办', holder: '选联工委', dueAt: '2026-03-01T16:00:00Z', isOverdue: true }],
    can: { cancel: false, terminate: true, remind: true, withdraw: false }, linked: [],
  });
  const summary = { taskId: 't1', instanceId: 'i1', workflowTitle: '代表建议办理', instanceTitle: record.title, stepTitle: '审查交办', holder: '选联工委', createdAt: '2026-03-03T06:30:00Z', dueAt: '2026-03-11T16:00:00Z', workingDaysLeft: -3, isOverdue: true, status: 'open' as const };
  const notHere = (): never => { throw new LvzError('LVZ_RUN_NOT_FOUND', '没有这个事项'); };
  return {
    async login(u, p) { if (u !== 'review1' || p !== 'demo') throw new LvzError('LVZ_AUTH_BAD_LOGIN', '用户名或密码不正确'); return { sessionId: 's1', actor, csrfSecret: 'x'.repeat(32) }; },
    async session(sid) { return sid === 's1' ? { sessionId: 's1', actor, csrfSecret: 'x'.repeat(32) } : undefined; },
    async logout() {},
    async actorByApiToken(t) { return t === 'tok' ? actor : undefined; },
    async createApiToken() { return 'tok'; },
    async demoAccounts() { return [{ username: 'review1', password: 'demo', name: '李审查', role: '审查交办', org: '选联工委' }]; },
    async orgTree() { return []; },
    async setOutOfOffice() {},
    async savePhrase() {},
    async startable() { return [{ workflowId: 'suggestion', title: '代表建议', description: '提出建议' }]; },
    async startForm() { return { title: '代表建议', form: buildFormModel(form, {}, { edit: new Set(['title', 'category', 'content', 'attachments']), read: new Set() }, [], dir), buttons: [{ event: 'submit', label: '提交', reason: 'none' }] }; },
    async start() { return { instanceId: 'i1' }; },
    async inbox(_a, _l, q) { return { items: [summary, { ...summary, taskId: 't2', workingDaysLeft: 5, isOverdue: false }], total: 45, page: q.page, pageSize: q.pageSize }; },
    async inboxCounts() { return { todo: 2, done: 5, started: 0, cc: 1 }; },
    async instances(_a, q) { return { items: [view().summary], total: 1, page: q.page, pageSize: q.pageSize }; },
    async instance(_a, id) { return id === 'i1' ? view() : notHere(); },
    async task(_a, id) { return id === 't1' ? task() : notHere(); },
    async complete(_a, _id, input) {
      if (!input.input.lead_unit) {
        const errors = [{ id: 'f-lead_unit', name: 'lead_unit', message: '请选择主办单位' }];
        throw new LvzError('LVZ_FORM_INVALID', '表单有误', { params: { errors, form: model(errors, input.input) } });
      }
      if (input.version !== 3) throw new LvzError('LVZ_RUN_CONFLICT', '版本已变');
      return { instanceId: 'i1', state: 'handle', stateTitle: '办理' };
    },
    async saveDraft() {},
    async checkField(_a, _id, _f, input) { return model([], input); },
    async taskAction() {},
    async withdraw() {},
    async cancel() {},
    async terminate() {},
    async remindInstance() {},
    async upload() { return notHere(); },
    async file() { return notHere(); },
    async fireDueTimers() { return 0; },
    async close() {},
  };
}

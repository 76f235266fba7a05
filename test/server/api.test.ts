// api.test.ts: the JSON API with bearer tokens, its schema checks, and the published OpenAPI.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/http.ts';
import { api as callApi } from '../helpers/spawn.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => s?.close());

const api = (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => callApi(s.base, method, url, opts);

async function token(username: string): Promise<string> {
  const r = await api('POST', '/tokens', { body: { username, password: 'lvzhi2026' } });
  expect(r.status).toBe(201);
  return r.json.token as string;
}

describe('JSON API', () => {
  it('gives a token for a good password and 401 with a code for a bad one; calls without a token get 401', async () => {
    const bad = await api('POST', '/tokens', { body: { username: 'deputy1', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('LVZ_AUTH_BAD_LOGIN');
    const none = await api('GET', '/inbox');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('LVZ_AUTH_REQUIRED');
    expect((await api('GET', '/inbox', { token: 'forged' })).status).toBe(401);
  });

  it('rejects a malformed body with 400 and says what is wrong', async () => {
    const t = await token('deputy1');
    const r = await api('POST', '/workflows/suggestion/instances', { token: t, body: { event: 'submit', data: 'not an object' } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('LVZ_RUN_BAD_REQUEST');
    expect(r.json.error.message).toMatch(/data/);
    const missing = await api('POST', '/tokens', { body: { username: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/password/);
  });

  it('runs start → review with the same rules as the pages: 422 with field errors, 409 on a stale version', async () => {
    const d = await token('deputy1');
    expect((await api('GET', '/workflows', { token: d })).json.map((w: { workflowId: string }) => w.workflowId)).toContain('suggestion');
    const invalid = await api('POST', '/workflows/suggestion/instances', { token: d, body: { event: 'submit', data: { title: '' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.code).toBe('LVZ_FORM_INVALID');
    expect(invalid.json.error.params.errors.map((e: { id: string }) => e.id)).toContain('f-title');
    const started = await api('POST', '/workflows/suggestion/instances', { token: d, body: { event: 'submit', data: { title: '接口提交的建议', content: '内容' } } });
    expect(started.status).toBe(201);
    const instanceId = started.json.instanceId as string;

    const r = await token('review1');
    const inbox = await api('GET', '/inbox?list=todo', { token: r });
    expect(inbox.status).toBe(200);
    const row = inbox.json.items.find((i: { instanceId: string }) => i.instanceId === instanceId);
    expect(row).toBeTruthy();
    const task = await api('GET', `/tasks/${row.taskId}`, { token: r });
    expect(task.status).toBe(200);
    expect(task.json.buttons.map((b: { event: string }) => b.event)).toContain('accept');
    const body = { event: 'accept', version: task.json.version, opinion: '同意', data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' } };
    const done = await api('POST', `/tasks/${row.taskId}/complete`, { token: r, body });
    expect(done.status).toBe(200);
    expect(done.json.stateTitle).toBe('承办答复');
    const again = await api('POST', `/tasks/${row.taskId}/complete`, { token: r, body });
    expect(again.status).toBe(409);

    const view = await api('GET', `/instances/${instanceId}`, { token: d });
    expect(view.status).toBe(200);
    expect(view.json.summary.stateTitle).toBe('承办答复');
    expect(view.json.history.length).toBeGreaterThanOrEqual(3);
    const list = await api('GET', '/instances?q=接口', { token: d });
    expect(list.json.items.map((i: { instanceId: string }) => i.instanceId)).toContain(instanceId);

    const unit = await token('gaj1');
    expect([403, 404]).toContain((await api('GET', `/instances/${instanceId}`, { token: unit })).status);
    const remind = await api('POST', `/instances/${instanceId}/remind`, { token: d, body: { message: '请尽快办理' } });
    expect([200, 403, 409]).toContain(remind.status);
  });

  it('completes with PATCH meaning: an editable field left out keeps its value; history names orgs and people', async () => {
    const d = await token('deputy1');
    const r = await token('review1');
    const f = await token('fgw1');
    const started = await api('POST', '/workflows/suggestion/instances', { token: d, body: { event: 'submit', data: { title: '部分提交的建议', content: '内容' } } });
    const instanceId = started.json.instanceId as string;
    const taskOf = async (t: string): Promise<{ taskId: string }> =>
      (await api('GET', '/inbox?list=todo', { token: t })).json.items.find((i: { instanceId: string }) => i.instanceId === instanceId);
    const review = await taskOf(r);
    let task = await api('GET', `/tasks/${review.taskId}`, { token: r });
    const accept = { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '是', supervisor: 'leader1' };
    expect((await api('POST', `/tasks/${review.taskId}/complete`, { token: r, body: { event: 'accept', version: task.json.version, opinion: '同意', data: accept } })).status).toBe(200);

    // The lead unit sends it back; the review task shows what was chosen.
    const lead = await taskOf(f);
    task = await api('GET', `/tasks/${lead.taskId}`, { token: f });
    const back = await api('POST', `/tasks/${lead.taskId}/actions`, { token: f, body: { action: 'return', to: 'review', reason: '不属于我委职责', version: task.json.version } });
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    const again = await taskOf(r);
    task = await api('GET', `/tasks/${again.taskId}`, { token: r });
    expect(task.json.fields.find((x: { name: string }) => x.name === 'lead_unit').value).toBe('city-fgw');

    // Only the changed field is sent: the others keep their values (before: 422 请选择主办单位); null empties one.
    const done = await api('POST', `/tasks/${again.taskId}/complete`, { token: r, body: { event: 'accept', version: task.json.version, opinion: '改由协办', data: { co_units: null } } });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const view = await api('GET', `/instances/${instanceId}`, { token: r });
    const value = (name: string) => view.json.fields.find((x: { name: string }) => x.name === name)?.value;
    expect([value('lead_unit'), value('is_key'), value('supervisor')]).toEqual(['city-fgw', '是', 'leader1']);
    expect(value('co_units') ?? []).toEqual([]);

    // The history reads 市发展和改革委员会 and 赵志刚, never city-fgw or leader1.
    const changes = view.json.history.flatMap((h: { changes?: { label: string; value: string }[] }) => h.changes ?? []);
    expect(changes).toContainEqual({ label: '主办单位', value: '市发展和改革委员会' });
    expect(changes).toContainEqual({ label: '督办领导', value: '赵志刚' });
    expect(JSON.stringify(changes)).not.toMatch(/city-fgw|city-jyj|leader1/);
  });

  it('uploads attachments (multipart) and starts an instance with them; refuses what the field does not take', async () => {
    const d = await token('deputy1');
    const upload = (parts: Record<string, string | Blob>, t: string | null = d) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(parts)) {
        if (typeof v === 'string') form.append(k, v);
        else form.append(k, v, k === 'attachments' ? '调研报告.pdf' : 'virus.exe');
      }
      return fetch(`${s.base}/api/v1/files`, { method: 'POST', headers: t ? { authorization: `Bearer ${t}` } : {}, body: form });
    };
    const pdf = new Blob(['%PDF-1.4 test'], { type: 'application/pdf' });
    const res = await upload({ workflowId: 'suggestion', attachments: pdf });
    expect(res.status).toBe(201);
    const { files } = (await res.json()) as { files: { fileId: string; field: string; name: string; size: number }[] };
    expect(files).toEqual([expect.objectContaining({ field: 'attachments', name: '调研报告.pdf', size: 13 })]);

    const started = await api('POST', '/workflows/suggestion/instances', { token: d, body: { event: 'submit', data: { title: '带附件的建议', content: '内容', attachments: [files[0]!.fileId] } } });
    expect(started.status).toBe(201);
    const view = await api('GET', `/instances/${started.json.instanceId}`, { token: d });
    expect(JSON.stringify(view.json.fields.find((f: { name: string }) => f.name === 'attachments'))).toContain('调研报告.pdf');
    // Someone else's upload cannot be pulled into a record.
    const other = await upload({ workflowId: 'suggestion', attachments: pdf }, await token('deputy2'));
    const theirs = ((await other.json()) as { files: { fileId: string }[] }).files[0]!.fileId;
    expect((await api('POST', '/workflows/suggestion/instances', { token: d, body: { event: 'submit', data: { title: '借用附件', content: '内容', attachments: [theirs] } } })).status).toBe(422);

    const exe = await upload({ workflowId: 'suggestion', virus: new Blob(['MZ'], { type: 'application/octet-stream' }) });
    expect(exe.status).toBeGreaterThanOrEqual(400);
    expect(exe.status).toBeLessThan(500);
    const neither = await upload({ attachments: pdf });
    expect(neither.status).toBe(400);
    expect(((await neither.json()) as { error: { message: string } }).error.message).toContain('taskId');
    expect((await upload({ workflowId: 'suggestion' })).status).toBe(400);
    expect((await upload({ workflowId: 'suggestion', attachments: pdf }, null)).status).toBe(401);
    expect((await api('POST', '/files', { token: d, body: { workflowId: 'suggestion' } })).status).toBe(400);
  });

  it('publishes OpenAPI 3 at /api/docs/json with every API path and no page routes; the UI at /api/docs', async () => {
    const res = await fetch(`${s.base}/api/docs/json`);
    expect(res.status).toBe(200);
    const doc = await res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/tokens', '/api/v1/inbox', '/api/v1/workflows', '/api/v1/workflows/{id}/instances', '/api/v1/instances',
      '/api/v1/instances/{id}', '/api/v1/tasks/{id}', '/api/v1/tasks/{id}/complete', '/api/v1/tasks/{id}/actions',
      '/api/v1/instances/{id}/cancel', '/api/v1/instances/{id}/withdraw', '/api/v1/instances/{id}/terminate', '/api/v1/instances/{id}/move',
      '/api/v1/instances/{id}/remind', '/api/v1/files']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
    // What `redocly lint` (recommended) asks of each operation, checked here because @redocly/cli is not a
    // dependency: an operationId (operation-operationId), unique (…-unique), URL-safe (…-url-safe), in
    // camelCase so a generated client's method names read well; a summary and a 2xx response.
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, { operationId?: string; summary?: string; responses?: Record<string, unknown> }>)
      .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
      .map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, ...op })));
    expect(ops).toHaveLength(16);
    expect(ops.filter((o) => !/^[a-z][a-zA-Z0-9]*$/.test(o.operationId ?? '')).map((o) => o.where)).toEqual([]);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    expect(ops.filter((o) => !o.summary || !Object.keys(o.responses ?? {}).some((c) => /^2\d\d$/.test(c))).map((o) => o.where)).toEqual([]);
    expect(ops.find((o) => o.where === 'POST /api/v1/tasks/{id}/complete')?.operationId).toBe('completeTask');
    const ui = await fetch(`${s.base}/api/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});

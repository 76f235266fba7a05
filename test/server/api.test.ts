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
    const ui = await fetch(`${s.base}/api/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});

// bill-api.test.ts: the bill lifecycle over the JSON API: ten co-signers each through his own
// task, the presidium's decision, the committee's report; a rejected bill becomes a suggestion.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => s?.close());

const tokens = new Map<string, string>();

async function api(user: string, method: string, url: string, body?: unknown) {
  if (!tokens.has(user)) {
    const res = await fetch(`${s.base}/api/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: 'lvzhi2026' }),
    });
    expect(res.status).toBe(201);
    tokens.set(user, ((await res.json()) as { token: string }).token);
  }
  const res = await fetch(`${s.base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${tokens.get(user)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** The user's open task on this instance, with the version to send back. */
async function taskOf(user: string, instanceId: string): Promise<{ taskId: string; version: number }> {
  const inbox = await api(user, 'GET', '/inbox?list=todo&page=1');
  expect(inbox.status).toBe(200);
  const item = (inbox.json.items as { taskId: string; instanceId: string }[]).find((t) => t.instanceId === instanceId);
  expect(item, `${user} has a task on ${instanceId}`).toBeDefined();
  const task = await api(user, 'GET', `/tasks/${item!.taskId}`);
  expect(task.status).toBe(200);
  return { taskId: item!.taskId, version: task.json.version as number };
}

async function complete(user: string, instanceId: string, body: Record<string, unknown>) {
  const { taskId, version } = await taskOf(user, instanceId);
  return api(user, 'POST', `/tasks/${taskId}/complete`, { version, ...body });
}

const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);

async function startBill(title: string): Promise<string> {
  const r = await api('deputy1', 'POST', '/workflows/bill/instances', {
    event: 'submit',
    data: { title, content: '案据：……；方案：……', cosigners },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.instanceId as string;
}

async function stateOf(user: string, instanceId: string): Promise<{ state: string; status: string }> {
  const r = await api(user, 'GET', `/instances/${instanceId}`);
  expect(r.status).toBe(200);
  return { state: r.json.summary.state, status: r.json.summary.status };
}

describe('bill over the JSON API', () => {
  it('needs ten co-signers, each acting on his own task, then the presidium and the committee', async () => {
    const id = await startBill('关于制定《全民阅读促进条例》的议案');
    expect((await stateOf('deputy1', id)).state).toBe('cosign');

    // A co-signer cannot act on another co-signer's task.
    const own = await taskOf('deputy2', id);
    const forged = await api('deputy3', 'POST', `/tasks/${own.taskId}/complete`, { event: 'agree', version: own.version });
    expect([403, 404]).toContain(forged.status);

    for (const user of cosigners) {
      const r = await complete(user, id, { event: 'agree' });
      expect(r.status, `${user}: ${JSON.stringify(r.json)}`).toBe(200);
    }
    expect((await stateOf('deputy1', id)).state).toBe('presidium');

    const accepted = await complete('presidium1', id, {
      event: 'accept', data: { presidium_decision: '交专门委员会审议', committee: 'city-jkww' }, opinion: '同意立案',
    });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect((await stateOf('deputy1', id)).state).toBe('committee_review');

    // Only the committee the presidium chose holds the review.
    expect(((await api('cjw1', 'GET', '/inbox?list=todo&page=1')).json.items as { instanceId: string }[]).some((t) => t.instanceId === id)).toBe(false);
    const report = await complete('jkww1', id, { event: 'submit', data: { review_report: '建议列入年度立法计划。', review_result: '建议通过' } });
    expect(report.status, JSON.stringify(report.json)).toBe(200);
    expect(await stateOf('deputy1', id)).toEqual({ state: 'reported', status: 'completed' });
  });

  it('goes back to the draft with fewer than ten agreeing', async () => {
    const id = await startBill('关于修改《物业管理条例》的议案');
    for (const [i, user] of cosigners.entries()) {
      const r = await complete(user, id, { event: i === 0 ? 'decline' : 'agree' });
      expect(r.status).toBe(200);
    }
    expect((await stateOf('deputy1', id)).state).toBe('draft');
  });

  it('a bill not accepted becomes a linked suggestion', async () => {
    const id = await startBill('关于设立城市更新专项资金的议案');
    for (const user of cosigners) expect((await complete(user, id, { event: 'agree' })).status).toBe(200);
    const noReason = await complete('presidium1', id, { event: 'reject' });
    expect(noReason.status).toBe(422);
    const rejected = await complete('presidium1', id, { event: 'reject', reason: '属于政府职权范围内的具体工作，宜作为建议处理。' });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
    const bill = await api('deputy1', 'GET', `/instances/${id}`);
    expect(bill.json.summary.state).toBe('not_accepted');
    const link = (bill.json.linked as { instanceId: string }[])[0];
    expect(link).toBeDefined();
    const suggestion = await api('deputy1', 'GET', `/instances/${link!.instanceId}`);
    expect(suggestion.status).toBe(200);
    expect(suggestion.json.summary.workflowId).toBe('suggestion');
    expect(suggestion.json.summary.title).toBe('关于设立城市更新专项资金的议案');
  });
});

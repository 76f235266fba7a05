// idempotency.test.ts: issue 12 item 8. A form's one-time submission key (`_once`) and the API's
// Idempotency-Key header: concurrent duplicates make one case, a replay returns the first answer
// and creates nothing, the same key with another body is refused (422), no key behaves as before,
// keys expire after a day, and a key committed before a kill -9 still answers after a restart.
// Runs on the pass's database (SQLite file, or PostgreSQL with LVZHI_TEST_PG=1).

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../engine/store/db.ts';
import { testDatabase, type TestDatabase } from '../helpers/db.ts';
import { inputValue, loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';
import { api, apiToken, spawnServer, type ServerProcess } from '../helpers/spawn.ts';

let s: TestServer;
let db: Db;
let deputy: Client;
let token: string;

beforeAll(async () => {
  s = await startServer();
  db = await openDb({ dataDir: s.dataDir, ...(s.databaseUrl && { databaseUrl: s.databaseUrl }) });
  deputy = await loginAs(s.base, 'deputy1');
  token = await apiToken(s.base, 'deputy1');
});
afterAll(async () => {
  await db?.destroy();
  await s?.close();
});

const SUGGESTION = { title: '', category: '城乡建设与管理', content: '建议内容' };

async function countTitled(title: string): Promise<number> {
  const [row] = await db('instances').where({ title }).count({ n: '*' });
  return Number(row!.n);
}

/** An API call with extra headers (api() in spawn.ts sends only the token). */
async function call(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${s.base}/api/v1${url}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

describe('a web form carries a one-time submission key', () => {
  it('the start form and the task form render a fresh _once field each time', async () => {
    const a = inputValue((await deputy.get('/start/suggestion')).text, '_once');
    const b = inputValue((await deputy.get('/start/suggestion')).text, '_once');
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).not.toBe(a);
  });

  it('two simultaneous posts of one start page make one case, and both land on it', async () => {
    const page = await deputy.get('/start/suggestion');
    const title = `并发发起 ${randomUUID()}`;
    const form = { _event: 'submit', _once: inputValue(page.text, '_once'), ...SUGGESTION, title };
    const [a, b] = await Promise.all([deputy.post('/start/suggestion', form), deputy.post('/start/suggestion', form)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.location).toMatch(/^\/instances\//);
    expect(b.location).toBe(a.location);
    expect(await countTitled(title)).toBe(1);
    // A third post of the same page (the back button, a retry after a lost answer): the same place, nothing new.
    const again = await deputy.post('/start/suggestion', form);
    expect(again.location).toBe(a.location);
    expect((await deputy.follow(again)).text).toContain('这份表单已经提交过');
    expect(await countTitled(title)).toBe(1);
  });

  it('the same htmx start posted twice: one case, the same HX-Redirect', async () => {
    const page = await deputy.get('/start/suggestion');
    const title = `htmx 发起 ${randomUUID()}`;
    const form = { _event: 'submit', _once: inputValue(page.text, '_once'), ...SUGGESTION, title };
    const hx = { headers: { 'HX-Request': 'true' } };
    const [a, b] = await Promise.all([deputy.post('/start/suggestion', form, hx), deputy.post('/start/suggestion', form, hx)]);
    expect(a.headers.get('hx-redirect')).toMatch(/^\/instances\//);
    expect(b.headers.get('hx-redirect')).toBe(a.headers.get('hx-redirect'));
    expect(await countTitled(title)).toBe(1);
  });

  it('a 422 keeps the key, and the corrected post under it starts the case once', async () => {
    const page = await deputy.get('/start/suggestion');
    const key = inputValue(page.text, '_once');
    expect(key).toBeTruthy();
    const bad = await deputy.post('/start/suggestion', { _event: 'submit', _once: key, ...SUGGESTION, title: '' });
    expect(bad.status).toBe(422);
    expect(inputValue(bad.text, '_once')).toBe(key);
    const title = `改正后发起 ${randomUUID()}`;
    const good = await deputy.post('/start/suggestion', { _event: 'submit', _once: key, ...SUGGESTION, title });
    expect(good.status).toBe(303);
    expect(await countTitled(title)).toBe(1);
  });

  it('the page posted again with changed content (back button, edits): the form returns with the typed text and a fresh key, nothing made yet', async () => {
    const page = await deputy.get('/start/suggestion');
    const key = inputValue(page.text, '_once')!;
    const first = `第一件 ${randomUUID()}`;
    const second = `第二件 ${randomUUID()}`;
    expect((await deputy.post('/start/suggestion', { _event: 'submit', _once: key, ...SUGGESTION, title: first })).status).toBe(303);
    const changed = await deputy.post('/start/suggestion', { _event: 'submit', _once: key, ...SUGGESTION, title: second });
    expect(changed.status).toBe(422);
    expect(changed.text).toContain(second);
    expect(changed.text).toContain('这份表单已经提交过一次');
    const fresh = inputValue(changed.text, '_once')!;
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(key);
    expect(await countTitled(second)).toBe(0);
    expect((await deputy.post('/start/suggestion', { _event: 'submit', _once: fresh, ...SUGGESTION, title: second })).status).toBe(303);
    expect(await countTitled(second)).toBe(1);
    expect(await countTitled(first)).toBe(1);
  });

  it('a task completion posted twice with its key: one completion, the second redirected to the same case', async () => {
    const review = await loginAs(s.base, 'review1');
    const started = await call('POST', '/workflows/suggestion/instances', { event: 'submit', data: { ...SUGGESTION, title: `办理重放 ${randomUUID()}` } });
    const taskId = (await db('tasks').where({ instance_id: started.json.instanceId, state: 'review', status: 'open' }).first('id')).id as string;
    const page = await review.get(`/tasks/${taskId}`);
    const form = {
      _event: 'accept', _version: inputValue(page.text, '_version'), _once: inputValue(page.text, '_once'), _opinion: '同意',
      lead_unit: 'city-fgw', co_units: 'city-jyj', is_complex: '否', is_key: '否',
    };
    const [a, b] = await Promise.all([review.post(`/tasks/${taskId}`, form), review.post(`/tasks/${taskId}`, form)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(b.location).toBe(a.location);
    const events = await db('events').where({ task_id: taskId, type: 'task.completed' }).count({ n: '*' });
    expect(Number(events[0]!.n)).toBe(1);
  });
});

describe('the API accepts an Idempotency-Key header', () => {
  it('ten simultaneous starts with one key make one instance and ten identical answers', async () => {
    const key = randomUUID();
    const title = `十次发起 ${randomUUID()}`;
    const body = { event: 'submit', data: { ...SUGGESTION, title } };
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': key })));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length).toBe(9);
    expect(await countTitled(title)).toBe(1);
  });

  it('a quoted key (an RFC 8941 sf-string, as the draft writes it) is the same key', async () => {
    const key = randomUUID();
    const body = { event: 'submit', data: { ...SUGGESTION, title: `引号 ${key}` } };
    const a = await call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': `"${key}"` });
    const b = await call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': key });
    expect(b.json).toEqual(a.json);
    expect(await countTitled(`引号 ${key}`)).toBe(1);
  });

  it('the same key with another body is 422 LVZ_RUN_IDEMPOTENCY_MISMATCH, and nothing is made', async () => {
    const key = randomUUID();
    const title = `不同内容 ${randomUUID()}`;
    await call('POST', '/workflows/suggestion/instances', { event: 'submit', data: { ...SUGGESTION, title } }, { 'Idempotency-Key': key });
    const other = await call('POST', '/workflows/suggestion/instances', { event: 'submit', data: { ...SUGGESTION, title: `${title}（改）` } }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('LVZ_RUN_IDEMPOTENCY_MISMATCH');
    expect(other.json.error.message).toContain('新的编号');
    expect(await countTitled(`${title}（改）`)).toBe(0);
  });

  it('a key is the user\'s own: another user with the same key starts their own case', async () => {
    const key = randomUUID();
    const body = { event: 'submit', data: { ...SUGGESTION, title: `两人同键 ${key}` } };
    await call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': key });
    const other = await apiToken(s.base, 'deputy2');
    const res = await fetch(`${s.base}/api/v1/workflows/suggestion/instances`, {
      method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json', 'Idempotency-Key': key },
    });
    expect(res.status).toBe(201);
    expect(await countTitled(`两人同键 ${key}`)).toBe(2);
  });

  it('a malformed key is 400, not a 500', async () => {
    const res = await call('POST', '/workflows/suggestion/instances', { event: 'submit', data: SUGGESTION }, { 'Idempotency-Key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('LVZ_RUN_BAD_REQUEST');
  });

  it('without a key the API behaves as before: two identical starts make two cases', async () => {
    const title = `无键 ${randomUUID()}`;
    const body = { event: 'submit', data: { ...SUGGESTION, title } };
    await call('POST', '/workflows/suggestion/instances', body);
    await call('POST', '/workflows/suggestion/instances', body);
    expect(await countTitled(title)).toBe(2);
  });

  it('a completion and an office action (抄送) replayed after they finished: the first answer, nothing new', async () => {
    const reviewToken = await apiToken(s.base, 'review1');
    const asReview = { authorization: `Bearer ${reviewToken}` };
    const started = await call('POST', '/workflows/suggestion/instances', { event: 'submit', data: { ...SUGGESTION, title: `API 重放 ${randomUUID()}` } });
    const instanceId = started.json.instanceId as string;
    const taskId = (await db('tasks').where({ instance_id: instanceId, state: 'review', status: 'open' }).first('id')).id as string;
    const copy = { action: 'copy', toUsers: ['leader1'] };
    const key1 = randomUUID();
    const c1 = await call('POST', `/tasks/${taskId}/actions`, copy, { ...asReview, 'Idempotency-Key': key1 });
    const c2 = await call('POST', `/tasks/${taskId}/actions`, copy, { ...asReview, 'Idempotency-Key': key1 });
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c2.headers.get('idempotent-replayed')).toBe('true');
    const cc = await db('tasks').where({ instance_id: instanceId, kind: 'cc' }).count({ n: '*' });
    expect(Number(cc[0]!.n)).toBe(1);

    const version = (await call('GET', `/tasks/${taskId}`, undefined, asReview)).json.version as number;
    const body = { event: 'accept', opinion: '同意', version, data: { lead_unit: 'city-fgw', co_units: ['city-jyj'], is_complex: '否', is_key: '否' } };
    const key2 = randomUUID();
    const first = await call('POST', `/tasks/${taskId}/complete`, body, { ...asReview, 'Idempotency-Key': key2 });
    expect(first.status).toBe(200);
    const again = await call('POST', `/tasks/${taskId}/complete`, body, { ...asReview, 'Idempotency-Key': key2 });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const done = await db('events').where({ task_id: taskId, type: 'task.completed' }).count({ n: '*' });
    expect(Number(done[0]!.n)).toBe(1);
    // Without the key the same repeat is the ordinary 409.
    expect((await call('POST', `/tasks/${taskId}/complete`, body, asReview)).status).toBe(409);
  });

  it('keys expire after 24 hours and the timer tick sweeps them', async () => {
    const key = randomUUID();
    const title = `过期 ${key}`;
    const body = { event: 'submit', data: { ...SUGGESTION, title } };
    await call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': key });
    expect(await db('idempotency_keys').where({ key }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
    const before = s.clock.now;
    s.clock.now = new Date(before.getTime() + 25 * 3600_000);
    try {
      await s.engine.fireDueTimers(s.clock.now);
      expect(await db('idempotency_keys').where({ key }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(0);
      // The key is free again: the same request now starts a new case.
      await call('POST', '/workflows/suggestion/instances', body, { 'Idempotency-Key': key });
      expect(await countTitled(title)).toBe(2);
    } finally {
      s.clock.now = before;
    }
  });
});

describe('a key committed before kill -9 still answers after a restart', () => {
  let place: TestDatabase;
  let server: ServerProcess | undefined;
  beforeAll(async () => { place = await testDatabase(undefined, 'lvzhi-idem-crash-'); });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await place?.cleanup();
  });

  it('the resubmission returns the stored instance instead of making a second', async () => {
    server = await spawnServer(place);
    const deputyToken = await apiToken(server.base, 'deputy1');
    const key = randomUUID();
    const title = `崩溃后重发 ${key}`;
    const send = (base: string) => fetch(`${base}/api/v1/workflows/suggestion/instances`, {
      method: 'POST', body: JSON.stringify({ event: 'submit', data: { ...SUGGESTION, title } }),
      headers: { authorization: `Bearer ${deputyToken}`, 'content-type': 'application/json', 'Idempotency-Key': key },
    }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const first = await send(server.base);
    expect(first.status).toBe(201);
    // kill -9 as soon as it answered: what is on disk is what a crash leaves (the client may never have seen the answer).
    await server.kill('SIGKILL');
    server = await spawnServer(place);
    const again = await send(server.base);
    expect(again).toEqual(first);
    const check = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
    try {
      const [row] = await check('instances').where({ title }).count({ n: '*' });
      expect(Number(row!.n)).toBe(1);
    } finally {
      await check.destroy();
    }
    expect((await api(server.base, 'GET', `/instances/${first.json.instanceId}`, { token: deputyToken })).status).toBe(200);
  });
});

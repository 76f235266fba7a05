// uploads.test.ts (issue 12, item 9 and the file-name item): uploads nobody attached are removed by
// the periodic sweep after the orphan timeout (rows and bytes, attached files kept, safe when two
// sweeps race), a per-user quota holds (unattached and per day, also under concurrent uploads),
// a rejected web submission keeps its file on the re-shown form, and file names cannot carry
// control or bidi characters, paths or 400 characters. Quotas are set small through the
// engine's options so the test uploads bytes, not megabytes.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../../engine/index.ts';
import { loginAs, startServer, type TestServer } from '../helpers/http.ts';
import { api as callApi, apiToken } from '../helpers/spawn.ts';

let s: TestServer;
let d1 = '';
let d2 = '';
const HOUR = 3_600_000;

beforeAll(async () => {
  s = await startServer({ uploads: { orphanHours: 2, pendingFiles: 4, pendingBytes: 400, dailyBytes: 2_000 } });
  d1 = await apiToken(s.base, 'deputy1');
  d2 = await apiToken(s.base, 'deputy2');
});
afterAll(async () => s?.close());

const api = (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => callApi(s.base, method, url, opts);

interface Part { name: string; value?: string; filename?: string; data?: string }

/** A multipart body built byte by byte, so a file name reaches the server exactly as written. */
function multipart(parts: Part[]): { body: Uint8Array<ArrayBuffer>; type: string } {
  const boundary = '----lvzhi-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.filename === undefined ? `form-data; name="${p.name}"` : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.filename === undefined ? '' : 'Content-Type: application/pdf\r\n'}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), Buffer.from(p.value ?? p.data ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Uint8Array.from(Buffer.concat(chunks)), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(token: string, files: { filename?: string; data?: string }[]): Promise<{ status: number; json: any }> {
  const { body, type } = multipart([
    { name: 'workflowId', value: 'suggestion' },
    ...files.map((f) => ({ name: 'attachments', filename: f.filename ?? '报告.pdf', data: f.data ?? '%PDF-1.4 x' })),
  ]);
  const res = await fetch(`${s.base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function uploadOne(token: string, file: { filename?: string; data?: string } = {}): Promise<string> {
  const r = await upload(token, [file]);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.files[0].fileId as string;
}

function storedFiles(): string[] {
  const dir = path.join(s.dataDir, 'files');
  const walk = (d: string): string[] => (fs.existsSync(d)
    ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]))
    : []);
  return walk(dir);
}

async function startWith(token: string, title: string, ids: string[]) {
  return api('POST', '/workflows/suggestion/instances', { token, body: { event: 'submit', data: { title, content: '内容', attachments: ids } } });
}

describe('orphan uploads', () => {
  it('are removed with their bytes after the timeout by the periodic sweep; attached and fresh ones stay; racing sweeps do not fail', async () => {
    const attached = await uploadOne(d1, { data: 'attached' });
    const orphanA = await uploadOne(d1, { data: 'orphan a' });
    const orphanB = await uploadOne(d2, { data: 'orphan b' });
    const started = await startWith(d1, '附件已提交', [attached]);
    expect(started.status).toBe(201);
    expect(storedFiles()).toEqual(expect.arrayContaining([attached, orphanA, orphanB]));

    s.clock.now = new Date(s.clock.now.getTime() + HOUR);
    expect(await s.engine.sweepUploads()).toBe(0); // not yet past the two hours
    s.clock.now = new Date(s.clock.now.getTime() + 1.5 * HOUR);
    const fresh = await uploadOne(d1, { data: 'fresh' });
    // Two processes sweeping at once (PostgreSQL: two servers): each orphan is removed once, nobody fails.
    const removed = await Promise.all([s.engine.sweepUploads(), s.engine.sweepUploads()]);
    expect(removed[0]! + removed[1]!).toBe(2);
    expect(await s.engine.sweepUploads()).toBe(0);

    const onDisk = storedFiles();
    expect(onDisk).not.toContain(orphanA);
    expect(onDisk).not.toContain(orphanB);
    expect(onDisk).toEqual(expect.arrayContaining([attached, fresh]));
    expect((await api('GET', `/instances/${started.json.instanceId}`, { token: d1 })).status).toBe(200);
    const web = await loginAs(s.base, 'deputy1');
    expect((await web.get(`/files/${attached}`)).text).toBe('attached');
    expect((await web.get(`/files/${orphanA}`)).status).toBe(404);
    // A swept id named in a start is an invalid file, not a 500.
    const late = await startWith(d1, '过期附件', [orphanA]);
    expect(late.status).toBe(422);
    expect(late.json.error.code).toBe('LVZ_FORM_INVALID');
  });

  it('are removed by the scheduler every server process runs (its first tick, as on start)', async () => {
    const orphan = await uploadOne(d2, { data: 'left behind' });
    s.clock.now = new Date(s.clock.now.getTime() + 3 * HOUR);
    const errors: unknown[] = [];
    const stop = startScheduler(s.engine, { intervalMs: 60_000, onError: (e) => errors.push(e) });
    await stop(); // resolves once the tick in progress (timers, then the sweep) has finished
    expect(errors).toEqual([]);
    expect(storedFiles()).not.toContain(orphan);
  });

  it('a web submission refused for its fields shows the uploaded file again, kept until the timeout, and the resubmission attaches it', async () => {
    const web = await loginAs(s.base, 'deputy1');
    await web.get('/start/suggestion');
    const { body, type } = multipart([
      { name: '_csrf', value: web.csrf }, { name: '_event', value: 'submit' }, { name: 'title', value: '' }, { name: 'content', value: '内容' },
      { name: 'attachments', filename: '调研报告.pdf', data: '%PDF-1.4 web' },
    ]);
    const refused = await web.request('POST', '/start/suggestion', { body, headers: { 'content-type': type } });
    expect(refused.status).toBe(422);
    const kept = /name="attachments" type="checkbox" value="([^"]+)" checked/.exec(refused.text)?.[1];
    expect(kept, 'the uploaded file is offered again on the re-shown form').toBeTruthy();
    expect(refused.text).toContain('调研报告.pdf');

    s.clock.now = new Date(s.clock.now.getTime() + HOUR);
    await s.engine.sweepUploads();
    expect(storedFiles()).toContain(kept);
    const again = await web.post('/start/suggestion', { _event: 'submit', title: '第二次提交', content: '内容', attachments: kept });
    expect(again.status, again.text.slice(0, 800)).toBe(303);
    const page = await web.get(again.location!);
    expect(page.text).toContain('调研报告.pdf');
    s.clock.now = new Date(s.clock.now.getTime() + 5 * HOUR);
    await s.engine.sweepUploads();
    expect(storedFiles()).toContain(kept);
  });
});

describe('upload quota', () => {
  it('refuses a fifth unattached file (413, zh-CN, new code) and stores nothing; attaching frees the room', async () => {
    s.clock.now = new Date(s.clock.now.getTime() + 24 * HOUR);
    await s.engine.sweepUploads();
    const user = await apiToken(s.base, 'deputy3');
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await uploadOne(user, { data: `file ${i}` }));
    const before = storedFiles().length;
    const over = await upload(user, [{ data: 'one too many' }]);
    expect(over.status).toBe(413);
    expect(over.json.error.code).toBe('LVZ_FORM_UPLOAD_QUOTA');
    expect(over.json.error.message).toMatch(/尚未提交的附件过多.*上限4个/);
    expect(storedFiles().length).toBe(before);
    expect(fs.readdirSync(path.join(s.dataDir, 'tmp'))).toEqual([]);

    expect((await startWith(user, '用掉附件', ids.slice(0, 1))).status).toBe(201);
    expect((await upload(user, [{ data: 'room again' }])).status).toBe(201);
    // Bytes count too: 400 bytes unattached at most.
    const big = await upload(user, [{ data: 'x'.repeat(380) }]);
    expect(big.status).toBe(413);
  });

  it('takes the files of one request all or none: two where one fits, or one with a bad name, keep nothing', async () => {
    const user = await apiToken(s.base, 'deputy8');
    for (let i = 0; i < 3; i++) await uploadOne(user, { data: `keep ${i}` });
    const before = storedFiles().length;
    const two = await upload(user, [{ data: 'first' }, { data: 'second' }]);
    expect(two.status).toBe(413);
    const mixed = await upload(user, [{ data: 'fine' }, { filename: 'bad\u202Efdp.exe' }]);
    expect(mixed.status).toBe(400);
    expect(storedFiles().length).toBe(before);
    expect((await upload(user, [{ data: 'the fourth fits' }])).status).toBe(201);
  });

  it('holds under concurrent uploads: of eight at once, only the four that fit are stored', async () => {
    const user = await apiToken(s.base, 'deputy4');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(user, [{ data: `race ${i}` }])));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 413, 413, 413, 413]);
  });

  it('caps a day’s uploads per user (429) and opens again the next day', async () => {
    const user = await apiToken(s.base, 'deputy5');
    const kilo = 'k'.repeat(300);
    let status = 201;
    let sent = 0;
    while (status === 201 && sent < 20) {
      const id = await upload(user, [{ data: kilo }]);
      status = id.status;
      if (status === 201) {
        sent++;
        expect((await startWith(user, `日上限 ${sent}`, [id.json.files[0].fileId])).status).toBe(201);
      } else {
        expect(id.json.error.code).toBe('LVZ_FORM_UPLOAD_DAILY');
        expect(id.json.error.message).toContain('请明天再上传');
      }
    }
    expect(status).toBe(429);
    expect(sent).toBe(6); // 6 × 300 bytes of a 2,000-byte day
    s.clock.now = new Date(s.clock.now.getTime() + 24 * HOUR);
    expect((await upload(user, [{ data: kilo }])).status).toBe(201);
  });

  it('is the same on the web form: 413 with the message, nothing started', async () => {
    const web = await loginAs(s.base, 'deputy4');
    await web.get('/start/suggestion');
    const { body, type } = multipart([
      { name: '_csrf', value: web.csrf }, { name: '_event', value: 'submit' }, { name: 'title', value: '额度已满的建议' }, { name: 'content', value: '内容' },
      { name: 'attachments', filename: 'a.pdf', data: '%PDF' },
    ]);
    const res = await web.request('POST', '/start/suggestion', { body, headers: { 'content-type': type } });
    expect(res.status).toBe(413);
    expect(res.text).toContain('尚未提交的附件过多');
    expect((await web.get('/inbox?list=started')).text).not.toContain('额度已满的建议');
  });
});

// The download comes first: a close right after a streamed download can find its connection not
// yet idle and wait for the keep-alive timeout (72 s), longer than the test's hook.
describe('file names', () => {
  it('keeps only the last path segment, and a stored name cannot inject a header (RFC 6266 filename*)', async () => {
    const user = await apiToken(s.base, 'deputy7');
    const unix = await upload(user, [{ filename: '../../etc/报告.pdf' }]);
    const windows = await upload(user, [{ filename: 'C:\\Users\\a\\调研.pdf' }]);
    expect(unix.json.files[0].name).toBe('报告.pdf');
    expect(windows.json.files[0].name).toBe('调研.pdf');
    const quoted = await upload(user, [{ filename: 'a%22; x=1 “说明” (2).pdf' }]);
    expect(quoted.status).toBe(201);
    const web = await loginAs(s.base, 'deputy7');
    const file = await web.get(`/files/${quoted.json.files[0].fileId}`);
    const cd = file.headers.get('content-disposition')!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/);
    expect(cd).not.toMatch(/[\r\n]/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe(quoted.json.files[0].name);
  });

  it('refuses bidi overrides, NUL and other controls, and 400 characters, on the API and the web form', async () => {
    const user = await apiToken(s.base, 'deputy6');
    const before = storedFiles().length;
    for (const filename of ['report\u202Efdp.exe', 'a\u0000b.pdf', 'a\u0007.pdf', 'x\u2066y.pdf', `${'长'.repeat(400)}.pdf`, '   ']) {
      const r = await upload(user, [{ filename }]);
      expect(r.status, filename.slice(0, 20)).toBe(400);
      expect(r.json.error.code, JSON.stringify([filename.slice(0, 20), r.json])).toBe('LVZ_FORM_UPLOAD_NAME');
      expect(r.json.error.message).not.toMatch(/[\u0000\u202e\u2066]/);
    }
    expect(storedFiles().length).toBe(before);

    const web = await loginAs(s.base, 'deputy6');
    await web.get('/start/suggestion');
    const { body, type } = multipart([
      { name: '_csrf', value: web.csrf }, { name: '_event', value: 'submit' }, { name: 'title', value: '伪装的附件' }, { name: 'content', value: '内容' },
      { name: 'attachments', filename: 'photo\u202Egpj.exe', data: 'MZ' },
    ]);
    const res = await web.request('POST', '/start/suggestion', { body, headers: { 'content-type': type } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('方向控制符');
    expect((await web.get('/inbox?list=started')).text).not.toContain('伪装的附件');
  });
});

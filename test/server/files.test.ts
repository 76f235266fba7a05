// files.test.ts: uploads through a multipart form, downloads only for those who may see the
// instance, and the size limits (413 with a clear message, nothing stored).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let deputy: Client;
let instanceUrl = '';

beforeAll(async () => {
  s = await startServer();
  deputy = await loginAs(s.base, 'deputy1');
});
afterAll(async () => s?.close());

function filesOnDisk(): string[] {
  const walk = (d: string): string[] => (fs.existsSync(d)
    ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]))
    : []);
  return walk(s.dataDir).filter((f) => !/\.(sqlite3?|db)(-wal|-shm|-journal)?$/.test(f));
}

function suggestionForm(title: string): FormData {
  const form = new FormData();
  form.append('_event', 'submit');
  form.append('title', title);
  form.append('content', '附件见上传文件');
  return form;
}

describe('uploads and downloads', () => {
  it('a file uploaded with the start form is stored and listed on the instance page', async () => {
    await deputy.get('/start/suggestion');
    const form = suggestionForm('带附件的建议');
    form.append('attachments', new Blob(['%PDF-1.4 测试'], { type: 'application/pdf' }), '调研报告（2026）.pdf');
    const res = await deputy.postMultipart('/start/suggestion', form);
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    instanceUrl = res.location!;
    const page = await deputy.get(instanceUrl);
    expect(page.text).toContain('调研报告（2026）.pdf');
    expect(fs.readdirSync(path.join(s.dataDir, 'tmp'))).toEqual([]);
  });

  it('the initiator downloads it as an attachment with its UTF-8 name; another unit gets 404', async () => {
    const page = await deputy.get(instanceUrl);
    const href = /href="(\/files\/[^"]+)"/.exec(page.text)?.[1];
    expect(href).toBeTruthy();
    const file = await deputy.get(href!);
    expect(file.status).toBe(200);
    expect(file.text).toBe('%PDF-1.4 测试');
    expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('调研报告（2026）.pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const unit = await loginAs(s.base, 'gaj1');
    expect([403, 404]).toContain((await unit.get(href!)).status);
    expect((await unit.get('/files/no-such-file')).status).toBe(404);
  });

  it('a file over the field limit is refused with 413 and nothing is stored', async () => {
    const before = filesOnDisk().length;
    await deputy.get('/start/suggestion');
    const form = suggestionForm('超大附件');
    form.append('attachments', new Blob([new Uint8Array(11 * 1024 * 1024)], { type: 'application/pdf' }), 'big.pdf');
    const res = await deputy.postMultipart('/start/suggestion', form);
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/10 ?MB/);
    expect(filesOnDisk().length).toBe(before);
    expect((await deputy.get('/inbox?list=started')).text).not.toContain('超大附件');
  });

  it('an upload over the server cap stops at 413 before it is written out', async () => {
    await deputy.get('/start/suggestion');
    const form = suggestionForm('更大的附件');
    form.append('attachments', new Blob([new Uint8Array(21 * 1024 * 1024)]), 'huge.pdf');
    const res = await deputy.postMultipart('/start/suggestion', form);
    expect(res.status).toBe(413);
    expect(res.text).toContain('文件太大');
    expect(fs.readdirSync(path.join(s.dataDir, 'tmp'))).toEqual([]);
  });

  it('a form body over 1 MB is refused with 413', async () => {
    await deputy.get('/start/suggestion');
    const res = await deputy.post('/start/suggestion', { _event: 'submit', title: 't', content: 'x'.repeat(1100 * 1024) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('1 MB');
  });

  it('a file of the wrong type is refused with 415 and a message naming the accepted types', async () => {
    await deputy.get('/start/suggestion');
    const form = suggestionForm('错误类型');
    form.append('attachments', new Blob(['MZ'], { type: 'application/x-msdownload' }), 'run.exe');
    const res = await deputy.postMultipart('/start/suggestion', form);
    expect(res.status).toBe(415);
    expect(res.text).toMatch(/PDF/);
  });
});

// htmx.test.ts: what htmx 4 gets back: the inline field check (same partial as the page, with
// visible_when fields swapped out of band), the task form swapped on 422, HX-Redirect on success,
// a swappable error fragment on 409.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue, loginAs, startServer, taskIds, type Client, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let review: Client;
let taskId = '';
let version = '';

const HX = { 'HX-Request': 'true' };

beforeAll(async () => {
  s = await startServer();
  const deputy = await loginAs(s.base, 'deputy1');
  await deputy.get('/start/suggestion');
  const res = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于公交线网优化的建议', content: '内容' });
  expect(res.status).toBe(303);
  review = await loginAs(s.base, 'review1');
  [taskId] = taskIds((await review.get('/inbox')).text) as [string];
  const page = await review.get(`/tasks/${taskId}`);
  version = inputValue(page.text, '_version')!;
});
afterAll(async () => s?.close());

describe('htmx fragments', () => {
  it('the task page wires the inline check on each field and disables its buttons while a request runs', async () => {
    const page = await review.get(`/tasks/${taskId}`);
    expect(page.text).toContain(`hx-post="/tasks/${taskId}/check?field=is_key"`);
    expect(page.text).toMatch(/<form id="record-form"[^>]*hx-disable="findAll button\[type=submit\]"/);
    expect(page.text).toContain('name="_event" value="accept"');
    expect(page.text).toContain(`name="_version" value="${version}"`);
  });

  it('the inline check answers with the field partial, and re-sends fields shown only under a condition', async () => {
    const res = await review.post(`/tasks/${taskId}/check?field=is_key`, { is_key: '是' }, { csrf: false, headers: { ...HX, 'X-CSRF-Token': review.csrf } });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(res.text).toMatch(/^<div class="lz-field-wrap" id="fw-is_key"/);
    expect(res.text).toMatch(/id="f-is_key"[^>]*value="是"[^>]*checked/);
    expect(res.text).toMatch(/<div class="lz-field-wrap" id="fw-supervisor" hx-swap-oob="outerHTML"/);
    expect(res.text).toMatch(/data-visible-when="[^"]*" data-visible="true"/);
    const hidden = await review.post(`/tasks/${taskId}/check?field=is_key`, { is_key: '否' }, { headers: HX });
    expect(hidden.text).toMatch(/id="fw-supervisor"[\s\S]*data-visible="false"/);
  });

  it('a 422 from htmx is the form alone, error summary first, typed values kept', async () => {
    const res = await review.post(`/tasks/${taskId}`, { _event: 'accept', _version: version, lead_unit: 'city-fgw', is_key: '否' }, { headers: HX });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/^<form id="record-form"/);
    expect(res.text).toContain('href="#f-_opinion"');
    expect(res.text).toMatch(/<option value="city-fgw" selected>/);
  });

  it('success answers HX-Redirect to the instance (a full navigation), and a repeat gets the form back as a 409 fragment', async () => {
    const form = { _event: 'accept', _version: version, _opinion: '同意', lead_unit: 'city-fgw', is_complex: '否', is_key: '否' };
    const res = await review.post(`/tasks/${taskId}`, form, { headers: HX });
    expect(res.status).toBe(200);
    expect(res.headers.get('hx-redirect')).toMatch(/^\/instances\//);
    const again = await review.post(`/tasks/${taskId}`, form, { headers: HX });
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/^<form id="record-form"/);
    expect(again.text).toContain('此件在您办理期间已有变化');
  });
});

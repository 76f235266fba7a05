// expressions.test.ts: issue 12, item 1: an expression cannot exhaust memory or CPU. The probes as the issue
// ran them, on a real server: the studio's live check of a form whose visible_when nests four maps over 200
// items (it killed the process), a published guard of eight nested `all` (every start took 6 s), and a form
// of a hundred conditions each within the limit (together seconds of work on every page).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../engine/index.ts';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');
const list = (n: number): string => `[${Array(n).fill(0).join(',')}]`;

/** A form of plain text fields, each with the given visible_when (or none). */
function form(id: string, conditions: string[]): string {
  const fields = conditions.map((c, i) => `  - name: f${i}\n    type: text\n    label: 字段${i}\n    visible_when: "${c}"\n`);
  return `id: ${id}\nversion: 1\ntitle: 探测\nfields:\n  - name: title\n    type: text\n    label: 标题\n${fields.join('')}`;
}

interface Finding { code: string; line: number; col: number; message: string }
interface CheckJson { ok: boolean; errors: Finding[]; warnings: Finding[] }

async function check(c: Client, body: Record<string, unknown>): Promise<{ status: number; json: CheckJson }> {
  const res = await c.request('POST', '/admin/check', {
    body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
  });
  return { status: res.status, json: (res.status === 200 ? JSON.parse(res.text) : {}) as CheckJson };
}

let s: TestServer;
let zd: Client;
let admin: Client;
beforeAll(async () => {
  s = await startServer();
  zd = await loginAs(s.base, 'zhangdian-admin');
  admin = await loginAs(s.base, 'admin');
  await zd.get('/admin');
  await admin.get('/admin');
});
afterAll(async () => { await s.close(); });

describe('expressions under a bounded cost', () => {
  it("refuses the issue's visible_when (four maps over 200 items) at its line and column, and the server lives on", async () => {
    const L = list(200);
    const visible = `${L}.map(a, ${L}.map(b, ${L}.map(c, ${L}.map(d, 0)))).size() > 0`;
    expect(visible.length).toBeGreaterThan(1600); // the 1,652 characters
    const [r, health] = await Promise.all([check(zd, { kind: 'form', id: 'probe', text: form('probe', [visible]) }), fetch(`${s.base}/healthz`)]);
    expect(health.status).toBe(200);
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(false);
    expect(r.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_EXPR_TOO_COSTLY', 11, 5]]);
    expect(r.json.errors[0]!.message).toContain('上限');
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  it('refuses to publish a guard of eight nested all (it made every start take 6 s), and places it in the check', async () => {
    let guard = 'true';
    for (const v of 'abcdefgh') guard = `${list(10)}.all(${v}, ${guard})`;
    const original = `"data.eval_overall == '不满意' && visits.handle < 2"`;
    const text = CITY.replace(original, `"${guard}"`);
    const line = CITY.split('\n').findIndex((l) => l.includes(original)) + 1;
    const r = await check(admin, { kind: 'workflow', id: 'suggestion', text });
    expect(r.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_EXPR_TOO_COSTLY', line, CITY.split('\n')[line - 1]!.indexOf('when:') + 1]]);
    await admin.get('/admin/workflows/suggestion');
    const published = await admin.post('/admin/workflows/suggestion/publish', { text, message: '八层嵌套', baseVersion: '1' });
    expect(published.status).toBe(422);
    expect(published.text).toContain('LVZ_EXPR_TOO_COSTLY');
    // Nothing was published: the editor still offers version 1 as the base.
    expect((await admin.get('/admin/workflows/suggestion')).text).toContain('name="baseVersion" value="1"');
  });

  it('refuses a form whose conditions are each within the limit but together are not', async () => {
    // Two nested all over 200 items: about 830,000 steps, within one expression's limit. A hundred of them
    // would be seconds of work on every page of the form: the definition's total is refused.
    const L = list(200);
    const heavy = `${L}.all(a, ${L}.all(b, a + b >= 0 && a - b <= 400 && a * b >= 0)) && data.title == 'x'`;
    const one = await check(zd, { kind: 'form', id: 'heavy', text: form('heavy', [heavy]) });
    expect(one.json.errors).toEqual([]);
    const r = await check(zd, { kind: 'form', id: 'heavy', text: form('heavy', Array(100).fill(heavy)) });
    expect(r.json.errors.map((e) => [e.code, e.line])).toEqual([['LVZ_EXPR_TOO_COSTLY', 11]]);
    expect(r.json.errors[0]!.message).toContain('合计');
  });
});

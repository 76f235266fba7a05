// expressions.test.ts: issue 12, item 1: an expression cannot exhaust memory or CPU. The probes as the issue
// ran them, on a real server: the studio's live check of a form whose visible_when nests four maps over 200
// items (it killed the process), a published guard of eight nested `all` (every start took 6 s), and a form
// of a hundred conditions each within the limit (together seconds of work on every page).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../engine/index.ts';
import { unsafeRegex } from '../../engine/expr/regex-check.ts';
import { checkText } from '../../engine/forms/fields/text-rules.ts';
import type { FieldDef } from '../../engine/forms/types.ts';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');
const SUGGESTION_FORM = fs.readFileSync(path.join(REPO_ROOT, 'forms', 'suggestion.yaml'), 'utf8');
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

describe('regular expressions cannot backtrack for minutes (ReDoS)', () => {
  it.each([
    ['1\\d{10}'], ['[^<>]*'], ['[A-Z]+'], ['(a|b)*'], ['(ab|cd)+'], ['(\\d{3}-)*\\d{4}'], ['(a+)?'], ['(?!abc).'],
    ['[a-z]{2,5}@[a-z]+\\.com'], ['\\p{Script=Han}{2,4}'], ['^[0-9]{4}'],
  ])('accepts the safe pattern %s', (pattern) => {
    expect(unsafeRegex(pattern)).toBeUndefined();
  });

  it.each([
    ['^(a+)+$', 1, '嵌套的量词'], ['(\\w+\\s?)*', 0, '嵌套的量词'], ['x((a*)b)*', 1, '嵌套的量词'], ['(a?){30}', 0, '嵌套的量词'],
    ['(a|a)*', 0, '分支'], ['(a|ab)*c', 0, '分支'], ['(\\s|,)+', 0, '分支'],
    ['(\\d)\\1', 4, '反向引用'], ['(?<x>a)\\k<x>', 7, '反向引用'], ['(?=a+)b', 0, '断言'],
    ['a)|(b', 1, '括号'], ['(a', 0, '括号'], ['a'.repeat(201), 200, '上限'],
  ])('refuses %s at offset %i', (pattern, index, what) => {
    const problem = unsafeRegex(pattern);
    expect(problem?.index).toBe(index);
    expect(problem?.message).toContain(what);
  });

  it('allows one long quantifier in a pattern run with the u flag (it has no linear fallback)', () => {
    expect(unsafeRegex('\\p{Script=Han}+[0-9]{1,4}', true)).toBeUndefined();
    expect(unsafeRegex('\\p{L}+\\p{L}+x', true)?.message).toContain('最多只能有一个');
    expect(unsafeRegex('\\p{L}+\\p{L}+x', false)).toBeUndefined();
  });

  it('refuses a form pattern with nested quantifiers at its line and column in the studio check, and does not publish it', async () => {
    const original = '    label: 标题\n';
    const text = SUGGESTION_FORM.replace(original, `${original}    pattern: "(\\\\w+\\\\s?)*"\n`);
    const line = SUGGESTION_FORM.split('\n').indexOf(original.trimEnd()) + 2;
    const r = await check(admin, { kind: 'form', id: 'suggestion', text });
    expect(r.status).toBe(200);
    expect(r.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_EXPR_UNSAFE_REGEX', line, 5]]);
    expect(r.json.errors[0]!.message).toContain('嵌套的量词');
    await admin.get('/admin/forms/suggestion');
    const published = await admin.post('/admin/forms/suggestion/publish', { text, message: '危险的正则', baseVersion: '1' });
    expect(published.status).toBe(422);
    expect(published.text).toContain('LVZ_EXPR_UNSAFE_REGEX');
    expect((await admin.get('/admin/forms/suggestion')).text).toContain('name="baseVersion" value="1"');
  });

  it("refuses a guard's matches with an evil pattern, or with a pattern from data, and does not publish it", async () => {
    const original = `"data.eval_overall == '不满意' && visits.handle < 2"`;
    const line = CITY.split('\n').findIndex((l) => l.includes(original)) + 1;
    const col = CITY.split('\n')[line - 1]!.indexOf('when:') + 1;
    for (const guard of [`data.title.matches('^(a+)+$')`, 'data.title.matches(data.summary)']) {
      const text = CITY.replace(original, () => `"${guard}"`); // a function: `$'` in the pattern is no replacement
      const r = await check(admin, { kind: 'workflow', id: 'suggestion', text });
      expect(r.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_EXPR_UNSAFE_REGEX', line, col]]);
      await admin.get('/admin/workflows/suggestion');
      const published = await admin.post('/admin/workflows/suggestion/publish', { text, message: '危险的正则', baseVersion: '1' });
      expect(published.status).toBe(422);
      expect(published.text).toContain('LVZ_EXPR_UNSAFE_REGEX');
    }
    expect((await admin.get('/admin/workflows/suggestion')).text).toContain('name="baseVersion" value="1"');
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  it("runs a pattern that slipped past the check in linear time: the engine turns on V8's fallback", () => {
    // In a child process, since a regex that backtracks holds its thread and no test timeout can stop it.
    // Without --enable-experimental-regexp-engine-on-excessive-backtracks this is 2^32 steps (hours: the
    // child is killed after 30 s); with it, V8 re-runs the regex in its linear engine after 50,000 backtracks.
    const script = `
      const { anchoredPattern } = await import('./engine/forms/fields/text-rules.ts');
      const { compileExpr } = await import('./engine/expr/index.ts');
      const evil = 'a'.repeat(32) + '!';
      console.log(JSON.stringify([anchoredPattern('(a+)+').test(evil), anchoredPattern('(\\\\w+\\\\s?)*').test(evil),
        anchoredPattern('\\\\p{Script=Han}+').test('人大代表'), new RegExp('^(a+)+$').test(evil)]));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(child.signal, 'the evil pattern held the child past 30 s: no linear fallback').toBeNull();
    // the last: cel-js's matches compiles the same way, and any engine import turns the fallback on
    expect(JSON.parse(child.stdout)).toEqual([false, false, true, false]);
  });

  it('runs a pattern on at most 10,000 characters, whatever the max_length', () => {
    const field = { name: 'code', type: 'text', label: '编号', pattern: '[a-z]*' } as FieldDef;
    expect(checkText(field, 'a'.repeat(10_000))).toBeUndefined();
    expect(checkText(field, 'a'.repeat(10_001))).toBe('编号不能超过10000个字');
  });
});

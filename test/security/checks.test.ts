// checks.test.ts: issue 12, item 2 and two Low items: the model check is bounded whatever the graph (the
// issue's seven states all linked to each other, with no way to the end, ran for minutes and blocked
// /healthz), in the studio and in `lvzhi check`; the studio's check runs in a worker with a time limit;
// a 100,000-deep JSON body is a 400 (it was a 500) and a non-admin's is a 403; YAML tags the core schema
// does not define are refused at their line:col.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../engine/index.ts';
import { loginAs, startServer, type Client, type TestServer } from '../helpers/http.ts';

/**
 * s0 → c0; every ci has an event to every cj (c0…c{n-1}). With `end`, s0 and every ci can also stop
 * (to closed); without, only s0 can: from c0 on, no path reaches the final state.
 */
function completeGraph(n: number, end: boolean): string {
  const cs = Array.from({ length: n }, (_, i) => `c${i}`);
  const lines = ['id: complete', 'version: 1', 'title: 全连通', 'roles: [deputy]', 'starters: [deputy]', 'record: suggestion', 'initial: s0', 'states:',
    '  s0:', '    task: { assignee: initiator }', '    on: { go: c0, stop: closed }'];
  for (const c of cs) {
    lines.push(`  ${c}:`, '    task: { assignee: initiator }', '    on:', ...cs.map((d) => `      to_${d}: ${d}`));
    if (end) lines.push('      stop: closed');
  }
  lines.push('  closed: { final: true }');
  return lines.join('\n') + '\n';
}

interface Finding { code: string; line: number; col: number; message: string }
interface CheckJson { ok: boolean; errors: Finding[]; warnings: Finding[]; paths?: number }

async function check(c: Client, body: unknown): Promise<{ status: number; json: CheckJson; text: string }> {
  const res = await c.request('POST', '/admin/check', {
    body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
  });
  return { status: res.status, text: res.text, json: (res.status === 200 ? JSON.parse(res.text) : {}) as CheckJson };
}

let s: TestServer;
let zd: Client;
let deputy: Client;
beforeAll(async () => {
  s = await startServer();
  zd = await loginAs(s.base, 'zhangdian-admin');
  deputy = await loginAs(s.base, 'deputy1');
  await zd.get('/admin');
  await deputy.get('/inbox');
});
afterAll(async () => { await s.close(); });

describe('a bounded model check', () => {
  it("answers the issue's seven linked states with no way to the end, while /healthz answers", async () => {
    const text = completeGraph(7, false);
    const [r, health] = await Promise.all([check(zd, { kind: 'workflow', id: 'complete', text }), fetch(`${s.base}/healthz`)]);
    expect(health.status).toBe(200);
    expect(r.status).toBe(200);
    const noEnd = r.json.errors.filter((e) => e.code === 'LVZ_DSL_NO_PATH_TO_END');
    expect(noEnd.map((e) => e.line)).toEqual([12, 22, 32, 42, 52, 62, 72]); // c0…c6, each at its own line
    expect(r.json.paths).toBe(1); // s0 → closed
  });

  it('reports 检查超出上限 as a warning when the paths to an end are too many to count', async () => {
    const r = await check(zd, { kind: 'workflow', id: 'complete', text: completeGraph(7, true) });
    expect(r.status).toBe(200);
    expect(r.json.warnings.map((w) => w.code)).toContain('LVZ_DSL_CHECK_LIMIT');
    expect(r.json.warnings.find((w) => w.code === 'LVZ_DSL_CHECK_LIMIT')!.message).toContain('检查超出上限');
    expect(r.json.paths).toBeGreaterThan(0);
  });

  it('is bounded in `lvzhi check` too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-check-'));
    try {
      fs.writeFileSync(path.join(dir, 'no-end.yaml'), completeGraph(7, false));
      fs.writeFileSync(path.join(dir, 'many.yaml'), completeGraph(7, true).replace('id: complete', 'id: complete-many'));
      const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'lvzhi.mjs'), 'check', path.join(dir, 'no-end.yaml'), path.join(dir, 'many.yaml')],
          { cwd: REPO_ROOT, timeout: 120_000 }, (e, out, err) => resolve({ code: e ? (e as { code?: number }).code ?? null : 0, out, err }));
      });
      expect(run.code).toBe(1); // the no-end graph's errors
      expect(run.err.match(/LVZ_DSL_NO_PATH_TO_END/g)).toHaveLength(7);
      expect(run.err).toMatch(/warning: .*many\.yaml:\d+:\d+: LVZ_DSL_CHECK_LIMIT 检查超出上限/);
      expect(run.out).toMatch(/many\.yaml: complete-many@1: at least \d+ paths to an end/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the studio check in a worker', () => {
  it('stops a check past its time limit with 检查超出上限 while /healthz answers, and the next check works', async () => {
    // 120 steps all linked to each other: about 270 KB, half a second of compiling and drawing (within every
    // limit); with LVZHI_CHECK_TIMEOUT_MS=50 its worker is stopped.
    const big = completeGraph(120, true);
    const before = process.env.LVZHI_CHECK_TIMEOUT_MS;
    process.env.LVZHI_CHECK_TIMEOUT_MS = '50';
    try {
      const pending = check(zd, { kind: 'workflow', id: 'complete', text: big });
      expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
      const r = await pending;
      expect(r.status).toBe(200);
      expect(r.json.ok).toBe(false);
      expect(r.json.errors.map((e) => e.code)).toEqual(['LVZ_DSL_CHECK_LIMIT']);
      expect(r.json.errors[0]!.message).toContain('检查超出上限');
    } finally {
      if (before === undefined) delete process.env.LVZHI_CHECK_TIMEOUT_MS;
      else process.env.LVZHI_CHECK_TIMEOUT_MS = before;
    }
    const ok = await check(zd, { kind: 'workflow', id: 'complete', text: completeGraph(2, true) });
    expect(ok.json.errors.filter((e) => e.code === 'LVZ_DSL_CHECK_LIMIT')).toEqual([]);
    expect(ok.json.paths).toBeGreaterThan(0);
  });
});

describe('a deep JSON body', () => {
  const deep = (n: number): string => JSON.stringify({ kind: 'workflow', id: 'x', text: 'T' }).replace('"T"', '['.repeat(n) + ']'.repeat(n));

  it('is a 400 with a clear message, not a 500', async () => {
    const r = await check(zd, deep(100_000));
    expect(r.status).toBe(400);
    expect(r.text).toContain('嵌套超过');
    const top = await check(zd, '['.repeat(100_000) + ']'.repeat(100_000));
    expect(top.status).toBe(400);
    const api = await fetch(`${s.base}/api/v1/tokens`, { method: 'POST', body: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(400);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('LVZ_RUN_BAD_REQUEST');
  });

  it("is refused to a signed-in non-admin with 403 before it is read; a text that is no string is a 400", async () => {
    expect((await check(deputy, deep(100_000))).status).toBe(403);
    expect((await check(deputy, { kind: 'workflow', id: 'x', text: 'id: x' })).status).toBe(403);
    expect((await check(zd, { kind: 'workflow', id: 'x', text: [[['a']]] })).status).toBe(400);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });
});

describe('YAML tags', () => {
  it('refuses !!js/function and !foo in a workflow and a form at their line:col', async () => {
    const wf = completeGraph(1, true).replace('title: 全连通', 'title: !foo 全连通').replace('go: c0', 'go: !!js/function "function () {}"');
    const r = await check(zd, { kind: 'workflow', id: 'complete', text: wf });
    expect(r.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_DSL_YAML_TAG', 3, 8], ['LVZ_DSL_YAML_TAG', 11, 15]]);
    const form = 'id: tagged\nversion: 1\ntitle: 标签\nfields:\n  - name: a\n    type: !!python/object text\n    label: 甲\n';
    const f = await check(zd, { kind: 'form', id: 'tagged', text: form });
    expect(f.json.errors.map((e) => [e.code, e.line, e.col])).toEqual([['LVZ_DSL_YAML_TAG', 6, 11]]);
  });
});

// render.test.ts: every label a template asks for exists, every error code has a status, and the
// small view helpers say what a reader expects.

import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../engine/errors.ts';
import { ERROR_STATUS } from '../../server/error-status.ts';
import Handlebars from 'handlebars';
import { compileOptions, createRenderer, formatDateTime, lookupLabel, withHelpers } from '../../server/render.ts';
import { contentDisposition } from '../../server/routes/files.ts';
import { deadlineView, pager } from '../../server/view-models.ts';
import { safeNext } from '../../server/safe-next.ts';

const root = path.resolve(import.meta.dirname, '../..');
const templates = path.join(root, 'templates');
const labels = parse(fs.readFileSync(path.join(templates, 'labels/zh-CN.yaml'), 'utf8')) as Record<string, unknown>;

function hbsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? hbsFiles(p) : e.name.endsWith('.hbs') ? [p] : [];
  });
}

describe('labels', () => {
  it('every {{t "key"}} in a template has a zh-CN label', () => {
    const missing: string[] = [];
    for (const file of hbsFiles(templates)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\{\{t\s+['"]([\w.]+)['"]/g)) {
        if (lookupLabel(labels, m[1]!) === undefined) missing.push(`${path.relative(root, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every label the server code asks for exists', () => {
    const missing: string[] = [];
    for (const file of fs.readdirSync(path.join(root, 'server'), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(root, 'server', file), 'utf8');
      for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) if (lookupLabel(labels, m[1]!) === undefined) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('all templates compile and a missing label shows its key instead of failing', () => {
    // The renderer compiles on first use; here every file is compiled now, with the renderer's options.
    const options = compileOptions(withHelpers());
    for (const file of hbsFiles(templates)) expect(() => Handlebars.precompile(fs.readFileSync(file, 'utf8'), options), file).not.toThrow();
    expect(() => Handlebars.precompile('{{#each rows}}{{shout title}}{{/each}}', options)).toThrow(/shout/);
    const r = createRenderer({ templatesDir: templates });
    expect(r.t('nav.todo')).toBe('待办');
    expect(r.t('deadline.left', { n: 3 })).toBe('剩余3个工作日');
    expect(r.t('no.such.key')).toBe('⟦no.such.key⟧');
  });
});

describe('error statuses', () => {
  it('every engine code has an HTTP status', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(Object.keys(CODES).sort());
    expect(ERROR_STATUS.LVZ_RUN_CONFLICT).toBe(409);
    expect(ERROR_STATUS.LVZ_FORM_INVALID).toBe(422);
    expect(ERROR_STATUS.LVZ_AUTH_CSRF).toBe(403);
  });
});

describe('view helpers', () => {
  const t = createRenderer({ templatesDir: templates }).t;
  it('deadlines read as working days left, due today or overdue', () => {
    expect(deadlineView(t, { workingDaysLeft: 5, isOverdue: false, dueAt: '2026-03-10T16:00:00Z' })?.text).toBe('剩余5个工作日');
    expect(deadlineView(t, { workingDaysLeft: 0, isOverdue: false })?.text).toBe('今日到期');
    expect(deadlineView(t, { workingDaysLeft: -2, isOverdue: true })).toMatchObject({ text: '已逾期2个工作日', isOverdue: true });
    expect(deadlineView(t, { isOverdue: false })).toBeUndefined();
    expect(deadlineView(t, { dueAt: '2026-03-10T16:00:00Z', isOverdue: false })?.text).toBe('2026-03-11 前');
  });

  it('pager links keep the query and stop at the ends', () => {
    const p = pager('/inbox', { list: 'done', q: '电梯' }, { page: 2, pageSize: 20, total: 45 });
    expect(p).toMatchObject({ pages: 3, hasPages: true });
    expect(p.prevHref).toBe(`/inbox?list=done&q=${encodeURIComponent('电梯')}`);
    expect(p.nextHref).toBe(`/inbox?list=done&q=${encodeURIComponent('电梯')}&page=3`);
    expect(pager('/x', {}, { page: 1, pageSize: 20, total: 0 })).toMatchObject({ pages: 1, hasPages: false, prevHref: undefined, nextHref: undefined });
  });

  it('times show in Beijing time', () => {
    expect(formatDateTime('2026-03-02T17:30:00Z')).toBe('2026-03-03 01:30');
  });

  it('download names survive in UTF-8 with an ASCII fallback', () => {
    expect(contentDisposition('答复函"1".pdf')).toBe(`attachment; filename="____1_.pdf"; filename*=UTF-8''%E7%AD%94%E5%A4%8D%E5%87%BD%221%22.pdf`);
  });

  it('only same-site paths may follow a login', () => {
    expect(safeNext('/tasks/1')).toBe('/tasks/1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', undefined]) expect(safeNext(bad)).toBe('/inbox');
  });
});

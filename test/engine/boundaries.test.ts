// boundaries.test.ts: the house rules of imports, checked on every run (DESIGN.md "The house").
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, dir));
  return out;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('import boundaries', () => {
  it('engine/ never imports fastify, handlebars or server code', () => {
    const bad = sources('engine').flatMap((f) =>
      importsOf(f)
        .filter((i) => /^(fastify|@fastify\/|handlebars)/.test(i) || i.includes('/server/'))
        .map((i) => `${path.relative(root, f)} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('server/ never touches the database drivers or engine/store', () => {
    const bad = sources('server').flatMap((f) =>
      importsOf(f)
        .filter((i) => /^(knex|sqlite3|pg|better-sqlite3)$/.test(i) || i.includes('engine/store'))
        .map((i) => `${path.relative(root, f)} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('engine/expr imports neither runtime nor store: the directory reaches an evaluation as a value', () => {
    const bad = sources('engine/expr').flatMap((f) =>
      importsOf(f).filter((i) => /\/(runtime|store)\//.test(i)).map((i) => `${path.relative(root, f)} imports ${i}`));
    expect(bad).toEqual([]);
  });

  it('engine/dsl, engine/forms and engine/expr do no I/O and read no clock', () => {
    const bad = [...sources('engine/dsl'), ...sources('engine/forms'), ...sources('engine/expr')].flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      const hits = [];
      if (importsOf(f).some((i) => /^(node:)?(fs|net|http|child_process)(\/|$)/.test(i))) hits.push('I/O import');
      if (/\bDate\.now\(|new Date\(\)/.test(text)) hits.push('reads the clock');
      return hits.map((h) => `${path.relative(root, f)}: ${h}`);
    });
    expect(bad).toEqual([]);
  });
});

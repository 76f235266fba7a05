// errors.test.ts: docs/errors.md and the code table in engine/errors.ts agree, both ways.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../engine/errors.ts';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^\|\s*`?(LVZ_[A-Z_]+)`?\s*\|/gm)].map((m) => m[1]!));

describe('error codes', () => {
  it('every code has a row in docs/errors.md', () => {
    expect(Object.keys(CODES).filter((c) => !documented.has(c))).toEqual([]);
  });
  it('every documented code exists', () => {
    expect([...documented].filter((c) => !(c in CODES))).toEqual([]);
  });
  it('codes follow LVZ_<AREA>_<WHAT>', () => {
    for (const code of Object.keys(CODES)) expect(code).toMatch(/^LVZ_(DSL|FORM|EXPR|CAL|RUN|STORE|AUTH|DIR|BALLOT)_[A-Z_]+$/);
  });
});

// model-check.test.ts: `lvzhi check`'s findings on purpose-built broken workflows (test/fixtures/check/), each
// opening with `# expect: [warning] CODE line:col` lines or `# expect: ok` and `# paths: N`.
import { describe, expect, it } from 'vitest';
import { demoDirectory } from '../../../cli/check.ts';
import { compileWorkflow, sortByPlace } from '../../../engine/dsl/compile.ts';
import { enumeratePaths, modelCheck, statesWithoutEnd } from '../../../engine/dsl/model-check.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import { read, shippedForms, shippedWorkflows, yamlFiles } from './load-shipped.ts';

const forms = shippedForms();
const directory = demoDirectory();
const fixtures = yamlFiles('test/fixtures/check');

function expected(text: string): string[] {
  const lines = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!.trim());
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

function findings(file: string): string[] {
  const r = compileWorkflow(read(file), file, { forms });
  if (!r.ok) return r.errors.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`);
  const m = modelCheck(r.workflow, { forms, directory });
  return [
    ...sortByPlace(m.errors).map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`),
    ...sortByPlace(m.warnings).map((e) => `warning ${e.code} ${e.where?.line}:${e.where?.col}`),
  ];
}

function compiled(file: string): CompiledWorkflow {
  const r = compileWorkflow(read(file), file, { forms });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.workflow;
}

describe('lvzhi check fixtures', () => {
  it.each(fixtures)('%s', (file) => {
    const text = read(file);
    expect(text.startsWith('# expect: '), `${file} must open with an # expect: line`).toBe(true);
    expect(findings(file)).toEqual(expected(text));
    const paths = /^# paths: (\d+)$/m.exec(text);
    if (paths) expect(modelCheck(compiled(file), { forms, directory }).paths).toBe(Number(paths[1]));
  });

  it('covers each kind of finding the issue names', () => {
    const codes = new Set(fixtures.flatMap((f) => expected(read(f)).map((e) => e.replace(/^warning /, '').split(' ')[0])));
    for (const c of ['LVZ_DSL_UNREACHABLE_STATE', 'LVZ_DSL_NO_WAY_OUT', 'LVZ_DSL_NO_PATH_TO_END', 'LVZ_DSL_NOBODY_CAN_DO', 'LVZ_DSL_DEADLINE_NO_HANDLER']) {
      expect(codes.has(c), c).toBe(true);
    }
  });
});

describe('modelCheck on the shipped workflows', () => {
  it('finds nothing, and enumerates the paths (each state at most twice on a path)', () => {
    for (const w of shippedWorkflows(forms)) {
      const m = modelCheck(w, { forms, directory });
      expect(m.errors.map((e) => e.format()), w.def.id).toEqual([]);
      expect(m.warnings.map((e) => e.format()), w.def.id).toEqual([]);
      expect(m.paths, w.def.id).toBeGreaterThan(0);
    }
    const suggestion = shippedWorkflows(forms).find((w) => w.def.id === 'suggestion')!;
    expect(enumeratePaths(suggestion.def).paths.map((p) => p.join('→'))).toEqual([
      'draft→review→handle→evaluate→handle→evaluate→closed',
      'draft→review→handle→evaluate→closed',
    ]);
  });

  it('stops at maxPaths and says so', () => {
    const bill = shippedWorkflows(forms).find((w) => w.def.id === 'bill')!;
    const m = modelCheck(bill, { forms, directory, maxPaths: 1 });
    expect([m.paths, m.truncated]).toEqual([1, true]);
  });

  it('without a directory skips the who-can-do-it check', () => {
    const w = compiled('test/fixtures/check/nobody-can-do.yaml');
    expect(modelCheck(w, { forms }).errors).toEqual([]);
    expect(statesWithoutEnd(w.def)).toEqual([]);
  });
});

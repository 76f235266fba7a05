// fixtures.test.ts: every workflow in test/fixtures/dsl/ against its `# expect:` lines, as ajv runs its spec/tests.
//
// A fixture opens with `# expect: ok` or one `# expect: CODE line:col` line per error; the errors
// must match exactly (code and position, in file order), so a fixture is also a position test.
import { describe, expect, it } from 'vitest';
import { checkAcrossFiles, compileWorkflow, sortByPlace } from '../../../engine/dsl/compile.ts';
import { parentIndex } from '../../../engine/dsl/extends.ts';
import { CODES } from '../../../engine/errors.ts';
import { read, shippedForms, shippedRoles, shippedWorkflows, yamlFiles } from './load-shipped.ts';

const forms = shippedForms();
// Checked against the shipped roles, as `lvzhi validate <file>` does (directory/roles.yaml).
const roles = shippedRoles();
const shipped = shippedWorkflows(forms);
const fixtures = yamlFiles('test/fixtures/dsl');
// District fixtures extend the shipped workflows, as `lvzhi validate <file>` lets them.
const parents = parentIndex(yamlFiles('workflows').map((file) => ({ file, text: read(file) })));
// `lvzhi check` findings have their own fixtures (test/fixtures/check/, model-check.test.ts).
const checkFixtures = yamlFiles('test/fixtures/check');

function expected(text: string): string[] {
  const lines = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!.trim());
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** Compile one fixture; cross-file checks count the shipped workflows, as `lvzhi validate <file>` does. */
function actual(file: string): string[] {
  const r = compileWorkflow(read(file), file, { forms, parents, roles });
  const errors = r.ok ? checkAcrossFiles([...shipped, r.workflow], { forms }).filter((e) => e.where?.file === file) : r.errors;
  return sortByPlace(errors).map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`);
}

describe('DSL fixtures', () => {
  it.each(fixtures)('%s', (file) => {
    const text = read(file);
    expect(text.startsWith('# expect: '), `${file} must open with an # expect: line`).toBe(true);
    expect(actual(file)).toEqual(expected(text));
  });

  it('every LVZ_DSL_* code and LVZ_EXPR_SYNTAX has a fixture that produces it (here or in test/fixtures/check)', () => {
    const produced = new Set([...fixtures, ...checkFixtures].flatMap((f) => expected(read(f)).map((e) => e.replace(/^warning /, '').split(' ')[0])));
    // LVZ_DSL_INVALID is the studio's refusal that carries a list of the other codes (test/engine/runtime/studio.test.ts).
    const codes = Object.keys(CODES).filter((c) => (c.startsWith('LVZ_DSL_') && c !== 'LVZ_DSL_INVALID') || c === 'LVZ_EXPR_SYNTAX');
    expect(codes.filter((c) => !produced.has(c))).toEqual([]);
  });
});

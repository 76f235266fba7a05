// validate.test.ts: `lvzhi validate` as an admin runs it: exit codes and `file:line:col: CODE message` lines.
import { describe, expect, it } from 'vitest';
import { lvzhi } from '../helpers/cli.ts';
import { kindOf } from '../../cli/validate.ts';

describe('lvzhi validate', () => {
  it('with no files checks everything shipped and prints one summary line', async () => {
    const r = await lvzhi('validate');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok: \d+ definitions valid\n$/);
    expect(r.code).toBe(0);
  });

  it('checks a good workflow alone, with the shipped forms as context', async () => {
    const r = await lvzhi('validate', 'test/fixtures/dsl/ok-shorthands.yaml');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'ok: 1 definitions valid\n', '']);
  });

  it('exits 1 and prints one file:line:col: CODE message line per error', async () => {
    const r = await lvzhi('validate', 'test/fixtures/dsl/unknown-state.yaml', 'test/fixtures/dsl/yaml-syntax.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/dsl\/[\w-]+\.yaml:\d+:\d+: LVZ_[A-Z_]+ \S/);
    expect(lines[0]).toBe(
      'test/fixtures/dsl/unknown-state.yaml:11:1: LVZ_DSL_UNKNOWN_STATE 初始步骤（initial）“drafts”未定义：请在 states: 下声明它，或改用已有步骤之一：draft、review、closed',
    );
  });

  it('reports a missing file and an unknown command', async () => {
    expect((await lvzhi('validate', 'no/such.yaml')).stderr).toMatch(/^no\/such\.yaml:1:1: LVZ_DSL_YAML_SYNTAX 无法读取 no\/such\.yaml（文件不存在）：请检查路径/);
    expect((await lvzhi('frobnicate')).code).toBe(2);
  });

  it('tells the kind of a file by its folder, then by its content', () => {
    expect(kindOf('forms/x.yaml', 'states: {}')).toBe('form');
    expect(kindOf('calendars/cn.yaml', '')).toBe('calendar');
    expect(kindOf('tmp/x.yaml', 'id: x\nfields:\n  - name: a')).toBe('form');
    expect(kindOf('tmp/x.yaml', 'id: x\nstates: {}')).toBe('workflow');
    expect(kindOf('tmp/x.yaml', '2027:\n  holidays: []')).toBe('calendar');
  });
});

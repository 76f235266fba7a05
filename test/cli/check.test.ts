// check.test.ts: `lvzhi check` as CI runs it: the shipped definitions pass with a path count; broken ones fail
// with `file:line:col: CODE message` lines, warnings prefixed `warning:`.
import { describe, expect, it } from 'vitest';
import { lvzhi } from '../helpers/cli.ts';

describe('lvzhi check', () => {
  it('passes every shipped workflow, districts included, and counts the paths of each', async () => {
    const r = await lvzhi('check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('workflows/suggestion.yaml: suggestion@1: 2 paths to an end');
    expect(lines).toContain('workflows/districts/zhangdian-suggestion.yaml: zhangdian-suggestion@1: 2 paths to an end');
    expect(lines.at(-1)).toMatch(/^ok: \d+ workflows checked, \d+ paths to an end$/);
  });

  it('exits 1 on broken definitions, one line per finding, warnings prefixed', async () => {
    const r = await lvzhi('check', 'test/fixtures/check/no-path-to-end.yaml', 'test/fixtures/check/deadline-no-handler.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^warning: test\/fixtures\/check\/deadline-no-handler\.yaml:18:11: LVZ_DSL_NO_WAY_OUT /),
      expect.stringMatching(/^test\/fixtures\/check\/deadline-no-handler\.yaml:14:5: LVZ_DSL_DEADLINE_NO_HANDLER /),
      expect.stringMatching(/^test\/fixtures\/check\/no-path-to-end\.yaml:15:3: LVZ_DSL_NO_PATH_TO_END 从步骤“ping”出发到达不了任何结束步骤/),
      expect.stringMatching(/^test\/fixtures\/check\/no-path-to-end\.yaml:18:3: LVZ_DSL_NO_PATH_TO_END /),
    ]);
    expect(r.stdout).not.toMatch(/^ok:/m);
  });

  it('reports compile errors too, and validate checks district files', async () => {
    const r = await lvzhi('check', 'test/fixtures/dsl/extends-override-conflict.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^test\/fixtures\/dsl\/extends-override-conflict\.yaml:9:3: LVZ_DSL_OVERRIDE_CONFLICT 要覆盖的步骤“examine”在上级流程“suggestion”（第 1 版）中已不存在/);
    const v = await lvzhi('validate', 'workflows/districts/zhangdian-suggestion.yaml');
    expect([v.code, v.stdout, v.stderr]).toEqual([0, 'ok: 1 definitions valid\n', '']);
  });

  it('checks a spawn against the workflow it starts, found among the folder\'s workflows (issue 15 part 6)', async () => {
    // Given alone, the parent still finds its child (suggestion, shipped) for the results it copies back.
    const r = await lvzhi('check', 'test/fixtures/dsl/spawn-results.yaml', 'test/fixtures/dsl/spawn-no-done.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^test\/fixtures\/dsl\/spawn-no-done\.yaml:16:9: LVZ_DSL_SPAWN_NO_DONE 步骤“ask”等待子流程（wait: any），但没有 on: done/),
      expect.stringMatching(/^test\/fixtures\/dsl\/spawn-results\.yaml:18:18: LVZ_DSL_UNKNOWN_FIELD spawn 的 results 引用了字段“replied”，但流程“suggestion”的表单“suggestion”没有这个字段/),
    ]);
    const ok = await lvzhi('check', 'test/fixtures/dsl/ok-spawn-each.yaml');
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/^test\/fixtures\/dsl\/ok-spawn-each\.yaml: fx-spawn-each@1: \d+ paths to an end$/m);
  });
});

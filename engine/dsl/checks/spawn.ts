// spawn.ts: a step that waits for its children (spawn: wait) goes on by `on: done`, and the field
// listing its children (spawn: as) is its own, not a field of the record form or a task group's.
// (The spawned workflow and the fields data:/results: name in it are checked across files, compile.ts.)

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const spawnSteps: Check = (wf, src, ctx) => {
  const errors: LvzError[] = [];
  const record = ctx.forms.get(wf.record);
  const groupIds = new Set(Object.values(wf.states).flatMap((s) => s.tasks.map((g) => g.id)));
  for (const s of Object.values(wf.states)) {
    const spec = s.spawn;
    if (!spec) continue;
    if (spec.wait && !s.on.done && !s.final) {
      const path = `/states/${s.name}/spawn/wait`;
      errors.push(new LvzError('LVZ_DSL_SPAWN_NO_DONE',
        `步骤${q(s.name)}等待子流程（wait: ${spec.wait}），但没有 on: done 说明等到之后去哪一步：请添加 on: { done: <下一步> }，或去掉 wait`,
        { where: src.at(path), path, params: { state: s.name } }));
    }
    if (spec.as && (record?.byName.has(spec.as) || groupIds.has(spec.as))) {
      // `as` defaults to the state name: unwritten, the position falls back to spawn:.
      const path = `/states/${s.name}/spawn/as`;
      const what = record?.byName.has(spec.as) ? `表单${q(wf.record)}的字段` : '任务组';
      errors.push(new LvzError('LVZ_DSL_SPAWN_FIELD_TAKEN',
        `步骤${q(s.name)}把子流程列表记在${q(spec.as)}，但${q(spec.as)}已是${what}，会被覆盖：请用 as: 另起一个名称，例如 ${spec.as}_children`,
        { where: src.at(path), path, params: { state: s.name, field: spec.as } }));
    }
  }
  return errors;
};

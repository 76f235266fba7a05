// spawn-as.ts: the field a spawn lists its children in (spawn: as, default the state name) is its own,
// not a field of the record form or a task group's id (LVZ_DSL_SPAWN_FIELD_TAKEN). The spawn construct's
// other check lives in its folder (engine/constructs/spawn/); this one needs the record form, which a
// construct's checks are not shown.

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { Check } from './types.ts';

export const spawnAs: Check = (wf, src, ctx) => {
  const record = ctx.forms.get(wf.record);
  const groupIds = new Set(Object.values(wf.states).flatMap((s) => s.tasks.map((g) => g.id)));
  return Object.values(wf.states).flatMap((s) => {
    const as = s.spawn?.as;
    if (!as || !(record?.byName.has(as) || groupIds.has(as))) return [];
    // `as` defaults to the state name: unwritten, the position falls back to spawn:.
    const path = `/states/${s.name}/spawn/as`;
    const what = record?.byName.has(as) ? `表单${q(wf.record)}的字段` : '任务组';
    return [new LvzError('LVZ_DSL_SPAWN_FIELD_TAKEN',
      `步骤${q(s.name)}把子流程列表记在${q(as)}，但${q(as)}已是${what}，会被覆盖：请用 as: 另起一个名称，例如 ${as}_children`,
      { where: src.at(path), path, params: { state: s.name, field: as } })];
  });
};

// checks.ts: a step that waits for its children (spawn: wait) goes on by `on: done` (LVZ_DSL_SPAWN_NO_DONE).
// What needs more than the step (the record form, other workflows) is checked in dsl/: the `as` field
// (checks/spawn-as.ts) and the spawned workflow's fields (compile.ts, checkAcrossFiles).

import { LvzError } from '../../errors.ts';
import { q } from '../../yaml/zh.ts';
import type { CheckContext, SiteView } from '../types.ts';
import type { SpawnDef } from './types.ts';

export function spawnWaitsForDone(spec: SpawnDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
  if (!spec.wait || state.final || state.events.includes('done')) return [];
  const at = `${path}/wait`;
  return [
    new LvzError('LVZ_DSL_SPAWN_NO_DONE',
      `步骤${q(state.name)}等待子流程（wait: ${spec.wait}），但没有 on: done 说明等到之后去哪一步：请添加 on: { done: <下一步> }，或去掉 wait`,
      { where: src.at(at), path: at, params: { state: state.name } }),
  ];
}

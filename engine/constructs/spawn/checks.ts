// checks.ts: a step that waits for its children (spawn: wait) goes on by `on: done`
// (LVZ_DSL_SPAWN_NO_DONE); the field the children are listed in (`as`, default the state name) is the
// spawn's own, not a record field or a task group (LVZ_DSL_SPAWN_FIELD_TAKEN); and across files, the
// spawned workflow exists and the fields its `data:` fills and `results:` copies back are fields of its
// record (crossChecks).

import { LvzError } from '../../errors.ts';
import { list, q } from '../../yaml/zh.ts';
import type { CheckContext, CrossContext, SiteView } from '../types.ts';
import type { SpawnDef } from './types.ts';

function waitsForDone(spec: SpawnDef, { state, path }: SiteView, { src }: CheckContext): LvzError[] {
  if (!spec.wait || state.final || state.events.includes('done')) return [];
  const at = `${path}/wait`;
  return [
    new LvzError('LVZ_DSL_SPAWN_NO_DONE',
      `步骤${q(state.name)}等待子流程（wait: ${spec.wait}），但没有 on: done 说明等到之后去哪一步：请添加 on: { done: <下一步> }，或去掉 wait`,
      { where: src.at(at), path: at, params: { state: state.name } }),
  ];
}

function asIsOwn(spec: SpawnDef, { state, path }: SiteView, { src, record, taskGroups }: CheckContext): LvzError[] {
  const as = spec.as;
  const inRecord = !!as && !!record?.fields.has(as);
  if (!as || !(inRecord || taskGroups.has(as))) return [];
  // `as` defaults to the state name: unwritten, the position falls back to spawn:.
  const at = `${path}/as`;
  const what = inRecord ? `表单${q(record!.form)}的字段` : '任务组';
  return [new LvzError('LVZ_DSL_SPAWN_FIELD_TAKEN',
    `步骤${q(state.name)}把子流程列表记在${q(as)}，但${q(as)}已是${what}，会被覆盖：请用 as: 另起一个名称，例如 ${as}_children`,
    { where: src.at(at), path: at, params: { state: state.name, field: as } })];
}

export function spawnChecks(spec: SpawnDef, site: SiteView, ctx: CheckContext): LvzError[] {
  return [...waitsForDone(spec, site, ctx), ...asIsOwn(spec, site, ctx)];
}

export function spawnCrossChecks(spec: SpawnDef, { state, path }: SiteView, { src, workflows }: CrossContext): LvzError[] {
  const target = workflows.get(spec.workflow);
  if (!target) {
    const at = `${path}/workflow`;
    return [new LvzError('LVZ_DSL_UNKNOWN_WORKFLOW',
      `步骤${q(state.name)}要启动的流程${q(spec.workflow)}不存在：请改用已有流程之一：${list(workflows.keys())}，或新建 workflows/${spec.workflow}.yaml`,
      { where: src.at(at), path: at, params: { workflow: spec.workflow } })];
  }
  const fields = target.fields;
  if (!fields) return [];
  // data: keys and results: values are fields of the child's record.
  const named = [
    ...Object.keys(spec.data).map((field) => ({ field, at: `${path}/data/${field}`, what: 'data' })),
    ...Object.entries(spec.results ?? {}).map(([key, field]) => ({ field, at: `${path}/results/${key}`, what: 'results' })),
  ];
  return named.filter(({ field }) => !fields.has(field)).map(({ field, at, what }) => new LvzError('LVZ_DSL_UNKNOWN_FIELD',
    `spawn 的 ${what} 引用了字段${q(field)}，但流程${q(spec.workflow)}的表单${q(target.record)}没有这个字段：请改用以下字段之一：${list(fields)}`,
    { where: src.at(at), path: at, params: { field, form: target.record } }));
}

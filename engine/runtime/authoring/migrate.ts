// migrate.ts: move running instances of one workflow version to another with a state mapping.
//
// The plan (预览) changes nothing: each running instance of `from`, where its state maps to, or why it
// cannot move (its state is unmapped, the target does not exist in `to`, or is a final state). The run
// (执行) re-plans inside one transaction and refuses everything if any instance would be stranded.
// Each instance is moved by the same code as 退回: its old state's open tasks and timers are
// cancelled, its snapshot is restored on the new version's machine and the `lvzhi.goto.<state>`
// transition re-enters the target, so the target's tasks, timers and copies are made as on any entry;
// then workflow_version is rewritten and `instance.migrated` is appended to its history. A district
// admin plans and moves only the instances of their district (admin-scope.ts).

import type { Knex } from 'knex';
import type { CompiledWorkflow } from '../../dsl/types.ts';
import { LvzError } from '../../errors.ts';
import {
  appendEvent, lockInstance, runningOnVersion, setWorkflowVersion, writeTx, type InstanceRow,
} from '../../store/process/index.ts';
import { conflict, reenter, refuseChange } from '../advance.ts';
import { workflowOf, type RuntimeContext } from '../runtime-context.ts';
import { celActor } from '../load.ts';
import { adminReach, administers } from '../admin-scope.ts';
import type { Actor } from '../../model/actor.ts';
import { orgTree } from './access.ts';
import { editableRow } from './publish.ts';
import { refreshRegistry } from './registry.ts';
import type { MigrationInput, MigrationPlan } from './types.ts';

function targetOf(state: string, mapping: Record<string, string>, to: CompiledWorkflow): { target?: string; problem?: string } {
  const target = mapping[state] || (state in to.def.states ? state : undefined);
  if (!target) return { problem: `第 ${to.def.version} 版没有步骤“${state}”：请为它选择新版本中的一个步骤` };
  const s = to.def.states[target];
  if (!s) return { target, problem: `第 ${to.def.version} 版没有步骤“${target}”：请重新选择` };
  if (s.final) return { target, problem: `“${s.title}”是结束步骤，不能把办理中的件迁入：请选择一个办理中的步骤，或用“终止”结束该件` };
  return { target };
}

function buildPlan(id: string, from: CompiledWorkflow, to: CompiledWorkflow, rows: InstanceRow[], mapping: Record<string, string>, versions: number[]): MigrationPlan {
  const instances = rows.map((i) => {
    const t = targetOf(i.state, mapping, to);
    return {
      instanceId: i.id, number: i.number, title: i.title, state: i.state, stateTitle: from.def.states[i.state]?.title ?? i.state,
      ...(t.target && { target: t.target, targetTitle: to.def.states[t.target]?.title ?? t.target }), ...(t.problem && { problem: t.problem }),
    };
  });
  const states = [...new Set(rows.map((i) => i.state))].map((state) => {
    const t = targetOf(state, mapping, to);
    return {
      state, title: from.def.states[state]?.title ?? state, count: rows.filter((i) => i.state === state).length,
      ...(t.target && { target: t.target, targetTitle: to.def.states[t.target]?.title ?? t.target }), ...(t.problem && { problem: t.problem }),
    };
  });
  const stranded = instances.filter((i) => i.problem).length;
  return {
    workflowId: id, title: to.def.title, from: from.def.version, to: to.def.version, versions,
    toStates: Object.values(to.def.states).filter((s) => !s.final).map((s) => ({ name: s.name, title: s.title })),
    states, instances, movable: instances.length - stranded, stranded, ok: stranded === 0,
  };
}

async function prepare(rc: RuntimeContext, actor: Actor, id: string, input: MigrationInput) {
  const orgs = await orgTree(rc.db);
  await editableRow(rc, actor, 'workflow', id, orgs);
  const reach = await adminReach(rc.db, actor);
  await refreshRegistry(rc);
  const versions = [...rc.registry.workflows.values()].filter((w) => w.def.id === id).map((w) => w.def.version).sort((a, b) => a - b);
  if (!Number.isInteger(input.from) || !Number.isInteger(input.to) || input.from === input.to) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择两个不同的版本：从哪一版迁到哪一版', { params: { versions } });
  }
  // A district admin moves only their district's instances, even of their own district's workflow
  // (whose starters are all in the district: ensureDistrictStarter); any other is the city's to move.
  const mine = (rows: InstanceRow[]) => rows.filter((i) => administers(reach, i));
  return { from: workflowOf(rc, id, input.from), to: workflowOf(rc, id, input.to), versions, mapping: input.mapping ?? {}, mine };
}

export async function planMigration(rc: RuntimeContext, actor: Actor, id: string, input: MigrationInput): Promise<MigrationPlan> {
  const p = await prepare(rc, actor, id, input);
  return buildPlan(id, p.from, p.to, p.mine(await runningOnVersion(rc.db, id, input.from)), p.mapping, p.versions);
}

export async function migrate(rc: RuntimeContext, actor: Actor, id: string, input: MigrationInput): Promise<{ moved: number; plan: MigrationPlan }> {
  const p = await prepare(rc, actor, id, input);
  return writeTx(rc.db, async (tx) => {
    const plan = buildPlan(id, p.from, p.to, p.mine(await runningOnVersion(tx, id, input.from)), p.mapping, p.versions);
    if (!plan.ok) {
      throw new LvzError('LVZ_RUN_MIGRATION_REFUSED', `有 ${plan.stranded} 件无法迁移，全部未迁移：请在预览中为每个步骤选择新版本的步骤后再执行`, { params: { stranded: plan.instances.filter((i) => i.problem) } });
    }
    await refuseChange(tx, { instanceIds: plan.instances.map((i) => i.instanceId) }, '迁移');
    for (const i of plan.instances) await moveOne(rc, tx, actor, i.instanceId, p.from, p.to, i.target!);
    return { moved: plan.instances.length, plan };
  });
}

async function moveOne(rc: RuntimeContext, tx: Knex, actor: Actor, instanceId: string, from: CompiledWorkflow, to: CompiledWorkflow, target: string): Promise<void> {
  const inst = await lockInstance(tx, instanceId);
  if (!inst || inst.workflowVersion !== from.def.version) throw conflict();
  // On the new version's machine: the target exists there.
  const w = await reenter(rc, tx, inst, to, target, celActor(actor));
  await setWorkflowVersion(tx, inst.id, to.def.version);
  await appendEvent(tx, {
    instanceId: inst.id, at: w.now.toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'instance.migrated', taskId: null,
    fromState: inst.state, toState: w.inst.state,
    payload: { fromVersion: from.def.version, toVersion: to.def.version, label: `第 ${from.def.version} 版 → 第 ${to.def.version} 版` },
  });
}

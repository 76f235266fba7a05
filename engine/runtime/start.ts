// start.ts: start an instance (or save it as a draft at its first step) in one transaction.

import type { Knex } from 'knex';
import { LvzError } from '../errors.ts';
import { validateInput } from '../forms/validate.ts';
import { appendEvent, tasksOfVisit, writeTx } from '../store/process/index.ts';
import type { Actor, CompleteInput, RawInput } from './types.ts';
import { createInstance, persist, contextOf } from './advance.ts';
import { completeInTx } from './complete.ts';
import { stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { accessOf, ensureJsonTypes, mergeData, resolveUploads, stepForm } from './step-input.ts';
import { celActor } from './load.ts';
import { holds, holderOf } from './access.ts';
import { onceIn } from './idempotency.ts';
import type { CompiledWorkflow } from '../dsl/types.ts';

export function ensureStartable(wf: CompiledWorkflow, actor: Actor): void {
  if (!wf.def.starters.some((r) => (actor.roles as string[]).includes(r))) {
    throw new LvzError('LVZ_RUN_NOT_STARTABLE', `您的角色不能发起“${wf.def.title}”：请联系管理员，或由有权限的人员发起`, { params: { workflow: wf.def.id } });
  }
}

/** Draft data: parsed but not validated (a draft may be incomplete), only the step's editable fields. */
async function draftData(rc: RuntimeContext, tx: Knex, wf: CompiledWorkflow, raw: RawInput, current: Record<string, unknown>, actor: Actor, typed?: boolean): Promise<Record<string, unknown>> {
  const g = stateOf(wf, wf.def.initial).tasks[0];
  if (!g) return current;
  const form = stepForm(rc, wf, g);
  const access = accessOf(form, g);
  if (typed) ensureJsonTypes(form, access, raw);
  const resolved = await resolveUploads(tx, form, access, raw, current, [actor.userId]);
  const { data } = validateInput(form, resolved.raw, access, current, await rc.directory(tx));
  return mergeData(current, data);
}

export async function startInstance(rc: RuntimeContext, actor: Actor, workflowId: string, input: CompleteInput & { draft?: boolean }): Promise<{ instanceId: string; taskId?: string; replayed?: boolean }> {
  const wf = workflowOf(rc, workflowId);
  ensureStartable(wf, actor);
  // The submission key is claimed in the same transaction as the instance: both are kept, or neither.
  return writeTx(rc.db, (tx) => onceIn(rc, tx, actor, input.once, `start ${workflowId}`, () => startInTx(rc, tx, actor, wf, input)));
}

async function startInTx(rc: RuntimeContext, tx: Knex, actor: Actor, wf: CompiledWorkflow, input: CompleteInput & { draft?: boolean }): Promise<{ instanceId: string; taskId?: string }> {
  const workflowId = wf.def.id;
  const now = rc.now();
  const data = input.draft ? await draftData(rc, tx, wf, input.input, {}, actor, input.typed) : {};
  const w = await createInstance(rc, tx, { workflowId, initiatorId: actor.userId, initiatorOrg: actor.orgId, data, draft: true, actor: celActor(actor) }, now);
  await persist(w);
  await appendEvent(tx, {
    instanceId: w.inst.id, at: now.toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'instance.started',
    taskId: null, fromState: null, toState: w.inst.state, payload: {},
  });
  const state = w.inst.state;
  const first = (await tasksOfVisit(tx, w.inst.id, state, contextOf(w).visits[state] ?? 1))
    .find((t) => t.status === 'open' && holds(t, holderOf(actor)));
  if (input.draft || !first) return { instanceId: w.inst.id, ...(first && { taskId: first.id }) };
  await completeInTx(rc, tx, actor, first.id, { ...input, version: w.inst.version });
  return { instanceId: w.inst.id };
}

// arrival.ts: why an open task is here again, read from the move that brought its step about: sent
// back by 退回 (who, when, why), moved here by an administrator's 调整办理步骤 (who, when, why), or
// brought back by a transition with a note (附议代表不足十人…).
// One reading for the task page and the lists.

import type { CompiledWorkflow } from '../dsl/types.ts';
import type { EventRow, TaskRow } from '../store/process/index.ts';
import type { Names } from './runtime-context.ts';
import { hidesActor } from './history.ts';
import type { MovedFact, ReturnedFact } from './view-types.ts';

export type Arrival = { returned: ReturnedFact } | { moved: MovedFact } | { cameBack: { note: string; at: string } };

export interface ArrivalViewer {
  roles: readonly string[];
  names: Pick<Names, 'user' | 'userOrg'>;
}

/**
 * `events` are the instance's, in order (all of them, or only its arrivals). Only a step's own open
 * task qualifies, on a later visit, or on any visit an administrator's move made: a 委派 or 加签 task
 * was made by its owner, not by the move.
 */
export function arrivalOf(events: readonly EventRow[], task: TaskRow, wf: CompiledWorkflow, viewer: ArrivalViewer): Arrival | undefined {
  if (task.kind !== 'task' || task.status !== 'open') return undefined;
  // A move may re-enter the step it is in (调整 to the current step): its fromState is that step.
  const arrival = [...events].reverse().find((e) => e.instanceId === task.instanceId && e.toState === task.state
    && (e.fromState !== task.state || e.type === 'instance.moved'));
  if (!arrival) return undefined;
  if (arrival.type === 'instance.moved') {
    return { moved: { byName: viewer.names.user.get(arrival.actorId ?? '') ?? arrival.actorId ?? '', at: arrival.at, reason: typeof arrival.payload.reason === 'string' ? arrival.payload.reason : '' } };
  }
  if (task.visit < 2) return undefined;
  if (arrival.type === 'task.returned') return { returned: returnedFact(arrival, wf, viewer) };
  const note = arrival.payload.note;
  return typeof note === 'string' && note ? { cameBack: { note, at: arrival.at } } : undefined;
}

function returnedFact(e: EventRow, wf: CompiledWorkflow, viewer: ArrivalViewer): ReturnedFact {
  const from = e.fromState ? wf.def.states[e.fromState] : undefined;
  // A back-to-back step hides who sent it back, as its history line does.
  const isHidden = !!from?.tasks.some((g) => hidesActor(g, viewer.roles));
  const id = e.actorId ?? '';
  const org = isHidden ? undefined : viewer.names.userOrg.get(id);
  return {
    byName: e.actorId === null ? '系统' : isHidden ? '匿名' : viewer.names.user.get(id) ?? id,
    ...(org && { byOrg: org }),
    at: e.at,
    reason: typeof e.payload.reason === 'string' ? e.payload.reason : '',
    fromStep: from?.title ?? e.fromState ?? '',
  };
}

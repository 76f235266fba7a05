// monitoring.ts: what an operator of the city's system watches and mends: the timers' backlog and
// the timers that failed to fire (Camunda calls them incidents), with 重试 once the cause is
// fixed. Administrators only, each within their reach (admin-scope.ts): the city's sees every
// district's, a district's admin only the timers of their district's instances (a district
// variant's deadline they fixed, say); another district's timer is not found, as if it did not exist.

import { LvzError } from '../errors.ts';
import {
  appendEvent, failedTimers, retryFailedTimer, timerCounts, timerInitiatorOrg, writeStats, writeTx, type TimerCounts, type WriteStats,
} from '../store/process/index.ts';
import type { Actor } from '../model/actor.ts';
import { stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { adminReach } from './admin-scope.ts';
import { TIMER_ATTEMPTS, timerStats, type TimerStats } from './timer-stats.ts';

export interface FailedTimerView {
  id: string;
  instanceId: string;
  instanceNumber: string;
  instanceTitle: string;
  /** The step it belongs to, by its title. */
  stepTitle: string;
  kind: 'deadline' | 'remind' | 'escalate' | 'report' | 'ballot_close';
  fireAt: string;
  attempts: number;
  lastError: string;
}

export interface TimerOverview {
  counts: TimerCounts;
  /** Counts stop here (shown as 999+). */
  cap: number;
  failed: FailedTimerView[];
  maxAttempts: number;
  /** A district admin's view: the district's name (counts and list are of its instances only). */
  districtName?: string;
}

const COUNT_CAP = 1000;
const LIST_LIMIT = 200;

/** The orgs whose instances' timers the actor sees: undefined for every org (the city's admin). */
async function reachOf(rc: RuntimeContext, actor: Actor): Promise<{ orgs?: string[]; districtName?: string }> {
  const reach = await adminReach(rc.db, actor);
  if (!reach) throw new LvzError('LVZ_AUTH_FORBIDDEN', '定时任务由系统管理员处理：请联系管理员', {});
  return reach.district ? { orgs: reach.district.orgs, districtName: reach.district.name } : {};
}

function stepTitle(rc: RuntimeContext, workflowId: string, version: number, state: string): string {
  try {
    return stateOf(workflowOf(rc, workflowId, version), state).title;
  } catch {
    return state; // a version no longer loaded: the state's id is still a name an admin can find
  }
}

export async function timerOverview(rc: RuntimeContext, actor: Actor): Promise<TimerOverview> {
  const { orgs, districtName } = await reachOf(rc, actor);
  const [counts, failed] = await Promise.all([timerCounts(rc.db, rc.now().toISOString(), COUNT_CAP, orgs), failedTimers(rc.db, LIST_LIMIT, orgs)]);
  return {
    counts, cap: COUNT_CAP, maxAttempts: TIMER_ATTEMPTS, ...(districtName && { districtName }),
    failed: failed.map((t) => ({
      id: t.id, instanceId: t.instanceId, instanceNumber: t.instanceNumber, instanceTitle: t.instanceTitle,
      stepTitle: stepTitle(rc, t.workflowId, t.workflowVersion, t.state), kind: t.kind, fireAt: t.fireAt,
      attempts: t.attempts, lastError: t.lastError ?? '',
    })),
  };
}

/** 重试: the failed timer is due again at once; the instance's history records who asked. */
export async function retryTimer(rc: RuntimeContext, actor: Actor, timerId: string): Promise<void> {
  const { orgs } = await reachOf(rc, actor);
  await writeTx(rc.db, async (tx) => {
    const org = await timerInitiatorOrg(tx, timerId);
    if (org === undefined || (orgs && !orgs.includes(org))) {
      throw new LvzError('LVZ_RUN_NOT_FOUND', '没有找到这个定时任务，或它不在您管理的范围内：请从“定时任务”页面重新选择', { params: { timerId } });
    }
    const t = await retryFailedTimer(tx, timerId);
    if (!t) {
      throw new LvzError('LVZ_RUN_CONFLICT', '这个定时任务已不在故障列表中（可能已被重试或已处理）：请刷新页面查看最新情况', { params: { timerId } });
    }
    await appendEvent(tx, {
      instanceId: t.instanceId, at: rc.now().toISOString(), actorId: actor.userId, onBehalfOf: null, type: 'timer.retried',
      taskId: t.taskId, fromState: t.state, toState: t.state, payload: { timerId: t.id, kind: t.kind, error: t.lastError },
    });
  });
}

/**
 * Numbers for an operator's monitoring (the server's /metrics): this process's counts since it
 * started and the database's timer backlog. Counts only, nothing of any instance, so no actor:
 * the server guards the route.
 */
export interface EngineMetrics {
  writes: WriteStats;
  timers: TimerStats;
  timerBacklog: TimerCounts;
}

export async function engineMetrics(rc: RuntimeContext): Promise<EngineMetrics> {
  return {
    writes: writeStats(rc.db), timers: { ...timerStats(rc) },
    timerBacklog: await timerCounts(rc.reads, rc.now().toISOString(), COUNT_CAP),
  };
}

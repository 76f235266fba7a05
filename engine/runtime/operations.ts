// operations.ts: what an operator of the city's system watches and mends: the timers' backlog and
// the timers that failed to fire (Camunda calls them incidents), with 重试 once the cause is
// fixed. City administrators only: the list names instances of every district.

import { LvzError } from '../errors.ts';
import {
  appendEvent, failedTimers, retryFailedTimer, timerCounts, writeStats, writeTx, type TimerCounts, type WriteStats,
} from '../store/process/index.ts';
import type { Actor } from './types.ts';
import { stateOf, workflowOf, type RuntimeContext } from './context.ts';
import { ensureAdmin, orgTree } from './studio/access.ts';
import { TIMER_ATTEMPTS, timerStats, type TimerStats } from './fire-timers.ts';

export interface FailedTimerView {
  id: string;
  instanceId: string;
  instanceNumber: string;
  instanceTitle: string;
  /** The step it belongs to, by its title. */
  stepTitle: string;
  kind: 'deadline' | 'remind' | 'escalate';
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
}

const COUNT_CAP = 1000;
const LIST_LIMIT = 200;

async function ensureCityAdmin(rc: RuntimeContext, actor: Actor): Promise<void> {
  ensureAdmin(actor);
  const orgs = await orgTree(rc.db);
  if (orgs.districtOf(actor.orgId) !== undefined) {
    throw new LvzError('LVZ_AUTH_FORBIDDEN', '定时任务由市人大常委会的系统管理员处理：请联系市级管理员', {});
  }
}

function stepTitle(rc: RuntimeContext, workflowId: string, version: number, state: string): string {
  try {
    return stateOf(workflowOf(rc, workflowId, version), state).title;
  } catch {
    return state; // a version no longer loaded: the state's id is still a name an admin can find
  }
}

export async function timerOverview(rc: RuntimeContext, actor: Actor): Promise<TimerOverview> {
  await ensureCityAdmin(rc, actor);
  const [counts, failed] = await Promise.all([timerCounts(rc.db, rc.now().toISOString(), COUNT_CAP), failedTimers(rc.db, LIST_LIMIT)]);
  return {
    counts, cap: COUNT_CAP, maxAttempts: TIMER_ATTEMPTS,
    failed: failed.map((t) => ({
      id: t.id, instanceId: t.instanceId, instanceNumber: t.instanceNumber, instanceTitle: t.instanceTitle,
      stepTitle: stepTitle(rc, t.workflowId, t.workflowVersion, t.state), kind: t.kind, fireAt: t.fireAt,
      attempts: t.attempts, lastError: t.lastError ?? '',
    })),
  };
}

/** 重试: the failed timer is due again at once; the instance's history records who asked. */
export async function retryTimer(rc: RuntimeContext, actor: Actor, timerId: string): Promise<void> {
  await ensureCityAdmin(rc, actor);
  await writeTx(rc.db, async (tx) => {
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

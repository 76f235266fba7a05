// children.ts: what a step's `spawn:` asks of the rows (docs/spawn.md): the list its `each:` gives,
// the parent's list of its children with their results, whether its wait is over, and the report a
// child writes for its parent when it ends. Starting the children is start.ts's; taking a report is
// report.ts's.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { CompiledWorkflow, SpawnDef } from '../../../dsl/types.ts';
import { LvzError } from '../../../errors.ts';
import type { InstanceRow, InstanceStatus, TimerRow } from '../../../store/process/index.ts';
import type { SpawnedStep } from '../../../runtime/view-types.ts';

const ENDED: ReadonlySet<InstanceStatus> = new Set(['completed', 'cancelled', 'terminated']);

export function isEnded(status: InstanceStatus): boolean {
  return ENDED.has(status);
}

/** The zh-CN word for how a child ended (or that it runs), for the history and the page. */
export function statusWord(status: InstanceStatus): string {
  return { completed: '已办结', cancelled: '已撤销', terminated: '已终止', active: '办理中', draft: '草稿' }[status];
}

/**
 * Children one entry of a step may start: each is an instance written in the entering transaction and
 * each report rebuilds the step's list, so a body of thousands belongs in a group step (group-steps.md).
 */
export const MAX_SPAWN = 500;

/**
 * What `each:` evaluated to, as the items to start children for: nothing (null, '', a field never
 * filled) is none; more than MAX_SPAWN is refused before anything is started.
 */
export function spawnItems(evaluate: () => unknown, stepTitle: string): unknown[] {
  let v: unknown;
  try {
    v = evaluate();
  } catch (err) {
    if (err instanceof LvzError && err.code === 'LVZ_EXPR_EVAL' && /no such key/i.test(err.message)) return [];
    throw err;
  }
  if (v === null || v === undefined || v === '') return [];
  const items = Array.isArray(v) ? v : [v];
  if (items.length > MAX_SPAWN) {
    throw new LvzError('LVZ_RUN_SPAWN_TOO_MANY',
      `“${stepTitle}”要为每一项各启动一个子流程，但列表有 ${items.length} 项，超过一步最多 ${MAX_SPAWN} 项：请减少所选的项目后重新提交；如需面向更多人，请联系管理员改用群体办理步骤`,
      { params: { count: items.length, max: MAX_SPAWN } });
  }
  return items;
}

/**
 * The parent's `as` list: one entry per child, in `each:` order, with the `results` fields copied
 * from a child that has ended (null while it runs, so a guard can read every key).
 */
export function entriesOf(spec: SpawnDef, children: readonly InstanceRow[]): Record<string, unknown>[] {
  return children.map((c, i) => {
    const ended = isEnded(c.status);
    const results = Object.fromEntries(Object.entries(spec.results ?? {}).map(([key, field]) => [key, ended ? (c.data[field] ?? null) : null]));
    return {
      index: c.spawnedBy?.item ?? i, instance: c.id, number: c.number, title: c.title, state: c.state, status: c.status, ...results,
    };
  });
}

/**
 * `wait: all`: every child has ended, however. `wait: any`: one has completed, or every one has
 * ended without (so the step never hangs on children that were all withdrawn). No children: over.
 */
export function isWaitOver(wait: 'all' | 'any', children: readonly InstanceRow[]): boolean {
  if (wait === 'any' && children.some((c) => c.status === 'completed')) return true;
  return children.every((c) => isEnded(c.status));
}

/** Whether the parent's `as` list already shows this child ended (the step was left with it counted). */
export function isCounted(list: unknown, childId: string): boolean {
  return Array.isArray(list) && list.some((e) => {
    const entry = e as { instance?: unknown; status?: unknown } | null;
    return entry?.instance === childId && typeof entry.status === 'string' && isEnded(entry.status as InstanceStatus);
  });
}

/**
 * The report-back a child that just ended writes in its own transaction: a timer on its parent, due
 * at once (fire-timers.ts takes it, or a later tick after a crash), for the step visit that started it.
 */
export function reportTimer(child: InstanceRow, status: InstanceStatus, now: Date): TimerRow {
  const by = child.spawnedBy!;
  return {
    id: randomUUID(), instanceId: child.parentId!, taskId: null, state: by.state, visit: by.visit, kind: 'report',
    fireAt: now.toISOString(), status: 'pending', payload: { child: child.id, number: child.number, status },
    leaseOwner: null, leaseUntil: null, firedAt: null, attempts: 0, lastError: null,
  };
}

/** Whether a child belongs to a step that lists its children (`as`): the one-child form's child is 关联事项 only. */
export function isListed(wf: CompiledWorkflow, child: InstanceRow): boolean {
  return !!child.spawnedBy && !!wf.def.states[child.spawnedBy.state]?.spawn?.as;
}

/** The instance page's children, by the step visit that started them, in start order; `stepTitle` names the step a child is at. */
export function spawnedSteps(parent: InstanceRow, wf: CompiledWorkflow, children: readonly InstanceRow[], stepTitle: (child: InstanceRow) => string): SpawnedStep[] {
  const steps = new Map<string, SpawnedStep>();
  const running = !isEnded(parent.status);
  for (const c of children) {
    if (!isListed(wf, c)) continue;
    const { state, visit } = c.spawnedBy!;
    const key = `${state}#${visit}`;
    let step = steps.get(key);
    if (!step) {
      const s = wf.def.states[state]!;
      step = {
        stepTitle: s.title, wait: s.spawn!.wait ?? 'none', children: [],
        isCurrent: running && parent.state === state && (parent.snapshot.visits[state] ?? 0) === visit,
      };
      steps.set(key, step);
    }
    step.children.push({ instanceId: c.id, number: c.number, title: c.title, stepTitle: stepTitle(c), status: c.status });
  }
  return [...steps.values()];
}

/** Whether the operation running now wrote a child's report (persist notes it). */
const reporting = new AsyncLocalStorage<{ wrote: boolean }>();

export function noteReportWritten(): void {
  const mark = reporting.getStore();
  if (mark) mark.wrote = true;
}

/**
 * Runs one engine operation; when it wrote a child's report and has committed, `wake` asks the timer
 * loop to tick now, so the parent hears at once rather than at the next interval. Nothing depends on
 * the wake: the report is a row, and a tick that misses it takes it on the next.
 */
export async function wakingOnReports<T>(run: () => Promise<T>, wake: () => void): Promise<T> {
  const mark = { wrote: false };
  const result = await reporting.run(mark, run);
  if (mark.wrote) wake();
  return result;
}

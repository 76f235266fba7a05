// progress.ts: 办理进度 of a group step (docs/group-steps.md "Progress view"): the totals from the
// counts row, per unit from tasks_group_idx (one grouped read), and one unit's members a page at a
// time. Names follow anonymous_to; the counts are shown to everyone who sees the instance.

import type { Knex } from 'knex';
import type { CompiledWorkflow } from '../../../dsl/types.ts';
import { getGroupCounts, membersOfUnit, progressByUnit, type InstanceRow } from '../../../store/process/index.ts';
import type { Actor } from '../../../model/actor.ts';
import type { GroupProgress, ProgressQuery } from '../../../runtime/view-types.ts';
import type { Names } from '../../../runtime/runtime-context.ts';
import { stateOf } from '../../../runtime/runtime-context.ts';
import { hidesActor } from '../../../runtime/history.ts';
import { countedGroup } from './closed.ts';

export const MEMBERS_PAGE = 50;

/** The group step the instance rests at, as the page shows it; undefined at any other step. */
export async function groupProgress(db: Knex, actor: Actor, inst: InstanceRow, wf: CompiledWorkflow, names: Names, q: ProgressQuery = {}): Promise<GroupProgress | undefined> {
  const s = stateOf(wf, inst.state);
  const g = countedGroup(s);
  if (!g) return undefined;
  const key = { instanceId: inst.id, state: s.name, visit: inst.snapshot.visits[s.name] ?? 1, grp: g.id };
  const counts = await getGroupCounts(db, key);
  if (!counts) return undefined;
  const unitName = (u: string | null): string => (u ? names.org.get(u) ?? u : '（未归属单位）');
  const units = (await progressByUnit(db, key))
    .map((u) => ({ unit: u.unit ?? '', name: unitName(u.unit), total: u.open + u.done + u.cancelled, done: u.done, open: u.open, isExpanded: (u.unit ?? '') === q.unit }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const isRunning = inst.status === 'active' && !counts.closedAt;
  const progress: GroupProgress = {
    stepTitle: s.title, total: counts.total, done: counts.done, open: counts.open,
    outcomes: g.outcomes.map((o, i) => ({ id: o.id, label: o.label, count: counts.outcomes[i] ?? 0 })),
    ...(counts.closedHow && { closedHow: counts.closedHow }),
    units,
    canClose: isRunning && (g.close_by ?? []).some((r) => actor.roles.includes(r as never)),
  };
  const expanded = units.find((u) => u.isExpanded);
  if (expanded) {
    const hidden = hidesActor(g, actor.roles);
    const page = Math.max(1, Math.floor(q.page ?? 1));
    const r = await membersOfUnit(db, key, expanded.unit || null, page, MEMBERS_PAGE);
    const label = new Map(g.outcomes.map((o) => [o.id, o.label]));
    progress.members = {
      unit: expanded.unit, name: expanded.name, page, total: r.total, pages: Math.max(1, Math.ceil(r.total / MEMBERS_PAGE)),
      rows: r.rows.map((m) => ({
        name: hidden ? '匿名' : m.assigneeId ? names.user.get(m.assigneeId) ?? m.assigneeId : m.orgId ? names.org.get(m.orgId) ?? m.orgId : '',
        status: m.status === 'done' ? 'done' : m.status === 'cancelled' ? 'cancelled' : 'open',
        ...(m.outcome && { outcome: label.get(m.outcome) ?? m.outcome }),
        ...(m.completedAt && { completedAt: m.completedAt }),
      })),
    };
  }
  return progress;
}

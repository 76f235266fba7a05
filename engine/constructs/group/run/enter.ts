// enter.ts: entering a group step (docs/group-steps.md "Storage"): the selector resolved from the
// directory snapshot once, one task per member written in one statement, and the counts row.
// Who was asked is fixed here: the task rows are the list.

import { randomUUID } from 'node:crypto';
import type { StateDef, TaskGroupDef } from '../../../dsl/types.ts';
import { LvzError } from '../../../errors.ts';
import type { Selector } from '../../../model/selector.ts';
import { insertGroupCounts, insertGroupTasks } from '../../../store/process/index.ts';
import { celVars, exprOf } from '../../../runtime/machine.ts';
import { selectMembers, type SelectorValues } from '../../../runtime/directory/select.ts';
import type { Due, EnterInput } from '../../../runtime/working.ts';

type GroupEntry = EnterInput;

function districtOf(sel: Selector): string | undefined {
  if ('role' in sel) return sel.district;
  if ('deputies' in sel) return sel.deputies.district;
  if ('orgs' in sel) return sel.orgs.district;
  return undefined;
}

/** The selector's expressions, evaluated once over the record (a field never filled: nothing). */
function valuesOf(e: GroupEntry, sel: Selector): SelectorValues {
  const run = (src: string): unknown => exprOf(e.wf, src).evaluate(celVars(e.ctx, e.event), { directory: e.dir });
  const out: SelectorValues = {};
  const d = districtOf(sel);
  if (d !== undefined) {
    const v = run(d);
    out.district = typeof v === 'string' && v ? v : null;
  }
  if ('each' in sel) {
    const v = run(sel.each);
    out.list = Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v];
  }
  return out;
}

/** Writes the group's tasks and counts; returns how many were asked (LVZ_RUN_UNASSIGNED when nobody). */
export async function enterGroup(e: GroupEntry, s: StateDef, g: TaskGroupDef, visit: number, due: Due | undefined): Promise<number> {
  const sel = g.to!;
  const dir = e.dir ?? await e.rc.snapshot(e.tx);
  const members = selectMembers(sel, valuesOf({ ...e, dir }, sel), dir);
  if (members.length === 0) {
    throw new LvzError('LVZ_RUN_UNASSIGNED', `“${s.title}”要征求的对象在通讯录中一个也没有（都已停用，或所选范围为空）：请管理员核对通讯录后再提交`, { params: { state: s.name } });
  }
  const key = { instanceId: e.instanceId, state: s.name, visit, grp: g.id };
  await insertGroupTasks(e.tx, {
    ...key, title: g.title ?? s.title, role: g.role ?? null, createdAt: e.now.toISOString(),
    dueAt: due ? due.at.toISOString() : null, dueProvisional: due?.provisional ?? false,
  }, members.map((m) => ({ id: randomUUID(), ...m })));
  await insertGroupCounts(e.tx, key, members.length);
  return members.length;
}

// start.ts: `spawn:` on entry (docs/spawn.md): one child (一个被否决的议案转为建议), or one per item of
// `each:`, each with its data worked out from this record (and `item`, `index`), started in the entering
// transaction; the `as` list records them for the page and the wait.

import type { SpawnDef, StateDef } from '../../../dsl/types.ts';
import { appendEvent, childrenOfStep, type InstanceRow } from '../../../store/process/index.ts';
import type { Moves } from '../../../runtime/construct-run.ts';
import { celVars, exprOf } from '../../../runtime/machine.ts';
import { contextOf, setData, type Working } from '../../../runtime/working.ts';
import { entriesOf, isWaitOver, spawnItems } from './children.ts';

export async function startChildren(spec: SpawnDef, w: Working, s: StateDef, moves: Moves): Promise<void> {
  const ctx = contextOf(w);
  const directory = await moves.directoryOf(w);
  const visit = ctx.visits[s.name] ?? 1;
  const items = spec.each === undefined ? [undefined] : spawnItems(() => exprOf(w.wf, spec.each!).evaluate(celVars(ctx), { directory }), s.title);
  const made: InstanceRow[] = [];
  for (const [i, item] of items.entries()) {
    const vars = celVars(ctx, undefined, spec.each === undefined ? {} : { item, index: i });
    const data: Record<string, unknown> = {};
    for (const [field, src] of Object.entries(spec.data)) data[field] = exprOf(w.wf, src).evaluate(vars, { directory });
    const child = await moves.createInstance(w.rc, w.tx, {
      workflowId: spec.workflow, initiatorId: w.inst.initiatorId, initiatorOrg: w.inst.initiatorOrg, data, parentId: w.inst.id,
      spawnedBy: { state: s.name, visit, item: spec.each === undefined ? null : i },
    }, w.now);
    await moves.persist(child);
    await appendEvent(w.tx, {
      instanceId: child.inst.id, at: w.now.toISOString(), actorId: null, onBehalfOf: null, type: 'instance.started',
      taskId: null, fromState: null, toState: child.inst.state,
      payload: { parentId: w.inst.id, parentWorkflow: w.wf.def.id, ...(spec.each !== undefined && { item: i }) },
    });
    w.children.push({ id: child.inst.id, workflowId: spec.workflow });
    made.push(child.inst);
  }
  if (spec.as) setData(w, { ...contextOf(w).data, [spec.as]: entriesOf(spec, made) });
}

/** The step's children as they are now: its `as` list brought up to date, and whether its wait is over. */
export async function isWaitOverNow(spec: SpawnDef, w: Working, s: StateDef): Promise<boolean> {
  const children = await childrenOfStep(w.tx, w.inst.id, s.name, contextOf(w).visits[s.name] ?? 1);
  if (spec.as) setData(w, { ...contextOf(w).data, [spec.as]: entriesOf(spec, children) });
  return isWaitOver(spec.wait!, children);
}

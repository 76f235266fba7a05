// enter.ts: entering a `ballot:` step makes its sitting (one ballot, or one per item), with the
// electorate fixed from the directory; leaving it drops ballots never opened and refuses while one is open.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { LvzError } from '../../../errors.ts';
import type { StateDef } from '../../../dsl/types.ts';
import { dropDraftBallots, insertBallots, openBallotIds, openBallotsOfWorkflow, type NewBallot } from '../../../store/process/index.ts';
import type { EnterInput } from '../../../runtime/working.ts';
import { celVars, exprOf } from '../../../runtime/machine.ts';
import { selectMembers, type SelectorValues } from '../../../runtime/directory/select.ts';
import type { Selector } from '../../../model/selector.ts';
import type { DirectorySnapshot } from '../../../runtime/directory/snapshot.ts';
import type { StoredBallot } from './stored.ts';
import * as ballotCore from '../index.ts';
const { coreBallot } = ballotCore;
type BallotStepDef = ballotCore.BallotStepDef;
type ElectorateSelector = ballotCore.ElectorateSelector;

function evalIn(e: EnterInput, dir: DirectorySnapshot, src: string, item?: unknown): unknown {
  return exprOf(e.wf, src).evaluate(celVars(e.ctx, e.event, item === undefined ? {} : { item }), { directory: dir });
}

/** The electorate's selector (the shapes group steps use) and its expressions' values, evaluated once. */
function resolved(e: EnterInput, dir: DirectorySnapshot, sel: ElectorateSelector): { selector: Selector; values: SelectorValues } {
  const text = (src: string | undefined): string | null | undefined => {
    if (src === undefined) return undefined;
    const v = evalIn(e, dir, src);
    return typeof v === 'string' && v !== '' ? v : null;
  };
  if ('group' in sel) return { selector: sel, values: {} };
  if ('role' in sel) return { selector: sel, values: { district: text(sel.district) } };
  if ('deputies' in sel) return { selector: sel as Selector, values: { district: text(sel.deputies.district) } };
  const v = evalIn(e, dir, sel.each);
  return { selector: { each: sel.each, as: 'person' }, values: { list: Array.isArray(v) ? v : [v] } };
}

function unassigned(s: StateDef, what: string): LvzError {
  return new LvzError('LVZ_RUN_UNASSIGNED', `“${s.title}”的表决没有得出${what}：请联系管理员检查这一步的表决设置（electorate、items）`, { params: { state: s.name } });
}

/** The items and their titles: one entry (no title) without `items:`. */
function itemsOf(e: EnterInput, dir: DirectorySnapshot, s: StateDef, def: BallotStepDef): { title: string | null }[] {
  if (!def.items) return [{ title: null }];
  const v = evalIn(e, dir, def.items);
  const list = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
  if (list.length === 0) throw unassigned(s, '表决事项（items 为空）');
  return list.map((item, i) => {
    const t = def.item_title ? evalIn(e, dir, def.item_title, item) : (item as { name?: unknown } | null)?.name ?? item;
    return { title: typeof t === 'string' && t ? t.slice(0, 200) : `第 ${i + 1} 项` };
  });
}

/** The sitting for the step the instance now rests in; its electorate and items are fixed here. */
export async function createBallots(e: EnterInput, s: StateDef): Promise<void> {
  const def = s.ballot!;
  const dir = e.dir ?? await e.rc.snapshot(e.tx);
  const { selector, values } = resolved(e, dir, def.electorate);
  const electorate = [...new Set(selectMembers(selector, values, dir).map((m) => m.assigneeId).filter((id): id is string => id !== null))].sort();
  if (electorate.length === 0) throw unassigned(s, '表决人（应到人数为 0）');
  const setId = randomUUID();
  const rows: NewBallot[] = itemsOf(e, dir, s, def).map((it, i) => {
    const id = randomUUID();
    const stored: StoredBallot = {
      ballot: coreBallot(def, id, electorate.length), title: def.title ?? s.title, stepTitle: s.title,
      results: def.results, chair: def.chair, ...(def.closes && { closesAfter: def.closes.after }),
    };
    return {
      id, setId, instanceId: e.instanceId, state: s.name, visit: e.ctx.visits[s.name] ?? 1, key: def.id,
      itemIndex: def.items ? i + 1 : null, itemTitle: it.title, kind: def.kind, secret: def.secret, definition: stored,
      members: electorate.length, createdAt: e.now.toISOString(),
    };
  });
  await insertBallots(e.tx, rows, electorate);
}

/** An open ballot's rules are frozen: the instance may not leave its step, move, or migrate. */
export async function ensureNoOpenBallot(tx: Knex, instanceIds: readonly string[], what: string): Promise<void> {
  const open = await openBallotIds(tx, instanceIds);
  if (open.length > 0) {
    throw new LvzError('LVZ_BALLOT_IN_PROGRESS', `正在表决中（表决规则已冻结），不能${what}：请待主持人宣布表决结束后再操作`, { params: { ballots: open } });
  }
}

/** Publishing a new version of a workflow while one of its instances has an open ballot is refused. */
export async function ensureNoBallotOfWorkflow(tx: Knex, workflowId: string): Promise<void> {
  const open = await openBallotsOfWorkflow(tx, workflowId);
  if (open.length > 0) {
    throw new LvzError('LVZ_BALLOT_IN_PROGRESS', `这个流程有 ${open.length} 项表决正在进行（表决规则已冻结），暂不能发布新版本：请待表决结束后再发布`, { params: { ballots: open } });
  }
}

/** Leaving a step: an open ballot refuses it; ballots never opened go (nothing of them was frozen). */
export async function leaveBallots(tx: Knex, instanceId: string, state: string): Promise<void> {
  await ensureNoOpenBallot(tx, [instanceId], '离开表决步骤');
  await dropDraftBallots(tx, instanceId, state);
}

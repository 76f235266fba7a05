// disable.ts: 停用 and 启用 a workflow. A disabled workflow is offered to nobody and every start of it
// (page or API) is refused by the engine with LVZ_RUN_WORKFLOW_DISABLED, while its running instances
// carry on to the end. Disabling a city workflow also stops its districts' customisations (they are
// the same process, adapted). Who and when go into definition_audit; a second click changes nothing.

import { LvzError } from '../../errors.ts';
import type { CompiledWorkflow } from '../../dsl/types.ts';
import {
  disableWorkflow, disabledWorkflows, enableWorkflow, getStub, insertAudit, latestDefinition, writeTx,
} from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { canEdit, ensureAdmin, orgTree } from './access.ts';
import { titleOf } from './publish.ts';

/** The ids whose being disabled stops `wf`: itself and the city workflow it customises. */
function idsOf(wf: CompiledWorkflow): string[] {
  return wf.def.parent ? [wf.def.id, wf.def.parent.id] : [wf.def.id];
}

export async function ensureEnabled(rc: RuntimeContext, wf: CompiledWorkflow): Promise<void> {
  const off = await disabledWorkflows(rc.db, idsOf(wf));
  if (off.size === 0) return;
  throw new LvzError('LVZ_RUN_WORKFLOW_DISABLED',
    `“${wf.def.title}”已停用，不再受理新的发起；已在办理中的件照常办理。如需发起，请联系管理员在流程定义管理中启用`,
    { params: { workflow: wf.def.id } });
}

/** Drops the disabled workflows from a list (one query for all of them). */
export async function withoutDisabled(rc: RuntimeContext, wfs: CompiledWorkflow[]): Promise<CompiledWorkflow[]> {
  const off = await disabledWorkflows(rc.db);
  return off.size === 0 ? wfs : wfs.filter((wf) => !idsOf(wf).some((id) => off.has(id)));
}

/**
 * 停用 (`enabled` false) or 启用 (true). The city's admins for every workflow; a district's admin for
 * the district's own customisations only (LVZ_AUTH_FORBIDDEN otherwise). `changed` is false when
 * it already was so (a second click, a replayed post): nothing is written then.
 */
export async function setEnabled(rc: RuntimeContext, actor: Actor, id: string, enabled: boolean): Promise<{ changed: boolean; disabled: boolean }> {
  ensureAdmin(actor);
  const row = await latestDefinition(rc.db, 'workflow', id);
  if (!row) {
    if (await getStub(rc.db, 'workflow', id)) throw new LvzError('LVZ_RUN_BAD_REQUEST', `流程“${id}”还没有发布，没有人能发起它，无需停用`, { params: { id } });
    throw new LvzError('LVZ_RUN_NOT_FOUND', `没有找到流程“${id}”：请从流程定义列表进入`, { params: { kind: 'workflow', id } });
  }
  const orgs = await orgTree(rc.db);
  if (!canEdit(actor, row.owner, orgs)) {
    const mine = orgs.districtOf(actor.orgId)!;
    throw new LvzError('LVZ_AUTH_FORBIDDEN',
      `您是${orgs.name(mine)}的管理员，只能停用或启用本区的流程；“${titleOf(row)}”归${orgs.name(row.owner ?? 'city')}所有，请联系其管理员`,
      { params: { owner: row.owner ?? 'city', district: mine } });
  }
  const at = rc.now().toISOString();
  const changed = await writeTx(rc.db, async (tx) => {
    const did = enabled ? await enableWorkflow(tx, id) : await disableWorkflow(tx, id, actor.userId, at);
    if (did) await insertAudit(tx, { kind: 'workflow', id, action: enabled ? 'enable' : 'disable', actorId: actor.userId, at, note: null });
    return did;
  });
  return { changed, disabled: !enabled };
}

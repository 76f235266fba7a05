// create.ts: a district starts customising a city workflow in the browser. createDistrict writes
// `<district>-<cityId>` as version 1: a short file that extends the city's workflow and overrides
// nothing yet, checked and stored like any publish (author, time, message 创建本区定制). A district's
// admin creates only for his own district; a city admin names the district.

import { createHash } from 'node:crypto';
import { LvzError } from '../../errors.ts';
import { insertDefinition, isUniqueViolation, latestDefinition, writeTx, type DefinitionRow } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { canEdit, ensureAdmin, orgTree, type OrgTree } from './access.ts';
import { checkWorkflowText, studioContext, type StudioContext } from './check.ts';
import { extendersOf, extendsOf } from './districts.ts';
import { invalid, titleOf } from './publish.ts';
import { installWorkflow } from './registry.ts';
import type { DistrictOption, PublishResult } from './types.ts';

export const CREATE_MESSAGE = '创建本区定制';

/** 临淄区人大常委会 -> 临淄区. */
function shortName(orgs: OrgTree, district: string): string {
  return orgs.name(district).replace(/人大常委会$/, '');
}

/** A YAML scalar for a title: plain when it is safe, quoted otherwise. */
export function scalar(s: string): string {
  return /^[^\s'"{}[\],&*!|>%@`#:?-][^:#'"{}[\],]*$/.test(s) && s === s.trim() ? s : JSON.stringify(s);
}

export function districtText(id: string, cityId: string, district: string, title: string): string {
  return [
    '# yaml-language-server: $schema=../../schema/workflow-district.schema.json',
    `id: ${id}`,
    'version: 1',
    `extends: ${cityId}`,
    `owner: ${district}`,
    `title: ${scalar(title)}`,
    '# Override only what differs, e.g.:',
    '# states:',
    '#   review:',
    '#     deadline: { after: 5 working days }',
    '',
  ].join('\n');
}

function isDistrictDefinition(row: DefinitionRow, orgs: OrgTree): boolean {
  return extendsOf(row) !== undefined || !!row.parentId || orgs.districtOf(row.owner) !== undefined;
}

/** The district's existing customisation of `cityId`: `<district>-<cityId>` or any of its definitions extending it. */
function existingFor(ctx: StudioContext, orgs: OrgTree, cityId: string, district: string): DefinitionRow | undefined {
  return ctx.latest.get(`${district}-${cityId}`) ?? extendersOf(ctx, cityId).find((r) => orgs.districtOf(r.owner) === district);
}

function conflict(orgs: OrgTree, district: string, row: DefinitionRow): LvzError {
  return new LvzError('LVZ_RUN_CONFLICT',
    `${shortName(orgs, district)}已有该流程的定制“${titleOf(row)}”（${row.id}）：请打开 /admin/workflows/${row.id} 修改它，不必重新创建`,
    { params: { id: row.id, district, editor: `/admin/workflows/${row.id}` } });
}

function cityRowOf(row: DefinitionRow | undefined, cityId: string, orgs: OrgTree): DefinitionRow {
  if (!row) throw new LvzError('LVZ_RUN_NOT_FOUND', `没有找到流程“${cityId}”：请从流程定义列表进入`, { params: { kind: 'workflow', id: cityId } });
  if (isDistrictDefinition(row, orgs)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `“${titleOf(row)}”本身是区里的定制，不能再定制：请打开它所定制的市里流程`, { params: { id: cityId } });
  }
  return row;
}

/** The districts the actor may start a customisation of `cityId` for (none when it is itself a district's). */
export async function districtOptions(rc: RuntimeContext, actor: Actor, cityId: string): Promise<DistrictOption[]> {
  ensureAdmin(actor);
  const orgs = await orgTree(rc.db);
  const ctx = await studioContext(rc);
  const row = ctx.latest.get(cityId);
  if (!row || isDistrictDefinition(row, orgs)) return [];
  return [...orgs.byId.values()]
    .filter((o) => o.kind === 'district' && canEdit(actor, o.id, orgs) && !existingFor(ctx, orgs, cityId, o.id))
    .map((o) => ({ district: o.id, name: o.name, id: `${o.id}-${cityId}` }));
}

export async function createDistrict(rc: RuntimeContext, actor: Actor, cityId: string, district?: string): Promise<PublishResult> {
  ensureAdmin(actor);
  const orgs = await orgTree(rc.db);
  const mine = orgs.districtOf(actor.orgId);
  const target = district || mine;
  if (mine !== undefined && target !== mine) {
    throw new LvzError('LVZ_AUTH_FORBIDDEN',
      `您是${orgs.name(mine)}的管理员，只能为本区创建定制；${orgs.name(target!)}的定制请由其管理员创建`, { params: { district: target, mine } });
  }
  if (!target || orgs.byId.get(target)?.kind !== 'district') {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '请选择要创建定制的区', { params: { district: target ?? null } });
  }
  const ctx = await studioContext(rc);
  const city = cityRowOf(ctx.latest.get(cityId), cityId, orgs);
  const existing = existingFor(ctx, orgs, cityId, target);
  if (existing) throw conflict(orgs, target, existing);
  const id = `${target}-${cityId}`;
  const text = districtText(id, cityId, target, `${titleOf(city)}（${shortName(orgs, target)}）`);
  const checked = checkWorkflowText(ctx, id, text);
  if (!checked.result.ok || !checked.workflow) throw invalid(checked.result);
  const def = checked.workflow.def;
  const stored = checked.result.effectiveText ?? text;
  const row: DefinitionRow = {
    kind: 'workflow', id, version: 1, text: stored, hash: createHash('sha256').update(stored).digest('hex'), createdAt: rc.now().toISOString(),
    authorId: actor.userId, message: CREATE_MESSAGE, owner: target,
    sourceText: text, parentId: def.parent?.id ?? null, parentVersion: def.parent?.version ?? null,
  };
  await writeTx(rc.db, async (tx) => {
    const cur = await latestDefinition(tx, 'workflow', id);
    if (cur) throw conflict(orgs, target, cur);
    try {
      await insertDefinition(tx, row);
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(orgs, target, row);
      throw e;
    }
  });
  installWorkflow(rc, checked.workflow);
  return { kind: 'workflow', id, version: 1, districts: [] };
}

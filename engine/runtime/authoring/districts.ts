// districts.ts: district customisation in the studio and at run time: which districts extend a
// city workflow, whether their overrides still apply to the city's newest version (checkOverrides
// plus a full compile), their differences from the city's, and which version a user is offered.
//
// Who starts a district's version: a definition whose `owner` is a district is offered to users whose
// org is that district or under it (its towns), and replaces the city's workflow it extends in their
// start list. A delegation (代表团) groups the city's own deputies elected in a district, so its members
// are offered the city's version. Anyone else starting a district's workflow gets LVZ_RUN_NOT_STARTABLE.

import { diffFromParent } from '../../dsl/diff.ts';
import { checkOverrides, parseExtends } from '../../dsl/extends.ts';
import { parseSource } from '../../yaml/source.ts';
import type { CompiledWorkflow } from '../../dsl/types.ts';
import { LvzError } from '../../errors.ts';
import type { DefinitionRow } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import type { OrgTree } from './access.ts';
import { checkWorkflowText, editableText, fileOf, findingOf, type StudioContext } from './check.ts';
import type { DistrictDifference, DistrictStatus, StudioFinding } from './types.ts';

/** Newest rows of the workflows whose own text extends `cityId`. */
export function extendersOf(ctx: StudioContext, cityId: string): DefinitionRow[] {
  return [...ctx.latest.values()].filter((r) => r.sourceText && extendsOf(r)?.id === cityId);
}

export function extendsOf(row: DefinitionRow): { id: string; version?: number } | undefined {
  if (!row.sourceText) return undefined;
  const v = parseSource(row.sourceText, row.id).source.value as Record<string, unknown> | undefined;
  return parseExtends(v?.extends);
}

/**
 * Whether a district's newest text still applies to the city's newest version (ctx.parents), or to
 * a pinned one. `previous` is the city version it was last merged from, so an override of a step the
 * city dropped is a conflict whatever its shape.
 */
export function districtStatus(ctx: StudioContext, row: DefinitionRow, orgs: OrgTree): DistrictStatus {
  const text = editableText(row);
  const ext = extendsOf(row);
  const file = fileOf('workflow', row.id);
  const findings: StudioFinding[] = [];
  const check = checkWorkflowText(ctx, row.id, text);
  findings.push(...check.result.errors);
  if (ext && ext.version === undefined) {
    const child = parseSource(text, file).source;
    const city = ctx.parents.get(ext.id);
    const prev = row.parentVersion ? ctx.parents.get(`${ext.id}@${row.parentVersion}`) : undefined;
    if (city) {
      const errs = checkOverrides(child, parseSource(city.text, city.file).source, prev ? parseSource(prev.text, prev.file).source : undefined);
      for (const e of errs) {
        const f = findingOf(e, file);
        if (!findings.some((x) => x.line === f.line && x.code === f.code)) findings.push(f);
      }
    }
  }
  const title = check.workflow?.def.title ?? row.id;
  return {
    id: row.id, title, ownerName: orgs.name(row.owner ?? 'city'),
    ...(ext?.version !== undefined && { pinnedTo: ext.version }),
    ...(row.parentVersion != null && { basedOn: row.parentVersion }),
    status: findings.some((f) => f.severity === 'error') ? 'conflict' : 'ok',
    findings,
  };
}

function show(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The district's effective definition (as it would be merged now) against the city's newest. */
export function differencesOf(ctx: StudioContext, district: CompiledWorkflow | undefined, cityId: string): DistrictDifference[] {
  const city = ctx.latest.get(cityId);
  if (!district || !city) return [];
  const cityValue = parseSource(city.text, city.id).source.value;
  return diffFromParent(district.source.value, cityValue).map((d) => ({
    path: d.path, kind: d.kind, ...(show(d.from) !== undefined && { from: show(d.from) }), ...(show(d.to) !== undefined && { to: show(d.to) }),
  }));
}

/** The district a workflow is owned by, if any. */
export function ownerDistrict(wf: CompiledWorkflow, orgs: OrgTree): string | undefined {
  return orgs.districtOf(wf.def.owner);
}

/** The workflows an actor may start, with a district's version replacing the city's for its users. */
export function startableFor(rc: RuntimeContext, actor: Actor, orgs: OrgTree): CompiledWorkflow[] {
  const mine = orgs.startingDistrictOf(actor.orgId);
  const byRole = [...rc.registry.latest.values()].filter((wf) => wf.def.starters.some((r) => (actor.roles as string[]).includes(r)));
  const offered = byRole.filter((wf) => {
    const d = ownerDistrict(wf, orgs);
    return d === undefined || d === mine;
  });
  const replaced = new Set(offered.filter((wf) => wf.def.parent && ownerDistrict(wf, orgs) !== undefined).map((wf) => wf.def.parent!.id));
  return offered.filter((wf) => !replaced.has(wf.def.id));
}

export function ensureDistrictStarter(wf: CompiledWorkflow, actor: Actor, orgs: OrgTree): void {
  const d = ownerDistrict(wf, orgs);
  if (d === undefined || d === orgs.startingDistrictOf(actor.orgId)) return;
  throw new LvzError('LVZ_RUN_NOT_STARTABLE', `“${wf.def.title}”是${orgs.name(d)}的流程，只能由本区的人员发起：请从“发起”列表中选择您所在地区的流程`, { params: { workflow: wf.def.id, district: d } });
}

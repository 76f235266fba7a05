// model-check.ts: what `lvzhi check` adds to the compile checks: every state can still reach an end, every
// task has someone in the directory to take it, every id written into user()/org()/members() is in the
// directory (not-in-directory.ts), each construct's findings (a deadline does something), and how many paths lead from the start
// to an end. Pure: the caller passes the compiled workflow, its forms and the directory.
//
// The paths are enumerated over the definition's own graph (every candidate of every event, every always:
// transition), not by running xstate: guards depend on data no static check has, so each candidate counts as
// takeable. A state may appear at most twice on one path, which covers one round of every loop (重新办理).
// Only states that can still reach an end are walked into, and the walk has a work budget (and, when the
// caller passes a clock, a time limit): past it the count is a lower bound and a LVZ_DSL_CHECK_LIMIT warning
// says so. Seven states all linked to each other are about 10^10 paths; nothing here may take that long.

import { LvzError } from '../errors.ts';
import type { CompiledForm } from '../forms/types.ts';
import { constructCheckContext } from './checks/constructs.ts';
import { constructUsesOf, groupsOf, systemEventsOf } from './walk.ts';
import { notInDirectory } from './not-in-directory.ts';
import { q } from '../yaml/zh.ts';
import type { RoleSet } from './roles.ts';
import type { CompiledWorkflow, TaskGroupDef, WorkflowDef } from './types.ts';

export type { Directory, DirectoryGroup, DirectoryOrg, DirectoryUser } from './directory-view.ts';
import type { Directory } from './directory-view.ts';

export interface ModelCheckOptions {
  forms: Map<string, CompiledForm>;
  /** Without a directory the "somebody can do it" check is skipped. */
  directory?: Directory;
  /** Labels for the roles named in messages (directory/roles.yaml); without it the ids alone. */
  roles?: RoleSet;
  /** Stop enumerating after this many complete paths (default 10,000); `truncated` says so. */
  maxPaths?: number;
  /** Work budget of the path enumeration, in path steps copied (default MAX_PATH_WORK). */
  maxWork?: number;
  /** Milliseconds the enumeration may take (default MAX_PATH_MS), measured with `clock` (none: no time limit). */
  maxMs?: number;
  clock?: () => number;
}

/** Work and time limits of the path enumeration (docs/deploy.md, "Expressions and checks"). */
export const MAX_PATH_WORK = 200_000;
export const MAX_PATH_MS = 2_000;

export interface PathLimits {
  maxPaths?: number;
  maxWork?: number;
  maxMs?: number;
  clock?: () => number;
}

export interface ModelCheckResult {
  errors: LvzError[];
  warnings: LvzError[];
  /** Paths from the initial state to a final one, each state at most twice on a path. */
  paths: number;
  /** The enumeration stopped early (maxPaths, or the work or time limit): `paths` is a lower bound. */
  truncated: boolean;
}

const VISITS_PER_PATH = 2;

export function modelCheck(wf: CompiledWorkflow, opts: ModelCheckOptions): ModelCheckResult {
  const { def, source } = wf;
  const errors: LvzError[] = [];
  const warnings: LvzError[] = [];
  for (const name of statesWithoutEnd(def)) {
    const path = `/states/${name}`;
    errors.push(
      new LvzError('LVZ_DSL_NO_PATH_TO_END', `从步骤${q(name)}出发到达不了任何结束步骤，走到这里的件将永远无法办结：请添加一个通向结束步骤的流转（从${q(name)}或它之后的步骤出发）`, {
        where: source.at(path),
        path,
        params: { state: name },
      }),
    );
  }
  const cx = constructCheckContext(def, source, opts, (s) => wf.exprs.get(s)?.refs);
  for (const { construct, def: value, site } of constructUsesOf(def)) {
    errors.push(...(construct.modelChecks?.(value, site, cx) ?? []));
  }
  if (opts.directory) {
    errors.push(...nobodyCanDo(wf, opts.forms, opts.directory, opts.roles));
    const named = notInDirectory(wf, opts.directory);
    errors.push(...named.errors);
    warnings.push(...named.warnings);
  }
  warnings.push(...fallThrough(wf));
  const { paths, truncated, limited } = enumeratePaths(def, opts);
  if (limited) warnings.push(checkLimit(wf, paths.length));
  return { errors, warnings, paths: paths.length, truncated };
}

function checkLimit(wf: CompiledWorkflow, found: number): LvzError {
  return new LvzError('LVZ_DSL_CHECK_LIMIT', `检查超出上限：列举从开始到结束的路径时超过了工作量或时间上限，已停止（已找到 ${found} 条，实际更多）；其余检查已完成。步骤之间互相连通的流转过多：请删去不需要的流转，或把一部分拆成子流程（spawn）`, {
    where: wf.source.at('/initial'),
    path: '/initial',
    params: { found },
  });
}

/**
 * Warnings: an automatic event (done, an escalation, always:) whose every candidate has a when. When none
 * holds, nothing happens and the case stays where it is with no task to move it on.
 */
function fallThrough(wf: CompiledWorkflow): LvzError[] {
  const out: LvzError[] = [];
  for (const s of Object.values(wf.def.states)) {
    const automatic: [string, { when?: string; path: string }[]][] = [
      ...Object.entries(s.on).filter(([e]) => e === 'done' || systemEventsOf(s).includes(e)),
      ...(s.always.length > 0 ? [['always', s.always] as [string, { when?: string; path: string }[]]] : []),
    ];
    for (const [event, ts] of automatic) {
      if (ts.length === 0 || ts.some((t) => t.when === undefined)) continue;
      const path = ts[ts.length - 1]!.path;
      out.push(
        new LvzError('LVZ_DSL_NO_WAY_OUT', `步骤${q(s.name)}：当 ${event === 'always' ? 'always:' : `on.${event}`} 的条件都不成立时，件会停在这里，也没有人能推动它：请在最后添加一个不带 when 的候选`, {
          where: wf.source.at(path),
          path,
          params: { state: s.name, event },
        }),
      );
    }
  }
  return out;
}

/** Each state's distinct targets, worked out once. */
function graphOf(def: WorkflowDef): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, s] of Object.entries(def.states)) {
    out.set(name, [...new Set([...Object.values(s.on).flat(), ...s.always].map((t) => t.to).filter((to) => to in def.states))]);
  }
  return out;
}

/** States from which no final state can be reached (walking the transitions backwards from the finals). */
export function statesWithoutEnd(def: WorkflowDef): string[] {
  const canEnd = statesWithEnd(def, graphOf(def));
  return Object.keys(def.states).filter((n) => !canEnd.has(n));
}

function statesWithEnd(def: WorkflowDef, graph: Map<string, string[]>): Set<string> {
  const into = new Map<string, string[]>();
  for (const [name, tos] of graph) for (const to of tos) (into.get(to) ?? into.set(to, []).get(to)!).push(name);
  const canEnd = new Set(Object.values(def.states).filter((s) => s.final).map((s) => s.name));
  const queue = [...canEnd];
  for (let i = 0; i < queue.length; i++) {
    for (const from of into.get(queue[i]!) ?? []) {
      if (!canEnd.has(from)) {
        canEnd.add(from);
        queue.push(from);
      }
    }
  }
  return canEnd;
}

/**
 * Every path from the initial state to a final one, each state at most twice on a path; iterative, so deep
 * graphs cannot overflow the stack. A path never steps into a state with no way to an end, and the walk stops
 * at maxPaths paths (`truncated`) or past its work or time limit (`truncated` and `limited`).
 */
export function enumeratePaths(def: WorkflowDef, limits: PathLimits = {}): { paths: string[][]; truncated: boolean; limited: boolean } {
  const { maxPaths = 10_000, maxWork = MAX_PATH_WORK, maxMs = MAX_PATH_MS, clock } = limits;
  const paths: string[][] = [];
  if (!(def.initial in def.states)) return { paths, truncated: false, limited: false };
  const graph = graphOf(def);
  const canEnd = statesWithEnd(def, graph);
  const until = clock ? clock() + maxMs : Infinity;
  const stack: string[][] = canEnd.has(def.initial) ? [[def.initial]] : [];
  let work = 0;
  let nextLook = 0;
  while (stack.length > 0) {
    const path = stack.pop()!;
    work += path.length;
    if (work > maxWork) return { paths, truncated: true, limited: true };
    // The clock is read every 1,024 units of work: cheap, and often enough to keep to the time limit.
    if (clock && work >= nextLook) {
      nextLook = work + 1024;
      if (clock() > until) return { paths, truncated: true, limited: true };
    }
    const here = path[path.length - 1]!;
    if (def.states[here]!.final) {
      paths.push(path);
      if (paths.length >= maxPaths) return { paths, truncated: true, limited: false };
      continue;
    }
    for (const to of [...graph.get(here)!].reverse()) {
      if (canEnd.has(to) && path.filter((s) => s === to).length < VISITS_PER_PATH) stack.push([...path, to]);
    }
  }
  return { paths, truncated: false, limited: false };
}

/** `liaison（民情联络员）`: the id the YAML uses and the label people know. */
function roleName(id: string, roles?: RoleSet): string {
  const label = roles?.labelOf(id);
  return label && label !== id ? `${id}（${label}）` : id;
}

/** Tasks no user in the directory could take. Only what the definition and forms pin down is checked. */
function nobodyCanDo(wf: CompiledWorkflow, forms: Map<string, CompiledForm>, dir: Directory, roles?: RoleSet): LvzError[] {
  const kindOf = new Map(dir.orgs.map((o) => [o.id, o.kind]));
  const record = forms.get(wf.def.record);
  const errors: LvzError[] = [];
  for (const { state, group, path } of groupsOf(wf.def)) {
    const need = requirement(wf.def, group, record);
    if (!need) continue;
    const able = dir.users.some(
      (u) => need.roles.some((r) => u.roles.includes(r)) && (need.orgKind === undefined || (u.orgId !== null && kindOf.get(u.orgId) === need.orgKind)),
    );
    if (able) continue;
    const at = `${path}/${group.role !== undefined ? 'role' : 'assignee'}`;
    const where = need.orgKind ? `（且所在单位的类型为 ${need.orgKind}）` : '';
    errors.push(
      new LvzError('LVZ_DSL_NOBODY_CAN_DO', `通讯录中没有人能办理步骤${q(state.name)}的任务：没有用户具有角色 ${need.roles.map((r) => roleName(r, roles)).join(' 或 ')}${where}；请在通讯录中为相应人员分配该角色（通讯录目前由演示数据 engine/store/seed/demo.ts 建立，做法见 docs/dsl.md“角色”一节），或修改 ${group.role !== undefined ? 'role:' : 'assignee:'}`, {
        where: wf.source.at(at),
        path: at,
        params: { state: state.name, roles: need.roles, orgKind: need.orgKind },
      }),
    );
  }
  return errors;
}

interface Requirement {
  roles: string[];
  orgKind?: string;
}

/** Who could take a group: its role (in the kind of organisation its org field picks), or the role its assignee field is limited to. */
function requirement(def: WorkflowDef, g: TaskGroupDef, record: CompiledForm | undefined): Requirement | undefined {
  const field = (expr: string | undefined): string | undefined => {
    const e = expr === 'item' ? g.for_each : expr;
    return e === undefined ? undefined : /^data\.([a-z][a-z0-9_]*)$/.exec(e.trim())?.[1];
  };
  const filterOf = (expr: string | undefined): { kind?: string; role?: string } | undefined => {
    const name = field(expr);
    return name === undefined ? undefined : record?.byName.get(name)?.filter;
  };
  if (g.role !== undefined) {
    const kind = filterOf(g.org)?.kind;
    return { roles: [g.role], ...(kind !== undefined && { orgKind: kind }) };
  }
  if (g.assignee === 'initiator') return def.starters.length > 0 ? { roles: def.starters } : undefined;
  const role = filterOf(g.assignee)?.role;
  return role === undefined ? undefined : { roles: [role] };
}

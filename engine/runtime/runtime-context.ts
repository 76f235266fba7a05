// runtime-context.ts: what every runtime operation is handed: the database, the clock, the calendar,
// the compiled definitions and the directory choices for pickers.

import type { Knex } from 'knex';
import type { Calendar, CalendarYear } from '../calendar/index.ts';
import type { CompiledWorkflow, TaskGroupDef, StateDef } from '../dsl/types.ts';
import type { CompiledForm, DirectoryOptions } from '../forms/types.ts';
import type { RoleSet } from '../dsl/roles.ts';
import { LvzError } from '../errors.ts';
import { listOrgs, listUsers } from '../store/directory.ts';
import type { Clock } from './clock.ts';
import type { UploadLimits } from './upload-limits.ts';
import { buildSnapshot, type DirectorySnapshot } from './directory/snapshot.ts';
import { listGroupMembers, listMemberGroups } from '../store/directory-data.ts';

export interface Registry {
  /** Every compiled version, `id@version`. */
  workflows: Map<string, CompiledWorkflow>;
  /** Newest version per id: what new instances start on. */
  latest: Map<string, CompiledWorkflow>;
  forms: Map<string, CompiledForm>;
  /** directory/roles.yaml: the roles workflows may name, and the label every page shows for each. */
  roles: RoleSet;
  /** roles.yaml alone; `roles` is it with the roles declared at run time (directory/roles.ts). */
  shippedRoles: RoleSet;
  /** Which stored roles `roles` reflects (directory/roles.ts refreshRoles). */
  rolesStamp?: string;
  /**
   * Stored versions that no longer compile (e.g. over limits added by an upgrade), `id@version` ->
   * the first error: their instances cannot move on, so the start-up notice names them.
   */
  unloadable: Map<string, string>;
}

export interface RuntimeContext {
  /** Writes (writeTx) and reads that must see the transaction's own writes. */
  db: Knex;
  /** Pages' reads: on SQLite, connections beside the writer's (store/db.ts openReads); on PostgreSQL, db. */
  reads: Knex;
  /**
   * Reads that may scan many rows (a search's `%…%` over every task in scope, the directory's
   * change log): on SQLite with the node:sqlite driver, node-sqlite3 connections, so a long scan
   * runs on libuv's thread pool and the event loop keeps serving (store/db.ts openSearches);
   * otherwise the same as reads.
   */
  searches: Knex;
  now: Clock;
  /** The calendar in effect: calendarBase with the studio's years; swapped when a year is saved (calendar-years.ts). */
  calendar: Calendar;
  /** The years of calendars/cn.yaml as shipped. */
  calendarBase: CalendarYear[];
  /** Which stored years `calendar` reflects; undefined until first loaded. */
  calendarStamp?: string;
  registry: Registry;
  dataDir: string;
  /** Upload quotas and how long an unattached upload is kept (upload-limits.ts). */
  uploads: UploadLimits;
  /** Pass the transaction when inside one: SQLite has a single connection. */
  directory(db?: Knex): Promise<DirectoryOptions>;
  /** Display names: user id -> name, user id -> org name, org id -> name. */
  names(db?: Knex): Promise<Names>;
  /** The whole directory with its relations (districts, groups, who works for whom), cached with the choices. */
  snapshot(db?: Knex): Promise<DirectorySnapshot>;
  /** Invalidate the cached directory choices (after seeding or an edit). */
  refreshDirectory(): void;
}

export interface Names {
  user: Map<string, string>;
  userOrg: Map<string, string>;
  org: Map<string, string>;
}

export function workflowOf(rc: RuntimeContext, id: string, version?: number): CompiledWorkflow {
  const wf = version === undefined ? rc.registry.latest.get(id) : rc.registry.workflows.get(`${id}@${version}`);
  if (!wf) {
    throw new LvzError('LVZ_RUN_NOT_FOUND', `没有找到流程“${id}”${version === undefined ? '' : `（第 ${version} 版）`}：请确认流程名称，或联系管理员发布该流程`, { params: { workflow: id, version } });
  }
  return wf;
}

export function formOf(rc: RuntimeContext, id: string): CompiledForm {
  const form = rc.registry.forms.get(id);
  if (!form) throw new LvzError('LVZ_RUN_NOT_FOUND', `没有找到表单“${id}”：请联系管理员检查流程定义`, { params: { form: id } });
  return form;
}

export function stateOf(wf: CompiledWorkflow, name: string): StateDef {
  const s = wf.def.states[name];
  if (!s) throw new LvzError('LVZ_RUN_NOT_FOUND', `流程“${wf.def.title}”没有步骤“${name}”：该实例可能需要迁移到新版本`, { params: { state: name } });
  return s;
}

export function groupOf(wf: CompiledWorkflow, state: string, grp: string): TaskGroupDef {
  const g = stateOf(wf, state).tasks.find((t) => t.id === grp);
  if (!g) throw new LvzError('LVZ_RUN_NOT_FOUND', `步骤“${state}”没有任务组“${grp}”：该实例可能需要迁移到新版本`, { params: { state, group: grp } });
  return g;
}

const DIRECTORY_TTL_MS = 30_000;

/** Picker choices from the directory, cached briefly: every task page needs them. */
export function directoryCache(db: Knex, now: Clock): Pick<RuntimeContext, 'directory' | 'refreshDirectory' | 'names' | 'snapshot'> {
  type Cached = { at: number; value: DirectoryOptions; names: Names; snapshot: DirectorySnapshot };
  let cached: Cached | undefined;
  // One reload at a time: the requests that find the cache expired together wait for the same
  // read, instead of each reading and building the whole directory (6,007 deputies) at once.
  let loading: Promise<Cached> | undefined;
  // Bumped by refreshDirectory: a read that began before a change does not become the cache.
  let generation = 0;
  const read = async (q: Knex, t: number): Promise<Cached> => {
    const g = generation;
    const orgs = await listOrgs(q);
    const users = await listUsers(q);
    const snapshot = buildSnapshot(orgs, users, await listMemberGroups(q), await listGroupMembers(q));
    // Pickers offer only what is in use; names (below) cover everyone, for history.
    const liveOrgs = orgs.filter((o) => !o.disabled);
    const liveUsers = users.filter((u) => !u.disabled);
    const orgsByKind: Record<string, { value: string; label: string }[]> = {};
    for (const o of liveOrgs) (orgsByKind[o.kind] ??= []).push({ value: o.id, label: o.name });
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const peopleByRole: Record<string, { value: string; label: string }[]> = {};
    const people = liveUsers.map((u) => {
      const unit = orgName.get(u.orgId) ?? u.orgId;
      return { value: u.id, label: `${u.name}（${unit}）`, name: u.name, group: unit };
    });
    liveUsers.forEach((u, i) => { for (const r of u.roles) (peopleByRole[r] ??= []).push(people[i]!); });
    const value: DirectoryOptions = { orgs: liveOrgs.map((o) => ({ value: o.id, label: o.name })), people, orgsByKind, peopleByRole };
    const names: Names = {
      user: new Map(users.map((u) => [u.id, u.name])),
      userOrg: new Map(users.map((u) => [u.id, orgName.get(u.orgId) ?? u.orgId])),
      org: orgName,
    };
    const fresh = { at: t, value, names, snapshot };
    if (g === generation) cached = fresh;
    return fresh;
  };
  const load = async (q: Knex = db): Promise<Cached> => {
    const t = now().getTime();
    if (cached && t - cached.at < DIRECTORY_TTL_MS && t >= cached.at) return cached;
    // A caller's own transaction reads by itself (what it sees there), and keeps it as before.
    if (q !== db) return read(q, t);
    if (!loading) {
      const p: Promise<Cached> = read(db, t).finally(() => { if (loading === p) loading = undefined; });
      loading = p;
    }
    return loading;
  };
  return {
    refreshDirectory: () => { cached = undefined; loading = undefined; generation++; },
    directory: async (q?: Knex) => (await load(q)).value,
    names: async (q?: Knex) => (await load(q)).names,
    snapshot: async (q?: Knex) => (await load(q)).snapshot,
  };
}

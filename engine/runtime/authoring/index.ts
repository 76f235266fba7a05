// index.ts: engine.studio, wired from the studio's modules: the list of definitions, one
// definition with its versions and the actor's draft, checks, publish, diffs, districts, migration.

import { LvzError } from '../../errors.ts';
import { auditOf, disabledWorkflows, getDefinition, getStub, listStubs, runningCounts, type DefinitionRow, type StubRow } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { canEdit, ensureAdmin, orgTree, type OrgTree } from './access.ts';
import { checkWorkflowText, editableText, studioContext, type StudioContext } from './check.ts';
import { checkJob, checkPool } from './check-pool.ts';
import { createDistrict, districtOptions } from './create.ts';
import { differencesOf, districtStatus, extendersOf, extendsOf } from './districts.ts';
import { lineDiff } from './line-diff.ts';
import { migrate, planMigration } from './migrate.ts';
import { discardDraft, getDraft, publish, saveDraft, titleOf } from './publish.ts';
import { refreshRegistry } from './registry.ts';
import { setEnabled } from './disable.ts';
import { createDefinition, newSources } from './new-definition.ts';
import type { AuditLine, DistrictView, Studio, StudioEntry, StudioKind, VersionInfo } from './types.ts';
import { listDefinitions } from '../../store/process/index.ts';

function notFound(kind: StudioKind, id: string, version?: number): LvzError {
  const what = kind === 'form' ? '表单' : '流程';
  return new LvzError('LVZ_RUN_NOT_FOUND', `没有找到${what}“${id}”${version ? `的第 ${version} 版` : ''}：请从流程定义列表进入`, { params: { kind, id, version } });
}

async function rowsOf(rc: RuntimeContext, kind: StudioKind, id?: string): Promise<DefinitionRow[]> {
  const rows = await listDefinitions(rc.db, kind);
  return id === undefined ? rows : rows.filter((r) => r.id === id);
}

function versionInfo(r: DefinitionRow, running: Map<string, number>, names: Map<string, string>): VersionInfo {
  return {
    version: r.version, createdAt: r.createdAt, authorName: r.authorId ? names.get(r.authorId) ?? r.authorId : null, message: r.message ?? null,
    running: r.kind === 'workflow' ? running.get(`${r.id}@${r.version}`) ?? 0 : 0,
    ...(r.parentId && r.parentVersion != null && { parent: { id: r.parentId, version: r.parentVersion } }),
  };
}

function entryOf(rc: RuntimeContext, actor: Actor, versions: DefinitionRow[], all: DefinitionRow[], orgs: OrgTree, running: Map<string, number>, names: Map<string, string>): StudioEntry {
  const last = versions[versions.length - 1]!;
  const latestOf = new Map<string, DefinitionRow>();
  for (const r of all) latestOf.set(r.id, r);
  const extendedBy = last.kind === 'workflow'
    ? [...latestOf.values()].filter((r) => r.sourceText && extendsOf(r)?.id === last.id).map((r) => ({ id: r.id, title: titleOf(r), ownerName: orgs.name(r.owner ?? 'city') }))
    : [];
  const ext = extendsOf(last);
  return {
    kind: last.kind as StudioKind, id: last.id, title: titleOf(last), latestVersion: last.version, owner: last.owner ?? 'city',
    ownerName: orgs.name(last.owner ?? 'city'), ...(ext && { extendsId: ext.id }), extendedBy,
    running: versions.reduce((n, r) => n + (running.get(`${r.id}@${r.version}`) ?? 0), 0),
    canEdit: canEdit(actor, last.owner, orgs), updatedAt: last.createdAt,
    ...(last.authorId && { authorName: names.get(last.authorId) ?? last.authorId }),
  };
}

/** A definition created in the studio and not yet published: version 0, shown only here. */
function stubEntry(actor: Actor, stub: StubRow, orgs: OrgTree, names: Map<string, string>): StudioEntry {
  return {
    kind: stub.kind, id: stub.id, title: stub.title, latestVersion: 0, owner: 'city', ownerName: orgs.name('city'), extendedBy: [],
    running: 0, canEdit: canEdit(actor, null, orgs), updatedAt: stub.createdAt, authorName: names.get(stub.authorId) ?? stub.authorId, isNew: true,
  };
}

async function auditLines(rc: RuntimeContext, kind: StudioKind, id: string, names: Map<string, string>): Promise<AuditLine[]> {
  return (await auditOf(rc.db, kind, id)).map((a) => ({ action: a.action, at: a.at, actorName: names.get(a.actorId) ?? a.actorId, note: a.note }));
}

export function buildStudio(rc: RuntimeContext): Studio {
  const context = async (): Promise<{ orgs: OrgTree; running: Map<string, number>; names: Map<string, string> }> => ({
    orgs: await orgTree(rc.db), running: await runningCounts(rc.db), names: (await rc.names()).user,
  });
  const districtView = (ctx: StudioContext, orgs: OrgTree, actor: Actor, row: DefinitionRow): DistrictView => {
    const cityId = extendsOf(row)!.id;
    const check = checkWorkflowText(ctx, row.id, editableText(row));
    const city = ctx.latest.get(cityId);
    return {
      id: row.id, title: titleOf(row), latestVersion: row.version,
      parent: { id: cityId, title: city ? titleOf(city) : cityId, newestVersion: city?.version ?? 0 },
      canEdit: canEdit(actor, row.owner, orgs), differences: differencesOf(ctx, check.workflow, cityId), status: districtStatus(ctx, row, orgs),
    };
  };
  return {
    async list(actor) {
      ensureAdmin(actor);
      const { orgs, running, names } = await context();
      const out: StudioEntry[] = [];
      const off = await disabledWorkflows(rc.db);
      for (const kind of ['workflow', 'form'] as const) {
        const all = await rowsOf(rc, kind);
        const ids = [...new Set(all.map((r) => r.id))];
        for (const id of ids) out.push(entryOf(rc, actor, all.filter((r) => r.id === id), all, orgs, running, names));
      }
      for (const e of out) {
        const d = e.kind === 'workflow' ? off.get(e.id) : undefined;
        if (d) e.disabled = { at: d.at, byName: names.get(d.actorId) ?? d.actorId };
      }
      for (const stub of await listStubs(rc.db)) out.push(stubEntry(actor, stub, orgs, names));
      return out;
    },
    async definition(actor, kind, id) {
      ensureAdmin(actor);
      const versions = await rowsOf(rc, kind, id);
      const stub = versions.length === 0 ? await getStub(rc.db, kind, id) : undefined;
      if (versions.length === 0 && !stub) throw notFound(kind, id);
      const { orgs, running, names } = await context();
      const draft = await getDraft(rc.db, kind, id, actor.userId);
      const audit = await auditLines(rc, kind, id, names);
      const kept = draft && { draft: { text: draft.text, baseVersion: draft.baseVersion, updatedAt: draft.updatedAt } };
      if (stub) {
        const entry = stubEntry(actor, stub, orgs, names);
        return { entry, text: stub.text, latestVersion: 0, canEdit: entry.canEdit, versions: [], audit, ...kept };
      }
      const entry = entryOf(rc, actor, versions, await rowsOf(rc, kind), orgs, running, names);
      const off = kind === 'workflow' ? (await disabledWorkflows(rc.db, [id])).get(id) : undefined;
      if (off) entry.disabled = { at: off.at, byName: names.get(off.actorId) ?? off.actorId };
      const last = versions[versions.length - 1]!;
      return {
        entry, text: editableText(last), latestVersion: last.version, canEdit: entry.canEdit,
        versions: versions.map((r) => versionInfo(r, running, names)).reverse(), audit, ...kept,
      };
    },
    async versionText(actor, kind, id, version) {
      ensureAdmin(actor);
      const row = await getDefinition(rc.db, kind, id, version);
      if (!row) throw notFound(kind, id, version);
      const { running, names } = await context();
      return { text: editableText(row), info: versionInfo(row, running, names) };
    },
    async check(actor, kind, id, text) {
      ensureAdmin(actor);
      if (typeof text !== 'string' || text.length > 512 * 1024) throw new LvzError('LVZ_RUN_BAD_REQUEST', '定义内容过长或为空', {});
      // A form another process created or published (a new workflow's record form) is checked against too.
      await refreshRegistry(rc);
      // In a worker thread with a time and heap limit (check-pool.ts): a costly text cannot stall the server.
      return checkPool().run(await checkJob(rc, kind, id, text));
    },
    publish: (actor, kind, id, input) => publish(rc, actor, kind, id, input),
    saveDraft: (actor, kind, id, input) => saveDraft(rc, actor, kind, id, input),
    discardDraft: (actor, kind, id) => discardDraft(rc, actor, kind, id),
    async diff(actor, kind, id, from, to) {
      ensureAdmin(actor);
      const [a, b] = await Promise.all([getDefinition(rc.db, kind, id, from), getDefinition(rc.db, kind, id, to)]);
      if (!a) throw notFound(kind, id, from);
      if (!b) throw notFound(kind, id, to);
      return lineDiff(editableText(a), editableText(b), from, to);
    },
    async districts(actor, id) {
      ensureAdmin(actor);
      const ctx = await studioContext(rc);
      const orgs = await orgTree(rc.db);
      const row = ctx.latest.get(id);
      if (!row) throw notFound('workflow', id);
      const rows = row.sourceText && extendsOf(row) ? [row] : extendersOf(ctx, id);
      return rows.map((r) => districtView(ctx, orgs, actor, r));
    },
    districtOptions: (actor, id) => districtOptions(rc, actor, id),
    createDistrict: (actor, cityId, district) => createDistrict(rc, actor, cityId, district),
    planMigration: (actor, id, input) => planMigration(rc, actor, id, input),
    migrate: (actor, id, input) => migrate(rc, actor, id, input),
    createDefinition: (actor, input, once) => createDefinition(rc, actor, input, once),
    newSources: (actor, kind) => newSources(rc, actor, kind),
    setEnabled: (actor, id, enabled) => setEnabled(rc, actor, id, enabled),
    refresh: () => refreshRegistry(rc),
  };
}

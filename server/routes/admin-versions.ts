// admin-versions.ts: the studio's other pages: every version of a definition, one version's text, a
// diff between any two (side by side or unified), the migration of running instances (预览, then
// 执行) and a district's differences from the city's with whether its overrides still apply.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import type { MigrationInput, MigrationPlan } from '../../engine/runtime/authoring/types.ts';
import { requireActor } from '../session.ts';
import { STUDIO_CSS, adminUrl, kindOf } from './admin-paths.ts';
import { seeOther } from './tasks.ts';

type KindParams = { Params: { kind: string; id: string } };
type Query = Record<string, string | undefined>;

function int(v: unknown): number | undefined {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `map_<state>` fields of the migration form. */
function mappingOf(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (k.startsWith('map_') && typeof s === 'string' && s) out[k.slice(4)] = s;
  }
  return out;
}

function numbered(text: string): { no: number; text: string }[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, i) => ({ no: i + 1, text: l }));
}

async function renderMigrate(request: FastifyRequest, reply: FastifyReply, id: string, input: Partial<MigrationInput>, extra: { problem?: string; plan?: MigrationPlan } = {}, status = 200) {
  const app = request.server;
  const actor = requireActor(request);
  const def = await app.engine.studio.definition(actor, 'workflow', id);
  const versions = def.versions.map((v) => v.version).sort((a, b) => a - b);
  const from = input.from ?? versions.find((v) => def.versions.find((x) => x.version === v)!.running > 0 && v !== def.latestVersion);
  const to = input.to ?? def.latestVersion;
  let plan = extra.plan;
  if (!plan && from !== undefined && from !== to) plan = await app.engine.studio.planMigration(actor, id, { from, to, mapping: input.mapping ?? {} });
  return reply.page('admin-migrate', {
    ...STUDIO_CSS,
    title: app.renderer.t('admin.migrate.title', { title: def.entry.title }),
    def, id, from, to, canEdit: def.canEdit,
    fromOptions: def.versions.map((v) => ({ value: v.version, running: v.running, selected: v.version === from })),
    toOptions: def.versions.map((v) => ({ value: v.version, selected: v.version === to })),
    plan,
    states: plan?.states.map((s) => ({ ...s, options: plan!.toStates.map((o) => ({ ...o, selected: o.name === s.target })) })),
    problem: extra.problem,
    urls: { self: adminUrl('workflow', id, '/migrate'), editor: adminUrl('workflow', id) },
  }, status);
}

export async function adminExtraRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<KindParams>('/admin/:kind/:id/versions', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    const def = await app.engine.studio.definition(actor, kind, request.params.id);
    return reply.page('admin-versions', {
    ...STUDIO_CSS,
      title: t('admin.versions.title', { title: def.entry.title }), def, kind, kindLabel: t(`admin.kinds.${kind}`),
      versions: def.versions.map((v, i) => ({
        ...v, url: adminUrl(kind, def.entry.id, `/versions/${v.version}`),
        diffUrl: i + 1 < def.versions.length ? adminUrl(kind, def.entry.id, `/diff?from=${def.versions[i + 1]!.version}&to=${v.version}`) : undefined,
      })),
      allVersions: def.versions.map((v) => v.version),
      urls: { editor: adminUrl(kind, def.entry.id), diff: adminUrl(kind, def.entry.id, '/diff') },
    });
  });

  app.get<KindParams & { Params: { version: string } }>('/admin/:kind/:id/versions/:version', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    const version = int(request.params.version) ?? 0;
    const v = await app.engine.studio.versionText(actor, kind, request.params.id, version);
    return reply.page('admin-version', {
    ...STUDIO_CSS,
      title: t('admin.version.title', { id: request.params.id, version }), id: request.params.id, info: v.info, lines: numbered(v.text),
      urls: { editor: adminUrl(kind, request.params.id), versions: adminUrl(kind, request.params.id, '/versions') },
    });
  });

  app.get<KindParams & { Querystring: Query }>('/admin/:kind/:id/diff', async (request, reply) => {
    const actor = requireActor(request);
    const kind = kindOf(request.params.kind);
    const id = request.params.id;
    const def = await app.engine.studio.definition(actor, kind, id);
    const from = int(request.query.from) ?? def.versions[1]?.version ?? def.latestVersion;
    const to = int(request.query.to) ?? def.latestVersion;
    const view = request.query.view === 'unified' ? 'unified' : 'split';
    const diff = await app.engine.studio.diff(actor, kind, id, from, to);
    return reply.page('admin-diff', {
    ...STUDIO_CSS,
      title: t('admin.diff.title', { title: def.entry.title, from, to }), def, diff, isSplit: view === 'split',
      fromOptions: def.versions.map((v) => ({ value: v.version, selected: v.version === from })),
      toOptions: def.versions.map((v) => ({ value: v.version, selected: v.version === to })),
      urls: {
        self: adminUrl(kind, id, '/diff'), editor: adminUrl(kind, id), versions: adminUrl(kind, id, '/versions'),
        split: adminUrl(kind, id, `/diff?from=${from}&to=${to}&view=split`), unified: adminUrl(kind, id, `/diff?from=${from}&to=${to}&view=unified`),
      },
    });
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/admin/workflows/:id/migrate', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    return renderMigrate(request, reply, request.params.id, { from: int(q.from), to: int(q.to), mapping: mappingOf(q) });
  });

  app.post<{ Params: { id: string } }>('/admin/workflows/:id/migrate', async (request, reply) => {
    const actor = requireActor(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const input: MigrationInput = { from: int(body.from) ?? 0, to: int(body.to) ?? 0, mapping: mappingOf(body) };
    try {
      const r = await app.engine.studio.migrate(actor, request.params.id, input);
      reply.flash(t('admin.migrate.done', { n: r.moved, from: input.from, to: input.to }));
      return seeOther(request, reply, adminUrl('workflow', request.params.id, `/migrate?from=${input.from}&to=${input.to}`));
    } catch (e) {
      if (!isLvzError(e) || e.code !== 'LVZ_RUN_MIGRATION_REFUSED') throw e;
      return renderMigrate(request, reply, request.params.id, input, { problem: e.message }, 409);
    }
  });

  app.get<{ Params: { id: string } }>('/admin/workflows/:id/districts', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const def = await app.engine.studio.definition(actor, 'workflow', id);
    const districts = await app.engine.studio.districts(actor, id);
    const options = await app.engine.studio.districtOptions(actor, id);
    return reply.page('admin-districts', {
      ...STUDIO_CSS,
      title: t('admin.districts.title', { title: def.entry.title }), def, districts: districts.map((d) => ({ ...d, url: adminUrl('workflow', d.id), statusList: [d] })),
      // A city admin (who may edit the city's workflow) chooses the district; a district's admin gets only his own.
      options, chooseDistrict: def.entry.canEdit,
      urls: { editor: adminUrl('workflow', id), create: adminUrl('workflow', id, '/districts') },
    });
  });

  // 为本区创建定制: `<district>-<id>` as version 1, then its editor. The engine decides who may.
  app.post<{ Params: { id: string } }>('/admin/workflows/:id/districts', async (request, reply) => {
    const actor = requireActor(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const district = typeof body.district === 'string' && body.district ? body.district : undefined;
    const r = await app.engine.studio.createDistrict(actor, request.params.id, district);
    reply.flash(t('admin.districts.created', { id: r.id }));
    return seeOther(request, reply, adminUrl('workflow', r.id));
  });
}

// admin-directory-import.ts: 通讯录 → 导入: upload an .xlsx or .csv, see the check (every bad row
// by sheet and line, or what would be created and changed), 确认导入, then the progress and the
// summary with the import's audit rows. The engine decides who may import what (administrators,
// a district's only inside it) and applies a confirm once, however often it is posted.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError } from '../../engine/errors.ts';
import type { DirectoryImportView } from '../../engine/runtime/types.ts';
import { requireActor } from '../session.ts';
import { STUDIO_CSS } from './admin-paths.ts';
import { contentDisposition } from './files.ts';
import { seeOther } from './tasks.ts';
import { toProblem } from '../error-handler.ts';

type IdParams = { Params: { id: string } };

const BASE = '/admin/directory/import';

/** Refusals a file earns (bad rows, not a spreadsheet, too large) re-render the upload page with them. */
const FILE_REFUSALS = new Set(['LVZ_DIR_INVALID', 'LVZ_DIR_IMPORT_FILE', 'LVZ_DIR_IMPORT_TOO_LARGE', 'LVZ_DIR_CONFLICT']);

async function renderUpload(request: FastifyRequest, reply: FastifyReply, refused?: { status: number; message: string; problems: string[] }) {
  const t = request.server.renderer.t;
  const { districtName } = await request.server.engine.directoryImport.scope(requireActor(request));
  return reply.page('admin-directory-import', {
    ...STUDIO_CSS,
    title: t('directoryImport.title'), districtName,
    templateUrl: `${BASE}/template.xlsx`, action: BASE,
    refused, problemCount: refused?.problems.length ?? 0,
  }, refused?.status ?? 200);
}

function progressModel(view: DirectoryImportView) {
  const percent = view.total > 0 ? Math.min(100, Math.floor((view.done / view.total) * 100)) : 0;
  return {
    view, percent, isChecked: view.status === 'checked', isApplying: view.status === 'applying',
    isApplied: view.status === 'applied', isFailed: view.status === 'failed',
    progressUrl: `${BASE}/${view.id}/progress`, confirmUrl: `${BASE}/${view.id}/confirm`, selfUrl: `${BASE}/${view.id}`,
  };
}

export async function adminDirectoryImportRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get(BASE, async (request, reply) => renderUpload(request, reply));

  app.get(`${BASE}/template.xlsx`, async (request, reply) => {
    const file = await app.engine.directoryImport.template(requireActor(request));
    return reply
      .header('Content-Disposition', contentDisposition(file.fileName))
      .header('Cache-Control', 'private, no-store')
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(file.bytes);
  });

  app.post(BASE, async (request, reply) => {
    const actor = requireActor(request);
    const upload = request.uploads.find((u) => u.field === 'file');
    if (!upload) return renderUpload(request, reply, { status: 400, message: t('directoryImport.noFile'), problems: [] });
    try {
      const { id } = await app.engine.directoryImport.check(actor, upload);
      return seeOther(request, reply, `${BASE}/${id}`);
    } catch (e) {
      if (!isLvzError(e) || !FILE_REFUSALS.has(e.code)) throw e;
      const p = toProblem(e, t);
      const problems = ((e.params.problems as { message: string }[] | undefined) ?? []).map((x) => x.message);
      return renderUpload(request, reply, { status: p.status, message: problems.length > 0 ? t('directoryImport.refused', { n: problems.length }) : p.message, problems });
    }
  });

  app.get<IdParams>(`${BASE}/:id`, async (request, reply) => {
    const view = await app.engine.directoryImport.view(requireActor(request), request.params.id);
    return reply.page('admin-directory-import-status', { ...STUDIO_CSS, title: t('directoryImport.statusTitle', { file: view.fileName }), ...progressModel(view) });
  });

  app.get<IdParams>(`${BASE}/:id/progress`, async (request, reply) => {
    const view = await app.engine.directoryImport.view(requireActor(request), request.params.id);
    return reply.fragment('fragments/directory-import-progress', progressModel(view));
  });

  app.post<IdParams>(`${BASE}/:id/confirm`, async (request, reply) => {
    await app.engine.directoryImport.confirm(requireActor(request), request.params.id);
    return seeOther(request, reply, `${BASE}/${request.params.id}`);
  });
}

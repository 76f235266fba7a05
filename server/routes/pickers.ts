// pickers.ts: GET /pickers/person and /pickers/org, the JSON search behind a large directory picker
// (public/pickers.js). Signed-in users only; `role` / `kind` is the field's filter, so a search sees
// exactly the choices the field allows, at most 50 at a time; `task` is a task panel's 转办/委派/加签,
// whose search sees only whom the task may be handed to (for its holder only). Errors come back as JSON (error-handler.ts).

import type { FastifyInstance } from 'fastify';
import { LvzError } from '../../engine/errors.ts';
import type { FormModel } from '../../engine/forms/types.ts';
import { requireActor } from '../session.ts';

type Search = { Params: { type: string }; Querystring: { q?: string; role?: string; kind?: string; task?: string } };

/** The stylesheet and script a page with a picker adds (templates/layout.hbs places them). */
export const PICKER_ASSETS = {
  pageStyles: ['/static/tom-select.min.css', '/static/pickers.css'],
  pageScripts: ['/static/tom-select.complete.min.js', '/static/pickers.js'],
  hasPicker: true,
};

/** True when a page shows a picker: an editable org/person field, or a task panel that picks people. */
export function hasPicker(form: FormModel, panels: readonly { action: string }[] = []): boolean {
  return form.fields.some((f) => f.picker) || panels.some((p) => ['copy', 'reassign', 'delegate', 'add_signer'].includes(p.action));
}

export function isPickerUrl(url: string): boolean {
  return url.startsWith('/pickers/');
}

export async function pickerRoutes(app: FastifyInstance): Promise<void> {
  app.get<Search>('/pickers/:type', async (request, reply) => {
    const actor = requireActor(request);
    const { type } = request.params;
    if (type !== 'person' && type !== 'org') throw new LvzError('LVZ_RUN_NOT_FOUND', '没有这种选择器：请刷新页面后重试。');
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const { role, kind, q, task } = request.query;
    const result = await app.engine.pickerSearch(actor, {
      type, q: str(q).trim(), ...(str(role) && { role: str(role) }), ...(str(kind) && { kind: str(kind) }), ...(str(task) && { task: str(task) }),
    });
    // Names change (an import, an edit): a search is never served from a cache.
    return reply.header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(result);
  });
}

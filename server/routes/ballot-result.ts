// ballot-result.ts: 表决结果, the printable result sheet of a ballot (or of each item of a sitting), and
// the same figures as an .xlsx. Both place ballot-sheet.ts's model of the engine's tally and seal.

import type { FastifyInstance } from 'fastify';
import { LvzError } from '../../engine/errors.ts';
import type { BallotView } from '../../engine/runtime/types.ts';
import { ballotTitle, ballotUrl, sheetOf } from '../ballot-view.ts';
import { resultWorkbook } from '../ballot-xlsx.ts';
import { formatDateTime } from '../render.ts';
import { requireActor } from '../session.ts';
import { contentDisposition } from './files.ts';
import { sittingOf } from './ballots.ts';

type IdParams = { Params: { id: string } };

export async function ballotResultRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  const headingOf = (views: BallotView[]) => (views[0]!.itemIndex !== undefined ? views[0]!.stepTitle : ballotTitle(views[0]!));

  app.get<IdParams>('/ballots/:id/result', async (request, reply) => {
    const actor = requireActor(request);
    const views = await sittingOf(app.engine, actor, request.params.id);
    const sheets = views.map((v) => sheetOf(t, v, true) ?? { title: ballotTitle(v), isPending: true });
    const closedAt = views.map((v) => v.closedAt).filter(Boolean).sort().at(-1);
    const html = app.renderer.page('ballot-result', {
      title: `${t('ballot.result.title')}：${headingOf(views)}`,
      caption: views[0]!.instanceTitle,
      heading: headingOf(views),
      sheets,
      back: ballotUrl(request.params.id),
      xlsx: ballotUrl(request.params.id, '/result.xlsx'),
      printedBy: actor.name,
      asOf: formatDateTime(closedAt),
      pageStyles: ['/static/ballot.css'],
    }, { layout: 'print' });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get<IdParams>('/ballots/:id/result.xlsx', async (request, reply) => {
    const views = await sittingOf(app.engine, requireActor(request), request.params.id);
    const sheets = views.map((v) => sheetOf(t, v, true));
    if (sheets.some((s) => !s)) throw new LvzError('LVZ_BALLOT_NOT_OPEN', t('ballot.result.notClosed'));
    const bytes = await resultWorkbook(sheets.filter((s) => s !== undefined), t);
    return reply
      .header('Content-Disposition', contentDisposition(`${t('ballot.result.title')}-${headingOf(views)}.xlsx`))
      .header('Cache-Control', 'private, no-store')
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(bytes);
  });
}

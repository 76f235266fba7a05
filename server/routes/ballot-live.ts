// ballot-live.ts: 投屏, the meeting room's full-screen view of a ballot (or a sitting of one ballot per
// item): title, 应到 / 实到 / 已投, status; the result only when the engine hands it over (after close, or
// live on a named ballot with `results: live`), with the seal's 校验码.
//
// It updates without reload through server-sent events (live-hub.ts: one poll of the engine's cheap
// counts per ballot, about a second, shared by every screen watching it, stopped once the sitting is
// closed or its last screen leaves); without script the page reloads itself every few seconds (a
// <noscript> meta refresh). `app.liveHub` tells how many streams and polls there are.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isLvzError } from '../../engine/errors.ts';
import type { Actor, BallotCounts, BallotView, Engine } from '../../engine/runtime/types.ts';
import { ballotTitle, ballotUrl, sheetOf } from '../ballot-view.ts';
import { createLiveHub } from '../live-hub.ts';
import type { Renderer } from '../render.ts';
import { requireActor } from '../session.ts';
import { sittingOf } from './ballots.ts';

type IdParams = { Params: { id: string } };

export const LIVE_POLL_MS = 1000;
export const LIVE_HEARTBEAT_MS = 15_000;
/** Without script: how often the page reloads itself. */
const NO_SCRIPT_REFRESH_S = 5;

/** A view brought up to date with a poll's counts (the rest of the view does not change while open). */
function withCounts(view: BallotView, c: BallotCounts): BallotView {
  const { tally: _old, ...rest } = view;
  return { ...rest, status: c.status, members: c.members, present: c.present, castCount: c.castCount, quorumMet: c.quorumMet, ...(c.tally && { tally: c.tally }) };
}

/** The panel's model: the same for every screen of the ballot, so it is rendered once per change. */
export function livePanel(t: Renderer['t'], views: BallotView[]) {
  const main = views[0]!;
  const isItems = main.itemIndex !== undefined;
  const status = main.status;
  const anyShown = views.some((v) => v.tally);
  return {
    title: isItems ? main.stepTitle : ballotTitle(main),
    caption: main.instanceTitle,
    status,
    statusText: t(status === 'draft' ? 'ballot.live.waiting' : status === 'open' ? 'ballot.live.voting' : 'ballot.live.closed'),
    counts: [
      { label: t('ballot.facts.members'), value: main.members },
      { label: t('ballot.facts.present'), value: main.present },
      // A sitting's items share 应到 and 实到; 已投 is each item's, listed below.
      { label: t('ballot.facts.cast'), value: isItems ? Math.min(...views.map((v) => v.castCount)) : main.castCount },
    ],
    hasResults: anyShown,
    hiddenNote: status === 'open' && !anyShown ? t('ballot.live.hidden') : undefined,
    isItems,
    grid: isItems ? itemsGrid(t, views) : undefined,
    items: views.map((v) => {
      const sheet = sheetOf(t, v);
      return { title: ballotTitle(v), index: v.itemIndex, castCount: v.castCount, present: v.present, sheet, code: v.seal?.code, head: v.seal?.head };
    }),
  };
}

/**
 * A sitting's results as one table, one row per item (an appointee) and one column per choice, so ten
 * appointees fit one screen: 满意 6（75.0%）. Only once every item is counted and they share their choices.
 */
function itemsGrid(t: Renderer['t'], views: BallotView[]) {
  const sheets = views.map((v) => sheetOf(t, v));
  if (sheets.some((x) => !x || x.isScore)) return undefined;
  const labels = sheets[0]!.rows.map((r) => r.label);
  if (sheets.some((x) => x!.rows.map((r) => r.label).join('|') !== labels.join('|'))) return undefined;
  // Counts only (a satisfaction vote with `pass: none`): no 结论 column to repeat 只计票 in every row.
  const hasVerdict = sheets.some((x) => x!.verdict !== 'none');
  return {
    columns: [t('ballot.result.item'), ...labels, ...(hasVerdict ? [t('ballot.result.verdict')] : [])],
    rows: views.map((v, i) => ({
      title: `${v.itemIndex ?? i + 1}. ${ballotTitle(v)}`,
      cells: sheets[i]!.rows.map((r) => (r.share ? `${r.count}（${r.share}）` : String(r.count))),
      ...(hasVerdict && { verdict: sheets[i]!.verdictText, verdictKind: sheets[i]!.verdict }),
    })),
    code: views.map((v) => v.seal?.code).filter(Boolean).join(' · '),
  };
}

/** What a ballot's shared poll keeps: who opened the stream first (it reads as them) and the sitting as last read. */
interface Watch { actor: Actor; views: BallotView[] }

const isFinal = (views: BallotView[]): boolean => views.every((v) => v.status === 'closed');

export const ballotLiveRoutes = fp(async (app: FastifyInstance): Promise<void> => {
  const t = app.renderer.t;
  const engine: Engine = app.engine;

  const render = (views: BallotView[]) => ({ event: 'panel', data: app.renderer.fragment('fragments/ballot-live-panel', livePanel(t, views)), isFinal: isFinal(views) });

  const hub = createLiveHub<Watch>(async (_key, w) => {
    try {
      w.views = await Promise.all(w.views.map(async (v) => {
        if (v.status === 'closed') return v; // closed is final: the view (with its seal) is kept
        const c = await engine.ballotCounts(w.actor, v.ballotId);
        // Just closed: the seal and the sealed tally come with the full view, read once.
        return c.status === 'closed' ? engine.ballotView(w.actor, v.ballotId) : withCounts(v, c);
      }));
    } catch (e) {
      // The ballot is gone (a draft dropped when its step was left) or no longer visible: end the streams.
      if (isLvzError(e) && e.code === 'LVZ_RUN_NOT_FOUND') return null;
      throw e;
    }
    return render(w.views);
  }, {
    pollMs: LIVE_POLL_MS,
    heartbeatMs: LIVE_HEARTBEAT_MS,
    onError: (key, error) => app.log.warn({ err: error, ballot: key }, 'live view poll failed'),
  });
  app.decorate('liveHub', hub);
  // Open streams would hold the server's close until they end: end them first.
  app.addHook('preClose', async () => hub.close());

  app.get<IdParams>('/ballots/:id/live', async (request, reply) => {
    const views = await sittingOf(engine, requireActor(request), request.params.id);
    const panel = livePanel(t, views);
    const html = app.renderer.page('ballot-live', {
      title: `${t('ballot.live.title')} · ${panel.title}`, panel, src: ballotUrl(request.params.id, '/live/events'),
      back: ballotUrl(request.params.id), bodyClass: 'live-view', refreshSeconds: NO_SCRIPT_REFRESH_S,
      pageStyles: ['/static/ballot.css'], pageScripts: ['/static/ballot.js'],
    }, { layout: 'print' });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get<IdParams>('/ballots/:id/live/events', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    // Access is the engine's: a ballot the viewer may not see is a 404 here, before any stream starts.
    const views = await sittingOf(engine, actor, id);
    reply.hijack();
    // The first screen's watch starts the poll; a later one joins it (and its own read is sent first).
    hub.attach(id, reply.raw, render(views), { actor, views });
  });
});
